Feature: Everyone invited, parties from the start, free to leave
  The trust-reform method invites every member of the region, lets everyone
  opt out without asking anybody, and involves the employer/union cooperation
  from the start in every municipality (seed lines 33, 35 and 99-100).

  Scenario: The start waits for the unions of every participant
    Given an investigation "Felles barnevern"
    And the milestones are set
    And every member is invited
    And Vik, Sogndal, Aurland, Lærdal, Årdal and Luster join
    And Sogndal, Aurland, Lærdal, Årdal and Luster register an employer and a union representative
    And Vik registers only an employer representative
    Then starting the investigation is refused by "parties-from-start"
    And the refusal names Vik

  Scenario: The start goes ahead when every participant has both parties
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    Then the investigation is in state "insight"
    And the participants are Sogndal, Luster and Årdal

  Scenario: The start waits for every member's answer
    Given an investigation "Felles barnevern"
    And the milestones are set
    And only Sogndal and Luster are invited
    And Sogndal and Luster join
    And Sogndal and Luster register an employer and a union representative
    Then starting the investigation is refused by "everyone-invited"
    And the refusal names Vik, Aurland, Lærdal and Årdal

  Scenario: Silence after the answer deadline does not block the start
    Given an investigation "Felles barnevern"
    And the milestones are set
    And every member is invited with answers due 2024-01-10
    And Sogndal and Luster join
    And Sogndal and Luster register an employer and a union representative
    Then starting the investigation is allowed

  Scenario: Silence counts once the answer deadline has passed
    Given the date is 2024-01-15
    And an investigation "Felles barnevern"
    And the milestones are set
    And every member is invited with answers due 01.02.2024
    And Sogndal and Luster join
    And Sogndal and Luster register an employer and a union representative
    Then starting the investigation is refused by "everyone-invited"
    When 3 weeks pass
    Then starting the investigation is allowed

  Scenario: One municipality alone cannot start a cooperation
    Given an investigation "Felles barnevern"
    And the milestones are set
    And every member is invited
    And Sogndal joins
    And Sogndal registers an employer and a union representative
    And Vik, Aurland, Lærdal, Årdal and Luster opt out
    Then starting the investigation is refused by "minimum-participants"

  Scenario: Opt-outs that leave one participant stop the investigation
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    When Luster opts out
    And Årdal opts out
    Then the investigation stopped because of "minimum-participants"

  Scenario: A municipality opts out while its step is at the gate
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    And the step is closed
    Then Luster opting out is allowed
    When Luster opts out
    Then the participants are Sogndal and Årdal

  Scenario: An opted-out municipality may rejoin before the decision
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    When Luster opts out
    Then Luster joining is allowed

  Scenario: No rejoining once the councils decide
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    And the next step opens in avgjerdsgrunnlag
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    And Luster opts out
    And the decision basis is submitted
    Then Luster joining is refused by "free-to-leave"

  Scenario: A new mandate version waits for every participant
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    When the mandate is revised
    Then opening the next step is refused by "mandate-at-home"
    And the refusal names Sogndal, Luster and Årdal

  Scenario: The next step opens once the new mandate is anchored at home
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    And the step is closed
    And every participant endorses the step in its formannskap
    When the mandate is revised
    And Sogndal, Luster and Årdal anchor the new mandate
    Then opening the next step is allowed

  Scenario: Any region can run the method
    Given the region "Nordfjord" with Stad (4649), Stryn (4651) and Gloppen (4650)
    And an investigation "Felles innkjøp" started with Stad and Gloppen
    Then the participants are Stad and Gloppen
    And the investigation is in state "insight"
