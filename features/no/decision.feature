# language: no
Egenskap: Styringsgruppa sender vidare, kommunestyra avgjer
  Styringsgruppa godkjenner, sender attende eller stoppar; godkjenninga sender
  saka til kommunestyra og avsluttar henne aldri. Kommunestyret i kvar
  deltakarkommune avgjer; samarbeidet vert etablert mellom dei som godkjenner,
  om dei er minst to (linje 125-127 i grunnlaget; kommunelova kapittel 20).

  Bakgrunn:
    Gitt ei utgreiing «Felles barnevern» som starta med Sogndal, Luster, Årdal og Aurland
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og neste steg opnar i avgjerdsgrunnlag
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og alle deltakarane sluttar seg til steget i formannskapet
    Og avgjerdsgrunnlaget er sendt til styringsgruppa

  Scenario: Godkjenninga frå styringsgruppa avsluttar ikkje
    Når styringsgruppa godkjenner
    Så utgreiinga er i tilstanden «avgjerd»
    Og eit nytt vedtak i styringsgruppa vert avvist av «steering-group-not-final»

  Scenario: Styringsgruppa kan sende saka attende
    Når styringsgruppa sender attende
    Så utgreiinga er i tilstanden «planlegging»

  Scenario: Kommunestyra avgjer berre ei sak som er send vidare
    Så eit vedtak om samarbeidet i Sogndal i kommunestyret vert avvist av «council-decides»

  Scenario: Berre kommunestyret vedtek samarbeidet
    Når styringsgruppa godkjenner
    Så eit vedtak om samarbeidet i Sogndal i formannskapet vert avvist av «council-decides»
    Og eit vedtak om samarbeidet i Sogndal i kommunestyret er tillate

  Scenario: Eitt kommunestyrevedtak per kommune
    Når styringsgruppa godkjenner
    Og kommunestyret i Sogndal godkjenner
    Så eit vedtak om samarbeidet i Sogndal i kommunestyret vert avvist av «equal-parties»

  Scenario: Samarbeidet vert etablert mellom dei som godkjenner
    Når styringsgruppa godkjenner
    Og kommunestyret i Sogndal, Luster og Årdal godkjenner
    Og kommunestyret i Aurland sender attende
    Så utgreiinga er i tilstanden «avgjerd»
    Når Aurland melder seg ut
    Så samarbeidet er etablert mellom Sogndal, Luster og Årdal
