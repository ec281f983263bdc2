# language: no
Egenskap: Raske utgreiingar med tidleg avklaring
  Ei utgreiing startar med ein datert milepæl for kvar fase, i rett rekkjefølgje
  og innanfor den lengste tida policyen tillèt (linje 45 og 122-127 i grunnlaget).

  Scenario: Ingen start utan milepælar
    Gitt ei utgreiing «Felles barnevern»
    Og alle medlemene er inviterte
    Og Vik, Sogndal, Aurland, Lærdal, Årdal og Luster melder seg inn
    Og Vik, Sogndal, Aurland, Lærdal, Årdal og Luster registrerer arbeidsgivar og tillitsvald
    Så å starte utgreiinga vert avvist av «milestones-first»

  Scenario: Milepælane frå grunnlaget lèt utgreiinga starte
    Gitt ei utgreiing «Felles barnevern»
    Og milepælane er sette
    Og alle medlemene er inviterte
    Og Vik, Sogndal, Aurland, Lærdal, Årdal og Luster melder seg inn
    Og Vik, Sogndal, Aurland, Lærdal, Årdal og Luster registrerer arbeidsgivar og tillitsvald
    Så å starte utgreiinga er tillate
