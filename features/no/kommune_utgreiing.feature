# language: no
Egenskap: Ei utgreiing i éin kommune
  Sogndal greier ut på eiga hand (examples/kommune_utgreiing.py). Etter kvart
  steg avgjer leiargruppa til kommunedirektøren: vidare, ta steget om att,
  setje det på vent eller stoppe. Kommunestyret avgjer til slutt: godkjenne,
  sende attende eller avvise.

  Bakgrunn:
    Gitt prosessen «kommune_utgreiing:kommune_process»
    Og regionen «Sogndal kommune» med Sogndal (4640)
    Og ei utgreiing «Heimetenester» som starta med Sogndal
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema

  Scenario: Leiargruppa set steget på vent og lèt det seinare gå vidare
    Gitt steget er lukka
    Når porten registrerer «hold»
    Så utgreiinga er i tilstanden «på vent»
    Når porten registrerer «continue»
    Så utgreiinga er i tilstanden «planlegging»

  Scenario: Å ta steget om att sender det attende for meir innsikt
    Gitt steget er lukka
    Når porten registrerer «redo»
    Så utgreiinga er i tilstanden «innsikt»
    Og å lukke steget er tillate

  Scenario: Leiargruppa kan stoppe utgreiinga
    Gitt steget er lukka
    Når porten registrerer «stop»
    Så utgreiinga stoppa på grunn av «gate»

  Scenario: Berre utfalla til leiargruppa tel i porten hennar
    Gitt steget er lukka
    Så at Sogndal forankrar steget i formannskapet vert avvist av «valid-command»

  Scenario: Kommunestyret godkjenner, og endringa er vedteken
    Gitt steget er lukka
    Og porten registrerer «continue»
    Og neste steg opnar i tilråding
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og porten registrerer «continue»
    Og avgjerdsgrunnlaget er sendt til styringsgruppa
    Når kommunestyret i Sogndal godkjenner
    Så samarbeidet er etablert mellom Sogndal

  Scenario: Kommunestyret avviser, og utgreiinga stoppar
    Gitt steget er lukka
    Og porten registrerer «continue»
    Og neste steg opnar i tilråding
    Og ei økt med alle deltakarane
    Og ei innsikt utan tema
    Og steget er lukka
    Og porten registrerer «continue»
    Og avgjerdsgrunnlaget er sendt til styringsgruppa
    Når kommunestyret i Sogndal avviser
    Så utgreiinga stoppa på grunn av «rejected»
