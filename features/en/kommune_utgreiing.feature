Feature: An investigation inside one municipality
  Sogndal investigates on its own (examples/kommune_utgreiing.py). After each
  step the kommunedirektør's leader group decides: continue, redo the step,
  put it on hold or stop. The kommunestyre decides at the end: approve, send
  back or reject.

  Background:
    Given the process "kommune_utgreiing:kommune_process"
    And the region "Sogndal kommune" with Sogndal (4640)
    And an investigation "Heimetenester" started with Sogndal
    And a session with every participant
    And an insight on no topic

  Scenario: The leader group puts the step on hold, and later lets it continue
    Given the step is closed
    When the gate records "hold"
    Then the investigation is in state "held"
    When the gate records "continue"
    Then the investigation is in state "planning"

  Scenario: Redo sends the step back for more insight
    Given the step is closed
    When the gate records "redo"
    Then the investigation is in state "insight"
    And closing the step is allowed

  Scenario: The leader group may stop the investigation
    Given the step is closed
    When the gate records "stop"
    Then the investigation stopped because of "gate"

  Scenario: Only the leader group's own outcomes count at its gate
    Given the step is closed
    Then Sogndal anchoring the step in formannskapet is refused by "valid-command"

  Scenario: The kommunestyre approves, and the change is decided
    Given the step is closed
    And the gate records "continue"
    And the next step opens in tilråding
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And the gate records "continue"
    And the decision basis is submitted
    When the council of Sogndal approves
    Then the cooperation is established among Sogndal

  Scenario: The kommunestyre rejects, and the investigation stops
    Given the step is closed
    And the gate records "continue"
    And the next step opens in tilråding
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And the gate records "continue"
    And the decision basis is submitted
    When the council of Sogndal rejects
    Then the investigation stopped because of "rejected"
