"""The bulk path: Store.batch() writes many commands in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import stepgate as sg
from stepgate.testing import SECRETARIAT, Scenario
from tests._db import fresh_schema_url

KEYS = ("barnevern-2024", "nav-2024")


@pytest.fixture
def two(location: str, clock: sg.FixedClock) -> tuple[sg.Store, Scenario, Scenario]:
    """Two started investigations in a durable store (each backend)."""
    store = sg.open_store(location, clock=clock)
    return store, Scenario(store, key=KEYS[0]).start(), Scenario(store, key=KEYS[1]).start()


def test_a_batch_writes_every_command_with_its_own_place(
    two: tuple[sg.Store, Scenario, Scenario],
) -> None:
    """Interleaved commands on two investigations: one transaction, every command in order."""
    store, first, second = two
    before = store.checkpoint().position
    with store.batch():
        for i in range(150):  # past a snapshot, too
            (first if i % 2 else second).inv.record_fact(f"fakta-{i}", "ja")
    report = store.verify()
    assert report.ok, report.breaks
    feed = store.events_since(before, limit=1000)
    assert [e.recorded.event.name for e in feed] == [f"fakta-{i}" for i in range(150)]
    assert [e.position for e in feed] == list(range(before + 1, before + 151))
    for run in (first, second):
        assert (
            sg.open_store(
                store.backend.url if hasattr(store.backend, "url") else store.backend.path
            )
            .load(run.inv.key)
            .snapshot()
            == run.inv.snapshot()
        )


def test_what_a_batch_wrote_is_read_inside_it(two: tuple[sg.Store, Scenario, Scenario]) -> None:
    """A load, the log and a new investigation inside the batch see the commands before them."""
    store, first, _ = two
    with store.batch():
        first.inv.record_fact("inne", "ja")
        again = store.load(KEYS[0], actor=SECRETARIAT)
        assert again.version == first.inv.version
        assert first.inv.events[-1].kind == "fact_recorded"
        third = Scenario(store, key="tredje")
        first.inv.record_fact("etter", "ja")
        third.inv.record_fact("ny", "ja")
    assert store.verify().ok
    names = [r.event.name for r in store.backend.log(KEYS[0])[-2:]]  # type: ignore[attr-defined]
    assert names == ["inne", "etter"]


def test_a_batch_with_a_stale_copy_writes_nothing(
    two: tuple[sg.Store, Scenario, Scenario], location: str
) -> None:
    """A copy another writer has moved past: the batch's command conflicts, none of it written."""
    store, first, second = two
    sg.open_store(location).load(KEYS[0], actor=SECRETARIAT).record_fact("først", "ja")
    before = store.checkpoint()

    def batch() -> None:
        with store.batch():
            second.inv.record_fact("b", "ja")
            first.inv.record_fact("a", "ja")  # first.inv is behind the record

    with pytest.raises(sg.ConcurrencyConflict):
        batch()
    assert store.checkpoint() == before
    for run in (first, second):  # each object reads the record again
        assert run.inv.snapshot() == sg.open_store(location).load(run.inv.key).snapshot()
    assert store.verify().ok


def _snapshot_version(store: sg.Store, key: str) -> int:
    """The version the stored snapshot of ``key`` is at (0: none)."""
    with store.backend._read() as conn:
        found = conn.execute(
            "SELECT snapshot_version FROM investigations WHERE key = ?", [key]
        ).fetchone()
    return int(found[0])


def test_a_batch_writes_one_snapshot_at_its_last_command(
    two: tuple[sg.Store, Scenario, Scenario], location: str
) -> None:
    """350 commands in a batch: one snapshot, at the last command written before a read."""
    store, first, _ = two
    with store.batch():
        for i in range(350):
            first.inv.record_fact(f"fakta-{i}", "ja")
        inside = first.inv.head_hash  # read inside: the waiting rows are written first
        first.inv.record_fact("siste", "ja")
    assert _snapshot_version(store, KEYS[0]) == first.inv.version - 1  # none due at "siste"
    assert inside == store.backend.hash_at(KEYS[0], first.inv.version - 1)  # type: ignore[attr-defined]
    assert first.inv.head_hash == sg.open_store(location).load(KEYS[0]).head_hash
    assert sg.open_store(location).load(KEYS[0]).snapshot() == first.inv.snapshot()
    assert store.verify().ok


def test_a_command_that_fails_half_way_in_a_batch_leaves_no_snapshot_of_its_state(
    two: tuple[sg.Store, Scenario, Scenario], location: str
) -> None:
    """A command whose fold breaks off: the batch's other commands are written, no snapshot of
    the half-changed state is, and the object reads the record again."""
    store, first, _ = two
    engine = first.inv._engine
    real = engine.commit

    def half(state: sg.InvestigationState, *args: object) -> object:
        state.title = "halvt"  # a change a broken handler might leave behind
        raise RuntimeError("the fold broke off")

    before = _snapshot_version(store, KEYS[0])
    with store.batch():
        for i in range(150):
            first.inv.record_fact(f"fakta-{i}", "ja")
        engine.commit = half  # type: ignore[method-assign]
        try:
            with pytest.raises(RuntimeError):
                first.inv.record_fact("brot", "ja")
        finally:
            engine.commit = real  # type: ignore[method-assign]
    assert _snapshot_version(store, KEYS[0]) == before
    loaded = sg.open_store(location).load(KEYS[0])
    assert loaded.state.title != "halvt"
    assert loaded.snapshot() == first.inv.snapshot()
    assert store.verify().ok


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL schema of its own (skips without a server, fails in CI)."""
    yield from fresh_schema_url()


def test_a_batch_that_loses_to_a_writer_during_it_writes_nothing(
    postgres_url: str, clock: sg.FixedClock
) -> None:
    """PostgreSQL lets another writer commit during a batch (SQLite's batch holds the write
    lock): the batch's end conflicts, and none of it is written."""
    location = postgres_url
    store = sg.open_store(location, clock=clock)
    first, second = Scenario(store, key=KEYS[0]).start(), Scenario(store, key=KEYS[1]).start()
    other = sg.open_store(location).load(KEYS[0], actor=SECRETARIAT)
    before = store.checkpoint()

    def batch() -> None:
        with store.batch():
            first.inv.record_fact("a", "ja")
            second.inv.record_fact("b", "ja")
            other.record_fact("først", "ja")  # its own connection: committed at once

    with pytest.raises(sg.ConcurrencyConflict):
        batch()
    assert store.checkpoint().position == before.position + 1  # the other writer's only
    for run in (first, second):
        assert run.inv.snapshot() == sg.open_store(location).load(run.inv.key).snapshot()
    assert store.verify().ok
