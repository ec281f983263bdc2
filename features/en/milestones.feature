Feature: Fast investigations with early clarification
  An investigation starts with a dated milestone for every phase, in order,
  within the policy's maximum duration (seed lines 45 and 122-127).

  Scenario: No start without milestones
    Given an investigation "Felles barnevern"
    And every member is invited
    And Vik, Sogndal, Aurland, Lærdal, Årdal and Luster join
    And Vik, Sogndal, Aurland, Lærdal, Årdal and Luster register an employer and a union representative
    Then starting the investigation is refused by "milestones-first"

  Scenario: The seed's milestones let the investigation start
    Given an investigation "Felles barnevern"
    And the milestones are set
    And every member is invited
    And Vik, Sogndal, Aurland, Lærdal, Årdal and Luster join
    And Vik, Sogndal, Aurland, Lærdal, Årdal and Luster register an employer and a union representative
    Then starting the investigation is allowed
