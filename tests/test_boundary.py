"""Every field is checked where it enters: one clear InvalidValue, and nothing written."""

from __future__ import annotations

import datetime as dt
import decimal
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest

import stepgate as sg
from stepgate.testing import SECRETARIAT, SOGN, Scenario

Call = Callable[[Scenario], Any]


def _session(run: Scenario) -> str:
    return run.session or run.hold()


CASES: list[tuple[str, Call, str]] = [
    (
        "actor as text",
        lambda r: r.inv.record_fact("x", actor="sogn-ko"),
        "actor must be a stepgate.Actor",
    ),
    ("actor None, none loaded", lambda r: _no_actor(r).record_fact("x"), "needs an actor"),
    ("bytes value", lambda r: r.inv.record_fact("x", b"bytes"), "fact value must be a text"),
    ("decimal value", lambda r: r.inv.record_fact("x", decimal.Decimal(1)), "got Decimal"),
    ("set value", lambda r: r.inv.record_fact("x", {"a"}), "fact value must be a text"),
    ("lone surrogate", lambda r: r.inv.register_topic("x\ud800", 3), "lone surrogate"),
    ("NUL in a text", lambda r: r.inv.register_topic("x\x00y", 3), "without NUL characters"),
    ("attendees a number", lambda r: r.inv.hold_session("Økt", 123), "attendees must be an id"),
    ("attendee a number", lambda r: r.inv.hold_session("Økt", ["R1", 2]), "each of attendees"),
    ("topics None", lambda r: r.inv.record_insight(_session(r), "x", topics=None), "topics must"),
    (
        "exemption a number",
        lambda r: r.inv.anchor_step("4640", body="formannskap", exemption=123),
        "exemption must be a text",
    ),
    (
        "public as text",
        lambda r: r.inv.anchor_step("4640", body="formannskap", public="no"),
        "public must be True or False",
    ),
    ("on as a number", lambda r: r.inv.record_fact("x", on=20240213), "on must be a date"),
    ("on as compact text", lambda r: r.inv.record_fact("x", on="20240213"), "on must be a date"),
    ("difficulty a bool", lambda r: r.inv.register_topic("x", True), "difficulty must be"),
    ("difficulty text", lambda r: r.inv.register_topic("x", "4"), "difficulty must be"),
    (
        "version as text",
        lambda r: r.inv.anchor_mandate("4640", body="formannskap", version="1"),
        "version must be a whole number",
    ),
    ("municipality a number", lambda r: r.inv.record_consultation(4640), "municipality must be"),
    ("unknown field", lambda r: r.inv.explain("close_step", colour="red"), "unknown field"),
    ("action not text", lambda r: r.inv.explain(42), "unknown action 42"),
    ("today as text", lambda r: r.inv.signals(today="soon"), "today must be a date"),
]


def _no_actor(run: Scenario) -> sg.Investigation:
    return run.store.load(run.inv.key, sg.trust_reform())


@pytest.mark.parametrize(("case", "call", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_field_is_one_clear_error_and_writes_nothing(
    run: Scenario, case: str, call: Call, words: str
) -> None:
    """A bad value names its field and what was given; record and object stay as they were."""
    run.start().close()
    before_state, before_log = run.inv.snapshot(), run.inv.events
    with pytest.raises(sg.InvalidValue, match=words) as caught:
        call(run)
    assert (
        "got" in str(caught.value) or "unknown" in str(caught.value) or "needs" in str(caught.value)
    )
    assert run.inv.snapshot() == before_state
    assert run.inv.events == before_log


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: sg.Municipality("４６４０", "Sogndal"), "4 digits 0-9"),
        (lambda: sg.Municipality(4640, "Sogndal"), "kommunenummer must be 4 digits"),
        (lambda: sg.Municipality("4640", "Sog\ud800ndal"), "lone surrogate"),
        (lambda: sg.Actor("ko", secretariat="yes"), "secretariat must be True or False"),
        (lambda: sg.Actor("ko\x1b[31m"), "without control characters"),
        (lambda: sg.Region("Sogn", "4640"), "members must be a list"),
        (lambda: sg.Region("Sogn", ["4640"]), "each member must be a stepgate.Municipality"),
        (lambda: sg.open_store(42), "path must be a file path"),
    ],
    ids=[
        "fullwidth-digits",
        "int-number",
        "surrogate-name",
        "flag",
        "control",
        "members-text",
        "member-text",
        "path",
    ],
)
def test_values_refuse_what_they_cannot_hold(build: Callable[[], Any], words: str) -> None:
    """Domain values refuse look-alike digits, wrong types and control characters."""
    with pytest.raises(sg.InvalidValue, match=words):
        build()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("key", "barnevern\x00", "without control characters"),
        ("key", "  ", "non-empty"),
        ("title", b"Barnevern", "title must be a text"),
        ("region", "Sogn", "region must be a stepgate.Region"),
        ("actor", "sogn-ko", "actor must be a stepgate.Actor"),
        ("pilot", "no", "pilot must be True or False"),
        ("on", 20240110, "on must be a date"),
        ("process", "trust-reform", "process must be a stepgate.Process"),
    ],
)
def test_create_checks_every_field(store: sg.Store, field: str, value: Any, words: str) -> None:
    """Creating an investigation checks each field, and a refusal creates nothing."""
    fields: dict[str, Any] = {
        "key": "barnevern-2024",
        "title": "Felles barnevern",
        "region": SOGN,
        "actor": SECRETARIAT,
    }
    process: Any = sg.trust_reform()
    if field == "process":
        process = value
    else:
        fields[field] = value
    with pytest.raises(sg.InvalidValue, match=words):
        store.create(process, **fields)
    assert store.keys() == []


def test_look_alike_keys_are_one_investigation(store: sg.Store) -> None:
    """A key in NFD and in NFC is one key: the second create is refused, and loading finds it."""
    nfc = unicodedata.normalize("NFC", "årdal-2024")
    nfd = unicodedata.normalize("NFD", "årdal-2024")
    assert nfc != nfd
    store.create(sg.trust_reform(), key=nfd, title="Årdal", region=SOGN, actor=SECRETARIAT)
    with pytest.raises(sg.AlreadyExists, match="exists already"):
        store.create(sg.trust_reform(), key=nfc, title="Årdal", region=SOGN, actor=SECRETARIAT)
    assert store.keys() == [nfc]
    assert store.load(nfd, sg.trust_reform()).key == nfc
    assert store.summary(nfd).key == nfc


def test_dates_accept_iso_text_and_date_values(run: Scenario) -> None:
    """A date may be a date, a datetime or ISO text; all give the same day."""
    run.start()
    for on in ("2024-02-06", dt.date(2024, 2, 6), dt.datetime(2024, 2, 6, 12, tzinfo=dt.UTC)):
        recorded = run.inv.record_fact("merknad", "ja", on=on)
        assert recorded[0].event.on == dt.date(2024, 2, 6)


def test_ids_may_be_one_text_or_a_list(run: Scenario) -> None:
    """attendees, topics and the like take one id as text or a list (or set) of ids."""
    run.start()
    run.hold()
    run.topic("Vertskommune", 5)
    one = run.inv.record_insight(run.session, "Ei innsikt", topics="T1")
    many = run.inv.record_insight(run.session, "Ei til", topics={"T1"})
    insights = run.inv.history().insights
    assert insights[one].topics == insights[many].topics == ("T1",)


def test_a_clock_that_gives_no_aware_time_is_refused(store: sg.Store) -> None:
    """A store clock returning a naive time is a clear error before anything is written."""
    run = Scenario(store)

    class Naive:
        def now(self) -> dt.datetime:
            return dt.datetime(2024, 1, 15, 9, 0)

    store.clock = Naive()
    before = run.inv.events
    with pytest.raises(sg.InvalidValue, match="an aware datetime"):
        run.inv.record_fact("x")
    assert run.inv.events == before


def test_creating_with_a_clock_that_gives_no_aware_time_is_refused(store: sg.Store) -> None:
    """The clock's time goes into the record, so create refuses a naive one too."""

    class Naive:
        def now(self) -> dt.datetime:
            return dt.datetime(2024, 1, 15, 9, 0)

    store.clock = Naive()
    with pytest.raises(sg.InvalidValue, match="an aware datetime"):
        Scenario(store)
    assert store.keys() == []


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_a_command_dated_before_the_creation_is_refused(store: sg.Store, lang: str) -> None:
    """A record never reaches back before its investigation was created: a command dated
    earlier is refused (valid-command), saying how to date the creation; nothing is recorded."""
    inv = store.create(
        sg.trust_reform(), key="k", title="T", region=SOGN, actor=SECRETARIAT, on="2024-03-01"
    )
    with pytest.raises(sg.CommandRefused) as refused:
        inv.set_milestone("m", "2024-06-01", on="2024-02-05")
    assert refused.value.rules == ("valid-command",)
    said = refused.value.message(lang)
    assert (
        "før utgreiinga vart oppretta" if lang == "nn" else "before the investigation was created"
    ) in said
    assert inv.version == 1
