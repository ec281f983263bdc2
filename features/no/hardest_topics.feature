# language: no
Egenskap: Dei vanskelegaste temaa skal løftast tidleg
  «Dei vansklegaste temaa skal løftast tidleg» (linje 112 i grunnlaget). Eit
  steg kan lukkast berre når kvart vanskeleg tema (vanske på eller over
  terskelen, 4 som standard) som var kjent før steget, er løfta: utforska i ei
  innsikt frå ei økt. Eit tema som vert funne i steg k, kan vente til steg k+1.

  Bakgrunn:
    Gitt ei utgreiing «Felles barnevern»
    Og eit tema «Vertskommune» med vanske 5
    Og eit tema «Fagsystem» med vanske 2
    Og milepælane er sette
    Og alle medlemene er inviterte
    Og Sogndal, Luster og Årdal melder seg inn
    Og Sogndal, Luster og Årdal registrerer arbeidsgivar og tillitsvald
    Og Vik, Aurland og Lærdal melder seg ut
    Og utgreiinga startar
    Og ei økt med alle deltakarane

  Scenario: Eit lett tema åleine lèt ikkje steget lukkast
    Gitt ei innsikt om «Fagsystem»
    Så å lukke steget vert avvist av «hardest-topics-first»
    Og avvisinga nemner «Vertskommune»

  Scenario: Å løfte det vanskelege temaet lèt steget lukkast
    Gitt ei innsikt om «Fagsystem»
    Og ei innsikt om «Vertskommune»
    Så å lukke steget er tillate

  Scenario: Eit vanskeleg tema som vert funne i eit steg, kan vente eitt steg
    Gitt ei innsikt om «Vertskommune» og «Fagsystem»
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og neste steg opnar
    Og ei økt med alle deltakarane
    Og eit tema «Reisetid og ferjer» med vanske 4
    Og ei innsikt utan tema
    Så å lukke steget er tillate

  Scenario: Eit vanskeleg tema som vert funne i eit steg, vert løfta i det neste
    Gitt ei innsikt om «Vertskommune» og «Fagsystem»
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og neste steg opnar
    Og ei økt med alle deltakarane
    Og eit tema «Reisetid og ferjer» med vanske 4
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og neste steg opnar
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Så å lukke steget vert avvist av «hardest-topics-first»
    Og avvisinga nemner «Reisetid og ferjer»

  Scenario: Ei låg vurdering frå ein direktør senkar ikkje eit tema
    Når arbeidsgivaren i Sogndal vurderer «Vertskommune» til 1
    Så vansken til «Vertskommune» er 5

  Scenario: Ei høgare vurdering hevar eit tema
    Når arbeidsgivaren i Luster vurderer «Fagsystem» til 4
    Så vansken til «Fagsystem» er 4
    Og å lukke steget vert avvist av «hardest-topics-first»

  Scenario: Semje i økta kan senke eit tema
    Når økta vert samd om at «Vertskommune» har vanske 3
    Så vansken til «Vertskommune» er 3
    Og ei innsikt utan tema
    Og å lukke steget er tillate
