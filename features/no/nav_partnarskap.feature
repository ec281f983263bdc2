# language: no
Egenskap: Eit NAV-partnarskap der staten er ein part for seg
  Sogndal, Luster og NAV Vestland er med frå starten; ingen vert inviterte
  (examples/nav_partnarskap.py). NAV Vestland har ikkje kommunenummer og
  ingen politiske organ: direktøren talar for staten, i kvar port og til
  slutt. Staten må vere med: melder staten seg ut, stoppar utgreiinga.

  Bakgrunn:
    Gitt prosessen «nav_partnarskap:nav_process»
    Og regionen «NAV-partnarskap Sogn» med Sogndal (4640), Luster (4644) og NAV Vestland (nav-vestland)
    Og ei utgreiing «NAV Sogn» som starta med Sogndal, Luster og NAV Vestland
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka

  Scenario: Alle partane forankrar steget heime, staten ved direktøren
    Når Sogndal og Luster sluttar seg til steget i formannskapet
    Så utgreiinga er i tilstanden «forankring»
    Når NAV Vestland sluttar seg til steget i direktøren
    Så utgreiinga er i tilstanden «planlegging»

  Scenario: Staten har ikkje formannskap
    Så at NAV Vestland forankrar steget i formannskapet vert avvist av «valid-command»

  Scenario: Utan staten stoppar utgreiinga
    Når NAV Vestland meld seg ut
    Så utgreiinga stoppa på grunn av «required-party»

  Scenario: Alle partane avgjer til slutt, staten ved direktøren
    Gitt Sogndal og Luster sluttar seg til steget i formannskapet
    Og NAV Vestland sluttar seg til steget i direktøren
    Og neste steg opnar i avtale
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og Sogndal og Luster sluttar seg til steget i formannskapet
    Og NAV Vestland sluttar seg til steget i direktøren
    Og avgjerdsgrunnlaget er sendt til styringsgruppa
    Når kommunestyret i Sogndal og Luster godkjenner
    Så utgreiinga er i tilstanden «avgjerd»
    Når kommunestyret i NAV Vestland godkjenner
    Så samarbeidet er etablert mellom Sogndal, Luster og NAV Vestland
