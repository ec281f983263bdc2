"""Records the benchmarks build: investigations that read like real ones, fast.

``story`` drives one investigation through step after step, as a long one
would run: sessions with every participant's two representatives, topics
registered and raised, insights of real length, ratings, the step closed,
anchored at home by every participant and passed, the next step opened on the
insight so far. Its state grows with its history (sessions, insights,
anchorings of past steps, topics). Commands run through the engine; the store
appends them in batches (one transaction each), as an import would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import stepgate as sg
from stepgate.model import commands as cmd
from stepgate.testing import SECRETARIAT, Scenario

AT = dt.datetime(2024, 2, 5, 9, tzinfo=dt.UTC)
ON = dt.date(2024, 2, 5)

WORDS = (
    "kommunane",
    "barnevernet",
    "tenesta",
    "vertskommunen",
    "tilsette",
    "fagmiljø",
    "rekruttering",
    "reisetid",
    "ferjesamband",
    "kostnadsfordeling",
    "styringsmodell",
    "internkontroll",
    "akuttberedskap",
    "fosterheim",
    "kompetanse",
    "leiing",
    "samarbeid",
    "avtale",
    "økonomi",
    "budsjett",
    "innbyggjarar",
    "skular",
    "helsestasjonar",
    "familiar",
    "tiltak",
    "kvalitet",
    "rettstryggleik",
    "tilsyn",
    "overgang",
    "arbeidsgivar",
    "tillitsvalde",
    "partssamarbeid",
    "forankring",
    "kommunestyret",
    "formannskapet",
    "utgreiinga",
    "modell",
    "alternativ",
    "lokalisering",
    "kontorstad",
    "fagsystem",
    "journal",
    "personvern",
    "dokumentasjon",
    "opplæring",
)
"""Words of the texts: Nynorsk, as the record's texts are."""


def text(rng: random.Random, length: int) -> str:
    """A sentence of about ``length`` characters of Nynorsk words."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return (" ".join(words)).capitalize() + "."


def story(
    store: sg.Store, key: str, events: int, *, seed: int = 2024, batch: int = 5_000
) -> sg.Investigation:
    """An investigation of about ``events`` events (exactly ``events`` or a few more)."""
    rng = random.Random(seed)
    run = Scenario(store, key=key)
    run.milestones().join()
    run.inv.start(text(rng, 60), on=ON)
    inv, engine, state = run.inv, run.inv._engine, run.inv.state
    pending: list[sg.Recorded] = []
    expected = state.version
    for command in _commands(run, rng):
        if state.version >= events:
            break
        pending += engine.execute(state, command, SECRETARIAT, AT)
        if len(pending) >= batch:
            store.backend.append(state, expected, pending)
            expected, pending = state.version, []
    if pending:
        store.backend.append(state, expected, pending)
    inv.reload()
    return inv


def interleaved(store: sg.Store, investigations: int, events: int) -> None:
    """``investigations`` investigations of about ``events`` events each, written as concurrent
    ones are: one command per transaction, round after round, one command of each in turn (so
    each investigation's rows go in between the others' rather than at the end)."""
    runs = []
    for n in range(investigations):
        run = Scenario(store, key=f"inv-{n:05d}")
        run.milestones().join()
        run.inv.start(text(random.Random(n), 60), on=ON)
        runs.append((run.inv._engine, run.inv.state, _commands(run, random.Random(n))))
    while runs:
        with store.batch():  # one transaction per round; each command keeps its own ledger row
            for engine, state, commands in runs:
                expected = state.version
                store.backend.append(
                    state, expected, engine.execute(state, next(commands), SECRETARIAT, AT)
                )
        runs = [each for each in runs if each[1].version < events]


def extend(inv: sg.Investigation, count: int, *, seed: int = 7) -> None:
    """``count`` more events, one command (one transaction) each: a tail after the snapshot."""
    rng = random.Random(seed)
    state = inv.state
    for i in range(count):
        topic = f"T{1 + i % state.topic_count}" if state.topic_count else None
        if topic is None:
            inv.record_fact(f"status-{i % 7}", text(rng, 20), actor=SECRETARIAT)
        else:
            inv.rate_topic(topic, 1 + i % 5, by="sogn-ko", on=ON, actor=SECRETARIAT)


def _commands(run: Scenario, rng: random.Random) -> Iterator[cmd.Command]:
    """Step after step, for ever: the commands of a long investigation."""
    state = run.inv.state
    members = list(run.inv.participants)
    attendees = [r for n in members for r in (run.employer[n], run.union[n])]
    step_number = 1
    while True:
        first_topic = state.topic_count + 1
        for i in range(6):
            yield cmd.RegisterTopic(text(rng, 50), 1 + (i * 7 + step_number) % 5, on=ON)
        topics = [f"T{n}" for n in range(first_topic, state.topic_count + 1)]
        for _ in range(2):
            yield cmd.HoldSession(text(rng, 40), attendees, on=ON)
            session = f"S{state.session_count}"
            for i in range(12):
                raised = tuple(topics[(i + j) % len(topics)] for j in range(i % 3))
                yield cmd.RecordInsight(session, text(rng, 300), topics=raised, on=ON)
            for i in range(6):
                yield cmd.RateTopic(
                    topics[i % len(topics)], 1 + (i + step_number) % 5, by="sogn-ko", on=ON
                )
        yield cmd.CloseStep(on=ON)
        for number in members:
            yield cmd.AnchorStep(
                number, body="formannskap", on=ON, case_ref=f"24/{step_number}-{number}"
            )
        recent = [f"I{state.insight_count - 1}", f"I{state.insight_count}"]
        yield cmd.OpenStep(text(rng, 80), builds_on=recent, on=ON)
        step_number += 1


def close_by_opting_out(store: sg.Store, key: str) -> None:
    """Opt every participant but one out: the investigation stops (minimum-participants)."""
    inv = store.load(key, sg.trust_reform(), actor=SECRETARIAT)
    engine, state = inv._engine, inv.state
    expected, pending = state.version, []
    for number in list(state.active)[:-1]:
        pending += engine.execute(
            state, cmd.OptOut(number, on=ON, reason="Held fram åleine"), SECRETARIAT, AT
        )
    store.backend.append(state, expected, pending)
