# language: no
Egenskap: Alle inviterte, partane med frå starten, lov til å sleppe
  Tillitsreforma sin metode inviterer alle medlemene i regionen, lèt alle
  melde seg ut utan å spørje nokon, og har partssamarbeidet med frå starten i
  alle kommunane (linje 33, 35 og 99-100 i grunnlaget).

  Scenario: Starten ventar på dei tillitsvalde i kvar deltakarkommune
    Gitt ei utgreiing «Felles barnevern»
    Og milepælane er sette
    Og alle medlemene er inviterte
    Og Vik, Sogndal, Aurland, Lærdal, Årdal og Luster melder seg inn
    Og Sogndal, Aurland, Lærdal, Årdal og Luster registrerer arbeidsgivar og tillitsvald
    Og Vik registrerer berre arbeidsgivar
    Så å starte utgreiinga vert avvist av «parties-from-start»
    Og avvisinga nemner Vik

  Scenario: Starten går når kvar deltakarkommune har begge partane
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Så utgreiinga er i tilstanden «innsikt»
    Og deltakarane er Sogndal, Luster og Årdal

  Scenario: Starten ventar på svar frå alle medlemene
    Gitt ei utgreiing «Felles barnevern»
    Og milepælane er sette
    Og berre Sogndal og Luster er inviterte
    Og Sogndal og Luster melder seg inn
    Og Sogndal og Luster registrerer arbeidsgivar og tillitsvald
    Så å starte utgreiinga vert avvist av «everyone-invited»
    Og avvisinga nemner Vik, Aurland, Lærdal og Årdal

  Scenario: Å teie etter svarfristen stoppar ikkje starten
    Gitt ei utgreiing «Felles barnevern»
    Og milepælane er sette
    Og alle medlemene er inviterte med svarfrist 2024-01-10
    Og Sogndal og Luster melder seg inn
    Og Sogndal og Luster registrerer arbeidsgivar og tillitsvald
    Så å starte utgreiinga er tillate

  Scenario: Å teie tel når svarfristen er ute
    Gitt datoen er 15.01.2024
    Og ei utgreiing «Felles barnevern»
    Og milepælane er sette
    Og alle medlemene er inviterte med svarfrist 2024-02-01
    Og Sogndal og Luster melder seg inn
    Og Sogndal og Luster registrerer arbeidsgivar og tillitsvald
    Så å starte utgreiinga vert avvist av «everyone-invited»
    Når det går 3 veker
    Så å starte utgreiinga er tillate

  Scenario: Éin kommune åleine kan ikkje starte eit samarbeid
    Gitt ei utgreiing «Felles barnevern»
    Og milepælane er sette
    Og alle medlemene er inviterte
    Og Sogndal melder seg inn
    Og Sogndal registrerer arbeidsgivar og tillitsvald
    Og Vik, Aurland, Lærdal, Årdal og Luster melder seg ut
    Så å starte utgreiinga vert avvist av «minimum-participants»

  Scenario: Utmeldingar som lèt éin deltakar vere att, stoppar utgreiinga
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Når Luster melder seg ut
    Og Årdal melder seg ut
    Så utgreiinga stoppa på grunn av «minimum-participants»

  Scenario: Ein kommune melder seg ut medan steget er til forankring
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Så at Luster melder seg ut er tillate
    Når Luster melder seg ut
    Så deltakarane er Sogndal og Årdal

  Scenario: Ein kommune som har meldt seg ut, kan melde seg inn att før avgjerda
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Når Luster melder seg ut
    Så at Luster melder seg inn er tillate

  Scenario: Inga innmelding att når kommunestyra avgjer
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og neste steg opnar i avgjerdsgrunnlag
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og Luster melder seg ut
    Og avgjerdsgrunnlaget er sendt til styringsgruppa
    Så at Luster melder seg inn vert avvist av «free-to-leave»

  Scenario: Ein ny mandatversjon ventar på kvar deltakarkommune
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Når mandatet er revidert
    Så å opne neste steg vert avvist av «mandate-at-home»
    Og avvisinga nemner Sogndal, Luster og Årdal

  Scenario: Neste steg opnar når det nye mandatet er forankra heime
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Når mandatet er revidert
    Og Sogndal, Luster og Årdal forankrar det nye mandatet
    Så å opne neste steg er tillate

  Scenario: Kva region som helst kan bruke metoden
    Gitt regionen «Nordfjord» med Stad (4649), Stryn (4651) og Gloppen (4650)
    Og ei utgreiing «Felles innkjøp» som starta med Stad og Gloppen
    Så deltakarane er Stad og Gloppen
    Og utgreiinga er i tilstanden «innsikt»
