Feature: Strict mode: the hardest topic first, insight by insight
  Under the policy strict_hardest_first, an insight on a topic is refused
  while a harder known topic is not raised, unless it is raised in the same
  session.

  Background:
    Given the policy strict_hardest_first is true
    And an investigation "Felles barnevern"
    And a topic "Vertskommune" with difficulty 5
    And a topic "Fagsystem" with difficulty 2
    And the milestones are set
    And every member is invited
    And Sogndal, Luster and Årdal join
    And Sogndal, Luster and Årdal register an employer and a union representative
    And Vik, Aurland and Lærdal opt out
    And the investigation starts
    And a session with every participant

  Scenario: An insight on an easier topic waits for the harder one
    Then an insight only on "Fagsystem" is refused by "hardest-topics-first"
    And the refusal names "Vertskommune"

  Scenario: Once the harder topic is raised, the easier may follow
    Given an insight on "Vertskommune"
    Then an insight only on "Fagsystem" is allowed
