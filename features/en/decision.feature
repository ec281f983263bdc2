Feature: The steering group forwards, the councils decide
  The steering group approves, sends back or stops; its approval forwards the
  case to the councils and never concludes it. Every participant's
  kommunestyre decides; the cooperation is established among those that
  approve, if at least two (seed lines 125-127; kommunelova chapter 20).

  Background:
    Given an investigation "Felles barnevern" started with Sogndal, Luster, Årdal and Aurland
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    And the next step opens in avgjerdsgrunnlag
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    And the decision basis is submitted

  Scenario: The steering group's approval does not conclude
    When the steering group approves
    Then the investigation is in state "decision"
    And a second steering group decision is refused by "steering-group-not-final"

  Scenario: The steering group may send the case back
    When the steering group sends back
    Then the investigation is in state "planning"

  Scenario: The councils decide only on a forwarded case
    Then a council decision of Sogndal in kommunestyre is refused by "council-decides"

  Scenario: Only the kommunestyre adopts the cooperation
    When the steering group approves
    Then a council decision of Sogndal in formannskap is refused by "council-decides"
    And a council decision of Sogndal in kommunestyre is allowed

  Scenario: One council decision per municipality
    When the steering group approves
    And the council of Sogndal approves
    Then a council decision of Sogndal in kommunestyre is refused by "equal-parties"

  Scenario: The cooperation is established among those who approve
    When the steering group approves
    And the council of Sogndal, Luster and Årdal approves
    And the council of Aurland sends back
    Then the investigation is in state "decision"
    When Aurland opts out
    Then the cooperation is established among Sogndal, Luster and Årdal
