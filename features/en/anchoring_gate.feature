Feature: The political anchoring gate
  Every step is anchored politically, at home, in every participating
  municipality before the next step starts (seed lines 29, 35, 37, 114 and
  270-271). A regional body never anchors for a municipality; each
  municipality has one voice; every record is public unless it names a legal
  exemption basis.

  Background:
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    And the step is closed

  Scenario: The gate waits for every participant
    When Sogndal and Årdal endorse the step in its formannskap
    Then the investigation is in state "anchoring"
    And passing the gate is refused by "anchored-every-step"
    And the refusal names Luster

  Scenario: The last anchoring passes the gate
    When Sogndal and Årdal endorse the step in its formannskap
    And Luster endorses the step in its kommunestyre
    Then the investigation is in state "planning"

  Scenario: Noting the step counts by default
    When Sogndal and Årdal endorse the step in its formannskap
    And Luster notes the step in its formannskap
    Then the investigation is in state "planning"

  Scenario: A send-back reopens the step
    When Sogndal endorses the step in its formannskap
    And Luster sends back the step in its kommunestyre
    Then the investigation is in state "insight"
    And closing the step is allowed

  Scenario: A regional body never anchors for a municipality
    Then Sogndal anchoring the step in Sognatinget is refused by "anchored-at-home"

  Scenario: The mayor anchors alone only with an urgency basis
    Then Sogndal anchoring the step in ordforar is refused by "anchored-at-home"

  Scenario: The municipality's own body anchors
    Then Sogndal anchoring the step in formannskap is allowed

  Scenario: One voice per municipality in a gate
    When Sogndal endorses the step in its formannskap
    Then Sogndal anchoring the step in kommunestyre is refused by "equal-parties"

  Scenario: Each municipality has its voice, whatever its size
    When Sogndal endorses the step in its formannskap
    Then Luster anchoring the step in formannskap is allowed

  Scenario: A record is public unless it names a legal basis
    Then Sogndal anchoring the step in formannskap as not public is refused by "open-record"

  Scenario: An exemption names a ground of offentleglova
    Then Sogndal anchoring the step in formannskap exempt under "sensitive" is refused as bad input naming "exemption"
    And Sogndal anchoring the step in formannskap exempt under "offl. § 99" is refused as bad input naming "exemption"

  Scenario: An exemption with its legal basis is recorded
    Then Sogndal anchoring the step in formannskap exempt under "offentleglova § 14" is allowed
    And Sogndal anchoring the step in formannskap exempt under "offl. § 13 jf. fvl. § 13" is allowed
