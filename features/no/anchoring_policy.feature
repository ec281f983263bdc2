# language: no
Egenskap: Ein prosess kan telje berre tilslutning
  Policyen avgjer om å ta steget til orientering slepp det gjennom porten.

  Scenario: Utan noted_counts slepp ikkje ei orientering steget gjennom porten
    Gitt policyen noted_counts er nei
    Og ei utgreiing «Felles barnevern» som starta med Sogndal, Luster og Årdal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Når Sogndal og Årdal sluttar seg til steget i formannskapet
    Og Luster tek til orientering steget i formannskapet
    Så utgreiinga er i tilstanden «forankring»
    Og å passere porten vert avvist av «anchored-every-step»
    Og avvisinga nemner Luster
