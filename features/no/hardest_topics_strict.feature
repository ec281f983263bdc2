# language: no
Egenskap: Streng modus: det vanskelegaste temaet først, innsikt for innsikt
  Med policyen strict_hardest_first vert ei innsikt om eit tema avvist så lenge
  eit vanskelegare kjent tema ikkje er løfta, om det ikkje vert løfta i same økta.

  Bakgrunn:
    Gitt policyen strict_hardest_first er ja
    Og ei utgreiing «Felles barnevern»
    Og eit tema «Vertskommune» med vanske 5
    Og eit tema «Fagsystem» med vanske 2
    Og milepælane er sette
    Og alle medlemene er inviterte
    Og Sogndal, Luster og Årdal melder seg inn
    Og Sogndal, Luster og Årdal registrerer arbeidsgivar og tillitsvald
    Og Vik, Aurland og Lærdal melder seg ut
    Og utgreiinga startar
    Og ei økt med alle deltakarane

  Scenario: Ei innsikt om eit lettare tema ventar på det vanskelegare
    Så ei innsikt berre om «Fagsystem» vert avvist av «hardest-topics-first»
    Og avvisinga nemner «Vertskommune»

  Scenario: Når det vanskelegare temaet er løfta, kan det lettare følgje
    Gitt ei innsikt om «Vertskommune»
    Så ei innsikt berre om «Fagsystem» er tillate
