# language: no
Egenskap: Ei utgreiing i Sognarådet IPR der fleirtalet avgjer kvar port
  Medlemene melder seg inn ved å forankre mandatet heime; kvar port er
  passert når meir enn halvparten av deltakarane sluttar seg til steget (éi
  røyst kvar), og eit fleirtal som sender attende, sender steget attende; når
  alle har røysta utan fleirtal, går steget òg attende
  (examples/ipr_fleirtal.py). Mindretalet kan melde seg ut eller bli med.

  Bakgrunn:
    Gitt prosessen «ipr_fleirtal:majority_process»
    Og ei utgreiing «Felles innkjøp» som starta med Vik, Sogndal, Aurland, Lærdal, Årdal og Luster
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka

  Scenario: Halvparten er ikkje fleirtal; fire av seks passerer porten
    Når Sogndal, Luster og Lærdal sluttar seg til steget i formannskapet
    Så utgreiinga er i tilstanden «forankring»
    Når Årdal sluttar seg til steget i formannskapet
    Så utgreiinga er i tilstanden «planlegging»

  Scenario: Eit fleirtal sender steget attende
    Når Vik, Aurland, Årdal og Luster sender attende steget i formannskapet
    Så utgreiinga er i tilstanden «innsikt»

  Scenario: Utan fleirtal når alle har røysta, går steget attende
    Når Sogndal, Luster og Lærdal sluttar seg til steget i formannskapet
    Og Vik, Aurland og Årdal sender attende steget i formannskapet
    Så utgreiinga er i tilstanden «innsikt»

  Scenario: Mindretalet blir med
    Når Vik sender attende steget i formannskapet
    Og Sogndal, Luster, Lærdal og Årdal sluttar seg til steget i formannskapet
    Så utgreiinga er i tilstanden «planlegging»
    Og deltakarane er Vik, Sogndal, Aurland, Lærdal, Årdal og Luster

  Scenario: Ein som melder seg ut, tel ikkje lenger med i fleirtalet
    Når Sogndal, Luster og Lærdal sluttar seg til steget i formannskapet
    Og Vik meld seg ut
    Så utgreiinga er i tilstanden «planlegging»
