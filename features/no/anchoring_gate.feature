# language: no
Egenskap: Den politiske forankringsporten
  Kvart steg vert forankra politisk, heime, i kvar deltakarkommune før neste
  steg startar (linje 29, 35, 37, 114 og 270-271 i grunnlaget). Eit regionalt
  organ forankrar aldri for ein kommune; kvar kommune har éi røyst; alt er
  offentleg om det ikkje er heimel for unntak.

  Bakgrunn:
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka

  Scenario: Porten ventar på kvar deltakarkommune
    Når Sogndal og Årdal sluttar seg til steget i formannskapet
    Så utgreiinga er i tilstanden «forankring»
    Og å passere porten vert avvist av «anchored-every-step»
    Og avvisinga nemner Luster

  Scenario: Den siste forankringa opnar porten
    Når Sogndal og Årdal sluttar seg til steget i formannskapet
    Og Luster sluttar seg til steget i kommunestyret
    Så utgreiinga er i tilstanden «planlegging»

  Scenario: Å ta steget til orientering tel som standard
    Når Sogndal og Årdal sluttar seg til steget i formannskapet
    Og Luster tek til orientering steget i formannskapet
    Så utgreiinga er i tilstanden «planlegging»

  Scenario: Å sende steget attende opnar det att
    Når Sogndal sluttar seg til steget i formannskapet
    Og Luster sender attende steget i kommunestyret
    Så utgreiinga er i tilstanden «innsikt»
    Og å lukke steget er tillate

  Scenario: Eit regionalt organ forankrar aldri for ein kommune
    Så at Sogndal forankrar steget i Sognatinget vert avvist av «anchored-at-home»

  Scenario: Ordføraren forankrar åleine berre med hastekompetanse
    Så at Sogndal forankrar steget hos ordføraren vert avvist av «anchored-at-home»

  Scenario: Kommunen sitt eige organ forankrar
    Så at Sogndal forankrar steget i formannskapet er tillate

  Scenario: Éi røyst per kommune i ein port
    Når Sogndal sluttar seg til steget i formannskapet
    Så at Sogndal forankrar steget i kommunestyret vert avvist av «equal-parties»

  Scenario: Kvar kommune har si røyst, same kor stor han er
    Når Sogndal sluttar seg til steget i formannskapet
    Så at Luster forankrar steget i formannskapet er tillate

  Scenario: Ein journal er offentleg om han ikkje har heimel for unntak
    Så at Sogndal forankrar steget i formannskapet som ikkje offentleg vert avvist av «open-record»

  Scenario: Eit unntak nemner ein heimel i offentleglova
    Så at Sogndal forankrar steget i formannskapet unnateke etter «sensitivt» vert avvist som ugyldig med feltet «exemption»
    Og at Sogndal forankrar steget i formannskapet unnateke etter «offl. § 99» vert avvist som ugyldig med feltet «exemption»

  Scenario: Eit unntak med lovheimel vert journalført
    Så at Sogndal forankrar steget i formannskapet unnateke etter «offentleglova § 14» er tillate
    Og at Sogndal forankrar steget i formannskapet unnateke etter «offl. § 13 jf. fvl. § 13» er tillate
