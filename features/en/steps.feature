Feature: One step at a time, on insight, as equals
  Each step gathers insight in sessions where everybody takes part as an
  equal, and the next step is built on that insight (seed lines 104-110).

  Background:
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal

  Scenario: A step cannot close without insight
    Given a session with every participant
    Then closing the step is refused by "insight-first"

  Scenario: One insight lets the step close
    Given a session with every participant
    And an insight on no topic
    Then closing the step is allowed

  Scenario: The unions of every participant take part in the step
    Given a session without the union representative of Luster
    And an insight on no topic
    Then closing the step is refused by "parties-in-every-step"
    And the refusal names Luster

  Scenario: A consultation with the unions counts as taking part
    Given a session without the union representative of Luster
    And an insight on no topic
    And a consultation with the unions of Luster
    Then closing the step is allowed

  Scenario: The next step waits while the step is open
    Given a session with every participant
    And an insight on no topic
    Then opening the next step is refused by "one-step-at-a-time"

  Scenario: The next step waits for the gate
    Given a session with every participant
    And an insight on no topic
    And the step is closed
    Then opening the next step is refused by "one-step-at-a-time"

  Scenario: The next step opens after the gate
    Given a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    Then opening the next step is allowed

  Scenario: The next step builds on earlier insight
    Given a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    Then opening the next step on no insight is refused by "build-on-insight"

  Scenario: Only attendees rate topics in a session
    Given a topic "Akuttberedskap" with difficulty 3
    And a session without the union representative of Luster
    Then a rating of "Akuttberedskap" by the union representative of Luster is refused by "equal-participation"

  Scenario: Every attendee may rate a topic in the session
    Given a topic "Akuttberedskap" with difficulty 3
    And a session with every participant
    Then a rating of "Akuttberedskap" by the union representative of Luster is allowed
