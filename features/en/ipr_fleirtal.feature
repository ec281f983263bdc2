Feature: A Sognarådet IPR investigation where a majority passes each gate
  The members join by anchoring the mandate at home; each gate passes when
  more than half of the participants endorse the step (one vote each), and a
  majority sending it back sends it back; when all have voted without a
  majority, the step goes back too (examples/ipr_fleirtal.py). The minority
  may opt out or stay.

  Background:
    Given the process "ipr_fleirtal:majority_process"
    And an investigation "Felles innkjøp" started with Vik, Sogndal, Aurland, Lærdal, Årdal and Luster
    And a session with every participant
    And an insight on no topic
    And the step is closed

  Scenario: Half is not a majority; four of six pass the gate
    When Sogndal, Luster and Lærdal endorse the step in formannskapet
    Then the investigation is in state "anchoring"
    When Årdal endorses the step in formannskapet
    Then the investigation is in state "planning"

  Scenario: A majority sends the step back
    When Vik, Aurland, Årdal and Luster send back the step in formannskapet
    Then the investigation is in state "insight"

  Scenario: Without a majority when all have voted, the step goes back
    When Sogndal, Luster and Lærdal endorse the step in formannskapet
    And Vik, Aurland and Årdal send back the step in formannskapet
    Then the investigation is in state "insight"

  Scenario: The minority stays
    When Vik sends back the step in formannskapet
    And Sogndal, Luster, Lærdal and Årdal endorse the step in formannskapet
    Then the investigation is in state "planning"
    And the participants are Vik, Sogndal, Aurland, Lærdal, Årdal and Luster

  Scenario: A voter who leaves no longer counts toward the majority
    When Sogndal, Luster and Lærdal endorse the step in formannskapet
    And Vik opts out
    Then the investigation is in state "planning"
