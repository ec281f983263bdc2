Feature: A process may count only endorsements
  The policy decides whether noting a step (teke til orientering) lets it
  through the gate.

  Scenario: With noted_counts off, a noting does not pass the gate
    Given the policy noted_counts is false
    And an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    And the step is closed
    When Sogndal and Årdal endorse the step in its formannskap
    And Luster notes the step in its formannskap
    Then the investigation is in state "anchoring"
    And passing the gate is refused by "anchored-every-step"
    And the refusal names Luster
