Feature: A NAV partnership with the state as a party of its own
  Sogndal, Luster and NAV Vestland take part from the start; nobody is
  invited (examples/nav_partnarskap.py). NAV Vestland has no kommunenummer
  and no political bodies: its director speaks for it, at each gate and at
  the end. The state is required: if it leaves, the investigation stops.

  Background:
    Given the process "nav_partnarskap:nav_process"
    And the region "NAV-partnarskap Sogn" with Sogndal (4640), Luster (4644) and NAV Vestland (nav-vestland)
    And an investigation "NAV Sogn" started with Sogndal, Luster and NAV Vestland
    And a session with every participant
    And an insight on no topic
    And the step is closed

  Scenario: Every party anchors the step at home, the state by its director
    When Sogndal and Luster endorse the step in formannskapet
    Then the investigation is in state "anchoring"
    When NAV Vestland endorses the step in direktøren
    Then the investigation is in state "planning"

  Scenario: The state has no formannskap
    Then NAV Vestland anchoring the step in formannskapet is refused by "valid-command"

  Scenario: Without the state, the investigation stops
    When NAV Vestland opts out
    Then the investigation stopped because of "required-party"

  Scenario: Every party decides at the end, the state by its director
    Given Sogndal and Luster endorse the step in formannskapet
    And NAV Vestland endorses the step in direktøren
    And the next step opens in avtale
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And Sogndal and Luster endorse the step in formannskapet
    And NAV Vestland endorses the step in direktøren
    And the decision basis is submitted
    When the council of Sogndal and Luster approves
    Then the investigation is in state "decision"
    When the council of NAV Vestland approves
    Then the cooperation is established among Sogndal, Luster and NAV Vestland
