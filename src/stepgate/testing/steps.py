"""The Gherkin step library, in English and in Norwegian (Nynorsk wording).

Every phrase exists in both languages and runs the same function, so a feature
file under ``# language: no`` (Gitt/Når/Så/Og/Men) and its English twin test
the same thing. Phrases are templates: ``{names}`` is a list of
municipalities ("Sogndal, Luster and Årdal" / "Sogndal, Luster og Årdal", by
name or kommunenummer), ``{title}`` a topic, ``{rule}`` a rule id,
``{body}`` a body (formannskap, kommunestyre, Sognatinget, …), ``{action}``
one of the actions in ``ACTIONS``. ``docs/steps.md`` lists them all.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from pytest_bdd import parsers, step

import stepgate as sg
from stepgate.model import fields as f
from stepgate.sogn import SOGN
from stepgate.testing._scenario import Scenario

VERBS = {
    "endorses": "endorsed",
    "endorse": "endorsed",
    "notes": "noted",
    "note": "noted",
    "sends back": "sent_back",
    "send back": "sent_back",
    "sluttar seg til": "endorsed",
    "tek til orientering": "noted",
    "sender attende": "sent_back",
}
DECISIONS = {
    "approves": "approve",
    "sends back": "send_back",
    "stops": "stop",
    "rejects": "reject",
    "godkjenner": "approve",
    "sender attende": "send_back",
    "stoppar": "stop",
    "avviser": "reject",
}


def _alternatives(words: dict[str, str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


PLACEHOLDERS = {
    "names": r".+?",
    "name": r".+?",
    "title": r"[^\"«»]+",
    "topics": r"[«\"].+",
    "d": r"\d",
    "rule": r"[a-z][a-z-]*",
    "state": r"[^\"«»]+",
    "body": r"[\wæøåÆØÅ_]+",
    "verb": _alternatives(VERBS),
    "outcome": _alternatives(DECISIONS),
    "knob": r"[a-z_]+",
    "field": r"[a-z_]+",
    "value": r"\S+",
    "phase": r"\w+",
    "action": r".+",
    "date": r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}",
    "count": r"\d+",
    "unit": r"days?|weeks?|dag|dagar|veke|veker",
    "region": r"[^\"«»]+",
}


@attrs.frozen
class Phrase:
    """One step in both languages: its kind, templates and what it does."""

    kind: str  # "given/when" or "then"
    en: str
    nn: str
    doc: str


STEPS: list[Phrase] = []
"""Every phrase of the library, in the order they are defined (docs/steps.md)."""


def pattern(template: str) -> str:
    """The regular expression of a phrase template."""
    text = template.replace("(", "(?:")
    return re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m[1]}>{PLACEHOLDERS[m[1]]})", text)


def phrase(en: str, nn: str, *, then: bool = False) -> Callable[[Any], Any]:
    """Register a step function under its English and Norwegian templates."""

    def register(func: Any) -> Any:
        for template in (en, nn):
            step(parsers.re(pattern(template)), "then" if then else None, stacklevel=2)(func)
        STEPS.append(Phrase("then" if then else "given/when", en, nn, (func.__doc__ or "")))
        return func

    return register


# --- the world a scenario runs in --------------------------------------------------


@attrs.define
class World:
    """The investigation a scenario is about, and the process and store it runs on."""

    store: sg.Store
    process: sg.Process
    region: sg.Region = SOGN
    scenario: Scenario | None = None
    last_refusal: list[sg.Violation] = attrs.Factory(list)

    @property
    def run(self) -> Scenario:
        """The scenario, or a clear failure when no investigation was set up yet."""
        if self.scenario is None:
            raise AssertionError("no investigation yet: begin with 'Given an investigation ...'")
        return self.scenario

    @property
    def inv(self) -> sg.Investigation:
        """The investigation."""
        return self.run.inv

    def numbers(self, text: str) -> list[str]:
        """Kommunenummer for a list like "Sogndal, Luster and Årdal" or "every participant"."""
        if text.strip().lower() in ("every participant", "alle deltakarane"):
            return list(self.inv.participants)
        parts = re.split(r",\s*|\s+(?:and|og)\s+", text.strip())
        return [self.region.find(p).id for p in parts if p]

    def topic(self, title: str) -> str:
        """The id of the topic called ``title``."""
        for topic in self.inv.history().topics.values():
            if topic.title == title:
                return topic.id
        raise AssertionError(f"no topic called {title!r}; known: {list(self.run.topics)}")


@pytest.fixture
def stepgate_world(stepgate_store: sg.Store, stepgate_process: sg.Process) -> World:
    """The world of one scenario: an in-memory store, the chosen process, the Sogn region."""
    return World(stepgate_store, stepgate_process)


BODIES = {
    "formannskapet": "formannskap",
    "kommunestyret": "kommunestyre",
    "utvalet": "utval",
    "ordføraren": "ordforar",
    "mayor": "ordforar",
    "kommunedirektøren": "kommunedirektor",
    "styringsgruppa": "styringsgruppe",
    "sognarådet": "ipr",
    "direktøren": "direktor",
    "director": "direktor",
    "leiargruppa": "leiargruppe",
    "leader group": "leiargruppe",
}
STATES = {sg.CATALOGUE[f"state.{s}"].nn: s for s in sg.STATES}
"""Lifecycle states by their Nynorsk label (a scenario may name them either way)."""


def body_of(word: str) -> str:
    """A body code from a word in either language ("formannskapet" → "formannskap")."""
    key = word.strip().lower()
    return BODIES.get(key, key)


def titles(text: str) -> list[str]:
    """The quoted titles in ``text``: "A" and "B", or «A» og «B»."""
    return re.findall(r"[\"«]([^\"«»]+)[\"»]", text)


# --- setting up ----------------------------------------------------------------------


@phrase('the region "{region}" with {names}', "regionen «{region}» med {names}")
def region(stepgate_world: World, region: str, names: str) -> None:
    """The parties: "Stad (4649)" for a municipality, "NAV Vestland (nav-vestland)" for another."""
    members: list[sg.Municipality | sg.Organisation] = []
    for part in re.split(r",\s*|\s+(?:and|og)\s+", names):
        found = re.fullmatch(r"(.+?)\s*\(([0-9]{4}|[a-z][a-z0-9-]*)\)", part.strip())
        if found is None:
            raise AssertionError(
                f"write each member as 'Name (kommunenummer)' or 'Name (organisation-id)'; "
                f"got {part!r}"
            )
        name, ident = found[1], found[2]
        members.append(
            sg.Municipality(ident, name) if ident.isdigit() else sg.Organisation(ident, name)
        )
    stepgate_world.region = sg.Region(region, members)


@phrase('the process "{title}"', "prosessen «{title}»")
def process(stepgate_world: World, title: str) -> None:
    """The process the scenario runs: "trust-reform", or a factory as "package.module:function"."""
    stepgate_world.process = load_process(title)


def load_process(name: str) -> sg.Process:
    """A process by name: the built-in "trust-reform", or "module:function" (imported)."""
    if name == "trust-reform":
        return sg.trust_reform()
    module, _, function = name.partition(":")
    if not function:
        raise AssertionError(f"name a process as 'trust-reform' or 'module:function'; got {name!r}")
    made = getattr(importlib.import_module(module), function)
    found = made() if callable(made) else made
    if not isinstance(found, sg.Process):
        raise TypeError(f"{name!r} gives {found!r}, not a stepgate.Process")
    return found


@phrase("the policy {knob} is {value}", "policyen {knob} er {value}")
def policy(stepgate_world: World, knob: str, value: str) -> None:
    """Change one policy knob of the process (before the investigation is created)."""
    words = {"true": True, "ja": True, "false": False, "nei": False}
    parsed: Any = words.get(value.lower(), int(value) if value.isdigit() else value)
    world = stepgate_world
    world.process = world.process.derive(f"{world.process.name}+{knob}", **{knob: parsed})


@phrase('an investigation "{title}"', "ei utgreiing «{title}»")
def investigation(stepgate_world: World, title: str) -> None:
    """A new investigation in draft, run by the chosen process."""
    world = stepgate_world
    key = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "utgreiing"
    world.scenario = Scenario(world.store, world.process, world.region, key=key, title=title)


@phrase(
    'an investigation "{title}" started with {names}',
    "ei utgreiing «{title}» som starta med {names}",
)
def started(stepgate_world: World, title: str, names: str) -> None:
    """Set up, invited, joined by the named members (the rest opt out) and started."""
    investigation(stepgate_world, title)
    stepgate_world.run.start(joined=stepgate_world.numbers(names))


@phrase("the milestones are set", "milepælane er sette")
def milestones(stepgate_world: World) -> None:
    """The seed's milestones: forstudie 2024-03-20, decision basis 2024-04-05."""
    stepgate_world.run.milestones()


@phrase("the date is {date}", "datoen er {date}")
def date_is(stepgate_world: World, date: str) -> None:
    """What follows happens on ``date`` (``2024-03-01`` or ``01.03.2024``): the store's clock
    stands there, and commands without a date of their own are dated that day."""
    _clock(stepgate_world).set(f.a_day("date", date))


@phrase("{count} {unit} pass", "det går {count} {unit}")
def time_passes(stepgate_world: World, count: str, unit: str) -> None:
    """The store's clock moves ``count`` days or weeks on; what follows is dated then."""
    days = int(count) * (7 if unit.startswith(("week", "vek")) else 1)
    _clock(stepgate_world).advance(days=days)


def _clock(world: World) -> sg.FixedClock:
    clock = world.store.clock
    if not isinstance(clock, sg.FixedClock):
        raise AssertionError(  # noqa: TRY004 - a scenario fails with an assertion
            "the date can be set only on a stepgate.FixedClock (the stepgate_clock fixture); "
            f"this store's clock is a {type(clock).__name__}"
        )
    return clock


@phrase("every member is invited", "alle medlemene er inviterte")
def invited(stepgate_world: World) -> None:
    """Every member of the region is invited."""
    stepgate_world.inv.invite()


@phrase(
    "every member is invited with answers due {date}",
    "alle medlemene er inviterte med svarfrist {date}",
)
def invited_by(stepgate_world: World, date: str) -> None:
    """Every member is invited, to answer by ``date``."""
    stepgate_world.inv.invite(answer_by=date)


@phrase("only {names} (is|are) invited", "berre {names} er invitert(e)?")
def invited_only(stepgate_world: World, names: str) -> None:
    """Only the named members are invited."""
    stepgate_world.inv.invite(municipalities=stepgate_world.numbers(names))


@phrase("{names} (join|joins)", "{names} meld(er)? seg inn")
def join(stepgate_world: World, names: str) -> None:
    """Each named member joins: its formannskap endorses the mandate."""
    stepgate_world.run.join(stepgate_world.numbers(names), reps=False)


@phrase(
    "{names} (register|registers) an employer and a union representative",
    "{names} registrerer arbeidsgivar og tillitsvald",
)
def parties(stepgate_world: World, names: str) -> None:
    """Each named member registers an employer and a union representative."""
    for number in stepgate_world.numbers(names):
        stepgate_world.run.reps(number)


@phrase("{name} registers only an employer representative", "{name} registrerer berre arbeidsgivar")
def employer_only(stepgate_world: World, name: str) -> None:
    """The named member registers an employer representative and no union one."""
    (number,) = stepgate_world.numbers(name)
    run = stepgate_world.run
    run.employer[number] = run.inv.register_representative(
        f"Kommunedirektør {run.region.name_of(number)}", "employer", municipality=number
    )


@phrase("{names} (opt|opts) out", "{names} meld(er)? seg ut")
def opt_out(stepgate_world: World, names: str) -> None:
    """Each named municipality opts out."""
    for number in stepgate_world.numbers(names):
        stepgate_world.inv.opt_out(number)


@phrase("the investigation starts", "utgreiinga startar")
def start(stepgate_world: World) -> None:
    """Step 1 opens."""
    stepgate_world.inv.start("Kva modell?")


@phrase('a topic "{title}" with difficulty {d}', "eit tema «{title}» med vanske {d}")
def topic(stepgate_world: World, title: str, d: str) -> None:
    """A topic is registered with its first rating."""
    stepgate_world.run.topic(title, int(d))


@phrase("a session with every participant", "ei økt med alle deltakarane")
def session(stepgate_world: World) -> None:
    """A session of the open step with every participant's representatives."""
    stepgate_world.run.hold()


@phrase(
    "a session without the union representative of {name}", "ei økt utan tillitsvald frå {name}"
)
def session_without(stepgate_world: World, name: str) -> None:
    """A session of the open step where the named municipality's unions are missing."""
    run = stepgate_world.run
    (missing,) = stepgate_world.numbers(name)
    attendees = [
        r
        for n in run.inv.participants
        for r in (run.employer[n], run.union[n])
        if r != run.union.get(missing)
    ]
    run.session = run.inv.hold_session("Økt", attendees)


@phrase("an insight on {topics}", "ei innsikt om {topics}")
def insight(stepgate_world: World, topics: str) -> None:
    """An insight in the current session on the quoted topics."""
    world = stepgate_world
    world.run.insight(*(world.topic(t) for t in titles(topics)))


@phrase("an insight on no topic", "ei innsikt utan tema")
def insight_bare(stepgate_world: World) -> None:
    """An insight in the current session, linked to no topic."""
    stepgate_world.run.insight()


@phrase("a consultation with the unions of {name}", "ei drøfting med dei tillitsvalde i {name}")
def consultation(stepgate_world: World, name: str) -> None:
    """A formal consultation (drøfting) with the named municipality's unions in this step."""
    for number in stepgate_world.numbers(name):
        stepgate_world.inv.record_consultation(number)


@phrase(
    'the employer representative of {name} rates "{title}" {d}',
    "arbeidsgivaren i {name} vurderer «{title}» til {d}",
)
def rate(stepgate_world: World, name: str, title: str, d: str) -> None:
    """The named municipality's employer representative rates a topic in the session."""
    world = stepgate_world
    (number,) = world.numbers(name)
    world.inv.rate_topic(
        world.topic(title), int(d), by=world.run.employer[number], session=world.run.session or None
    )


@phrase('a consensus puts "{title}" at {d}', "økta vert samd om at «{title}» har vanske {d}")
def consensus(stepgate_world: World, title: str, d: str) -> None:
    """The current session records a consensus on a topic's difficulty."""
    world = stepgate_world
    world.inv.record_consensus(world.topic(title), int(d), session=world.run.session)


@phrase("the step is closed", "steget er lukka")
def close(stepgate_world: World) -> None:
    """The open step closes for its gate."""
    stepgate_world.inv.close_step()


@phrase("{names} {verb} the step in (its )?{body}", "{names} {verb} steget i {body}")
def anchor(stepgate_world: World, names: str, verb: str, body: str) -> None:
    """Each named participant (or "every participant") takes a position on the step."""
    outcome = VERBS[verb.strip()]
    for number in stepgate_world.numbers(names):
        stepgate_world.inv.anchor_step(number, body=body_of(body), outcome=outcome)


@phrase("the next step opens", "neste steg opnar")
def next_step(stepgate_world: World) -> None:
    """The next step opens in the same phase, building on the latest insight."""
    stepgate_world.run.next_step()


@phrase("the next step opens in {phase}", "neste steg opnar i {phase}")
def next_step_in(stepgate_world: World, phase: str) -> None:
    """The next step opens in the named phase, building on the latest insight."""
    stepgate_world.run.next_step(phase=phase)


@phrase("the decision basis is submitted", "avgjerdsgrunnlaget er sendt til styringsgruppa")
def submit(stepgate_world: World) -> None:
    """The decision basis goes to the steering group (host-municipality model)."""
    stepgate_world.inv.submit("Modell C", cooperation_model="vertskommune")


@phrase("the steering group {outcome}", "styringsgruppa {outcome}")
def steering(stepgate_world: World, outcome: str) -> None:
    """The steering group approves, sends back or stops (godkjenner/sender attende/stoppar)."""
    stepgate_world.inv.steering_decision(DECISIONS[outcome])


@phrase("the council of {names} {outcome}", "kommunestyret i {names} {outcome}")
def council(stepgate_world: World, names: str, outcome: str) -> None:
    """Each named party's deciding body approves, sends back or rejects (godkjenner/…/avviser)."""
    run = stepgate_world.run
    for number in stepgate_world.numbers(names):
        run.inv.council_decision(number, DECISIONS[outcome], body=run.decider_body(number))


@phrase('{names} (record|records) "{title}" at the gate', "{names} registrerer «{title}» i porten")
def gate_outcome(stepgate_world: World, names: str, title: str) -> None:
    """Each named participant records the gate outcome ``title`` by its body at the gate."""
    run = stepgate_world.run
    for number in stepgate_world.numbers(names):
        run.inv.anchor_step(number, body=run.gate_body(number), outcome=title)


@phrase('the gate records "{title}"', "porten registrerer «{title}»")
def gate_decides(stepgate_world: World, title: str) -> None:
    """The gate's decider (its one body, or every participant) records the outcome ``title``."""
    stepgate_world.run.anchor(outcome=title)


@phrase("the mandate is revised", "mandatet er revidert")
def revise(stepgate_world: World) -> None:
    """A new mandate version; every participant must anchor it again."""
    stepgate_world.inv.revise_mandate("Mandat, ny versjon")


@phrase("{names} (anchor|anchors) the new mandate", "{names} forankrar det nye mandatet")
def reanchor(stepgate_world: World, names: str) -> None:
    """Each named participant's formannskap endorses the current mandate."""
    for number in stepgate_world.numbers(names):
        stepgate_world.inv.anchor_mandate(number, body="formannskap")


# --- actions a Then step tries -------------------------------------------------------

Builder = Callable[[World, dict[str, str]], tuple[str, dict[str, Any]]]


def _session_fields(world: World) -> dict[str, Any]:
    return {"session": world.run.session}


ACTIONS: list[tuple[str, str, Builder]] = [
    ("closing the step", "å lukke steget", lambda w, m: ("close_step", {})),
    (
        "starting the investigation",
        "å starte utgreiinga",
        lambda w, m: ("start", {"question": "Kva modell?"}),
    ),
    (
        "opening the next step on no insight",
        "å opne neste steg utan innsikt",
        lambda w, m: ("open_step", {"question": "?"}),
    ),
    (
        "opening the next step",
        "å opne neste steg",
        lambda w, m: ("open_step", {"question": "?", "builds_on": w.run.insights[-1:]}),
    ),
    ("passing the gate", "å passere porten", lambda w, m: ("pass_gate", {})),
    (
        "submitting the decision basis",
        "å sende avgjerdsgrunnlaget",
        lambda w, m: ("submit", {"summary": "Modell C"}),
    ),
    (
        '{name} anchoring the step in {body} exempt under "{title}"',
        "at {name} forankrar steget (i|hos) {body} unnateke etter «{title}»",
        lambda w, m: (
            "anchor_step",
            {"municipality": m["name"], "body": body_of(m["body"]), "exemption": m["title"]},
        ),
    ),
    (
        "{name} anchoring the step in {body} as not public",
        "at {name} forankrar steget (i|hos) {body} som ikkje offentleg",
        lambda w, m: (
            "anchor_step",
            {"municipality": m["name"], "body": body_of(m["body"]), "public": False},
        ),
    ),
    (
        "{name} anchoring the step in {body}",
        "at {name} forankrar steget (i|hos) {body}",
        lambda w, m: ("anchor_step", {"municipality": m["name"], "body": body_of(m["body"])}),
    ),
    (
        "{name} joining",
        "at {name} melder seg inn",
        lambda w, m: ("anchor_mandate", {"municipality": m["name"], "body": "formannskap"}),
    ),
    (
        "{name} opting out",
        "at {name} melder seg ut",
        lambda w, m: ("opt_out", {"municipality": m["name"]}),
    ),
    (
        'an insight only on "{title}"',
        "ei innsikt berre om «{title}»",
        lambda w, m: (
            "record_insight",
            {**_session_fields(w), "text": "Innsikt", "topics": [w.topic(m["title"])]},
        ),
    ),
    (
        'a rating of "{title}" by the union representative of {name}',
        "ei vurdering av «{title}» frå tillitsvald i {name}",
        lambda w, m: (
            "rate_topic",
            {
                **_session_fields(w),
                "topic": w.topic(m["title"]),
                "difficulty": 5,
                "by": w.run.union[w.numbers(m["name"])[0]],
            },
        ),
    ),
    (
        "a council decision of {name} in {body}",
        "eit vedtak om samarbeidet i {name} i {body}",
        lambda w, m: (
            "council_decision",
            {"municipality": m["name"], "outcome": "approve", "body": body_of(m["body"])},
        ),
    ),
    (
        "a second steering group decision",
        "eit nytt vedtak i styringsgruppa",
        lambda w, m: ("steering_decision", {"outcome": "stop"}),
    ),
]
"""Action phrases for ``{action} is refused by "{rule}"`` and ``{action} is allowed``."""


def _action(world: World, text: str) -> tuple[str, dict[str, Any]]:
    for en, nn, build in ACTIONS:
        for template in (en, nn):
            found = re.fullmatch(pattern(template), text.strip())
            if found is not None:
                return build(world, found.groupdict())
    known = "; ".join(en for en, _, _ in ACTIONS)
    raise AssertionError(f"unknown action {text!r}; the step library knows: {known}")


def _explain(world: World, text: str) -> list[sg.Violation]:
    action, fields = _action(world, text)
    return world.inv.explain(action, **fields)


def _listing(violations: list[sg.Violation]) -> str:
    if not violations:
        return "it was allowed"
    lines = "\n".join(f"  - {v.rule}: {v.en} (objects: {', '.join(v.objects)})" for v in violations)
    return f"it was refused by:\n{lines}"


# --- checking ------------------------------------------------------------------------


@phrase('{action} is refused by "{rule}"', "{action} vert avvist av «{rule}»", then=True)
def refused(stepgate_world: World, action: str, rule: str) -> None:
    """The action is refused, and the named rule is among the reasons."""
    found = _explain(stepgate_world, action)
    stepgate_world.last_refusal = found
    if rule not in {v.rule for v in found}:
        raise AssertionError(f"expected {action} to be refused by {rule!r}; {_listing(found)}")


@phrase(
    '{action} is refused as bad input naming "{field}"',
    "{action} vert avvist som ugyldig med feltet «{field}»",
    then=True,
)
def bad_input(stepgate_world: World, action: str, field: str) -> None:
    """The action cannot even be made: a field is bad input (InvalidValue naming it)."""
    try:
        found = _explain(stepgate_world, action)
    except sg.InvalidValue as error:
        if field not in error.message("en"):
            raise AssertionError(f"expected bad input naming {field!r}; got {error}") from None
        return
    raise AssertionError(f"expected {action} to be bad input naming {field!r}; {_listing(found)}")


@phrase("{action} is allowed", "{action} er tillate", then=True)
def allowed(stepgate_world: World, action: str) -> None:
    """No rule blocks the action now."""
    found = _explain(stepgate_world, action)
    if found:
        raise AssertionError(f"expected {action} to be allowed; {_listing(found)}")


@phrase("the refusal names {names}", "avvisinga nemner {names}", then=True)
def refusal_names(stepgate_world: World, names: str) -> None:
    """The last refusal checked names these municipalities (or quoted topics)."""
    world = stepgate_world
    found = world.last_refusal
    objects = {o for v in found for o in v.objects}
    quoted = titles(names)
    wanted = [world.topic(t) for t in quoted] if quoted else world.numbers(names)
    missing = [w for w in wanted if w not in objects]
    if missing:
        raise AssertionError(f"expected the refusal to name {missing}; {_listing(found)}")


@phrase(
    'the investigation is in state "{state}"', "utgreiinga er i tilstanden «{state}»", then=True
)
def in_state(stepgate_world: World, state: str) -> None:
    """The lifecycle state, in English or Nynorsk (e.g. "planning" / «planlegging»)."""
    wanted = STATES.get(state, state)
    found = stepgate_world.inv.lifecycle
    if found != wanted:
        raise AssertionError(f"expected the investigation in state {wanted!r}; it is in {found!r}")


@phrase("the participants are {names}", "deltakarane er {names}", then=True)
def participants(stepgate_world: World, names: str) -> None:
    """Exactly these municipalities take part."""
    world = stepgate_world
    wanted, found = sorted(world.numbers(names)), sorted(world.inv.participants)
    if wanted != found:
        raise AssertionError(
            f"expected participants {_names(world, wanted)}; found {_names(world, found)}"
        )


@phrase('the difficulty of "{title}" is {d}', "vansken til «{title}» er {d}", then=True)
def difficulty(stepgate_world: World, title: str, d: str) -> None:
    """A topic's difficulty now."""
    found = stepgate_world.inv.state.difficulty_of(stepgate_world.topic(title))
    if found != int(d):
        raise AssertionError(f"expected the difficulty of {title!r} to be {d}; it is {found}")


@phrase(
    "the cooperation is established among {names}",
    "samarbeidet er etablert mellom {names}",
    then=True,
)
def established(stepgate_world: World, names: str) -> None:
    """The investigation concluded and the cooperation is established among these."""
    world = stepgate_world
    wanted = sorted(world.numbers(names))
    found = sorted(world.inv.state.established_among)
    if world.inv.lifecycle != "concluded" or wanted != found:
        raise AssertionError(
            f"expected a cooperation among {_names(world, wanted)}; the "
            f"investigation is {world.inv.lifecycle!r}, established among "
            f"{_names(world, found)}"
        )


@phrase(
    'the investigation stopped because of "{rule}"',
    "utgreiinga stoppa på grunn av «{rule}»",
    then=True,
)
def stopped(stepgate_world: World, rule: str) -> None:
    """The investigation is stopped, for the named reason."""
    state = stepgate_world.inv.state
    if state.lifecycle != "stopped" or state.stop_reason != rule:
        raise AssertionError(
            f"expected a stop because of {rule!r}; the investigation is "
            f"{state.lifecycle!r} (reason {state.stop_reason!r})"
        )


def _names(world: World, numbers: list[str]) -> str:
    return ", ".join(world.region.name_of(n) for n in numbers) or "none"


def phrases() -> Iterator[Phrase]:
    """Every phrase of the library, actions included, for the docs."""
    yield from STEPS
    for en, nn, _build in ACTIONS:
        yield Phrase("action", en, nn, "")
