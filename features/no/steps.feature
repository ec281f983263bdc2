# language: no
Egenskap: Eitt steg om gangen, på innsikt, som likeverdige
  Kvart steg hentar innsikt i økter der alle deltek som likeverdige, og neste
  steg vert bygd på den innsikta (linje 104-110 i grunnlaget).

  Bakgrunn:
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal

  Scenario: Eit steg kan ikkje lukkast utan innsikt
    Gitt ei økt med alle deltakarane
    Så å lukke steget vert avvist av «insight-first»

  Scenario: Éi innsikt lèt steget lukkast
    Gitt ei økt med alle deltakarane
    Og ei innsikt utan tema
    Så å lukke steget er tillate

  Scenario: Dei tillitsvalde i kvar deltakarkommune er med i steget
    Gitt ei økt utan tillitsvald frå Luster
    Og ei innsikt utan tema
    Så å lukke steget vert avvist av «parties-in-every-step»
    Og avvisinga nemner Luster

  Scenario: Ei drøfting med dei tillitsvalde tel som å vere med
    Gitt ei økt utan tillitsvald frå Luster
    Og ei innsikt utan tema
    Og ei drøfting med dei tillitsvalde i Luster
    Så å lukke steget er tillate

  Scenario: Neste steg ventar medan steget er ope
    Gitt ei økt med alle deltakarane
    Og ei innsikt utan tema
    Så å opne neste steg vert avvist av «one-step-at-a-time»

  Scenario: Neste steg ventar på porten
    Gitt ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Så å opne neste steg vert avvist av «one-step-at-a-time»

  Scenario: Neste steg opnar etter porten
    Gitt ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Så å opne neste steg er tillate

  Scenario: Neste steg byggjer på tidlegare innsikt
    Gitt ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Så å opne neste steg utan innsikt vert avvist av «build-on-insight»

  Scenario: Berre dei som er med i økta, vurderer tema der
    Gitt eit tema «Akuttberedskap» med vanske 3
    Og ei økt utan tillitsvald frå Luster
    Så ei vurdering av «Akuttberedskap» frå tillitsvald i Luster vert avvist av «equal-participation»

  Scenario: Alle som er med i økta, kan vurdere eit tema
    Gitt eit tema «Akuttberedskap» med vanske 3
    Og ei økt med alle deltakarane
    Så ei vurdering av «Akuttberedskap» frå tillitsvald i Luster er tillate
