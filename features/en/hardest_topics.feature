Feature: The hardest topics are raised early
  "Dei vansklegaste temaa skal løftast tidleg" (seed line 112). A step closes
  only when every hard topic (difficulty at or above the threshold, 4 by
  default) known before it has been raised: explored in an insight of a
  session. A topic found during step k may wait until step k+1.

  Background:
    Given an investigation "Felles barnevern"
    And a topic "Vertskommune" with difficulty 5
    And a topic "Fagsystem" with difficulty 2
    And the milestones are set
    And every member is invited
    And Sogndal, Luster and Årdal join
    And Sogndal, Luster and Årdal register an employer and a union representative
    And Vik, Aurland and Lærdal opt out
    And the investigation starts
    And a session with every participant

  Scenario: An easy topic alone does not let the step close
    Given an insight on "Fagsystem"
    Then closing the step is refused by "hardest-topics-first"
    And the refusal names "Vertskommune"

  Scenario: Raising the hard topic lets the step close
    Given an insight on "Fagsystem"
    And an insight on "Vertskommune"
    Then closing the step is allowed

  Scenario: A hard topic found during a step may wait one step
    Given an insight on "Vertskommune" and "Fagsystem"
    And the step is closed
    And every participant endorses the step in its formannskap
    And the next step opens
    And a session with every participant
    And a topic "Reisetid og ferjer" with difficulty 4
    And an insight on no topic
    Then closing the step is allowed

  Scenario: A hard topic found during a step is raised in the next
    Given an insight on "Vertskommune" and "Fagsystem"
    And the step is closed
    And every participant endorses the step in its formannskap
    And the next step opens
    And a session with every participant
    And a topic "Reisetid og ferjer" with difficulty 4
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    And the next step opens
    And a session with every participant
    And an insight on no topic
    Then closing the step is refused by "hardest-topics-first"
    And the refusal names "Reisetid og ferjer"

  Scenario: A low rating by a director does not lower a topic
    When the employer representative of Sogndal rates "Vertskommune" 1
    Then the difficulty of "Vertskommune" is 5

  Scenario: A higher rating raises a topic
    When the employer representative of Luster rates "Fagsystem" 4
    Then the difficulty of "Fagsystem" is 4
    And closing the step is refused by "hardest-topics-first"

  Scenario: A session consensus may lower a topic
    When a consensus puts "Vertskommune" at 3
    Then the difficulty of "Vertskommune" is 3
    And an insight on no topic
    And closing the step is allowed
