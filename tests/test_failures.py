"""Whatever a command raises, the object afterwards equals the record, and the record holds."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import stepgate as sg
from stepgate.store import backend as _store
from stepgate.testing import Scenario
from tests._db import TempRecord
from tests.conftest import KO
from tests.test_stateful import ACTORS, REGION, command

KEY = "barnevern-2024"


def fail_once(target: Any, name: str, error: BaseException) -> Callable[[], None]:
    """Make ``target.name`` raise ``error`` on its next call; return the undo."""
    original = getattr(target, name)

    def failing(*args: Any, **kwargs: Any) -> Any:
        setattr(target, name, original)
        raise error

    setattr(target, name, failing)
    return lambda: setattr(target, name, original)


@pytest.fixture
def path(location: str) -> str:
    """A new durable record on each backend."""
    return location


@pytest.fixture
def started(path: str, clock: sg.FixedClock) -> Scenario:
    """The barnevern investigation in step 1, in a durable store."""
    return Scenario(sg.open_store(path, clock=clock)).start()


def record_of(path: str) -> sg.Investigation:
    """The investigation as another reader of the record sees it."""
    return sg.open_store(path).load(KEY, sg.trust_reform())


ERRORS: list[BaseException] = [
    RuntimeError("a host app's bug"),
    TypeError("cannot write this as JSON"),
    MemoryError(),
    KeyboardInterrupt(),
    sg.StorageUnavailable("the disk went away"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_a_failure_after_the_fold_leaves_the_object_equal_to_the_record(
    started: Scenario, path: str, error: BaseException
) -> None:
    """A failed append (of any kind) is undone in memory; the next command follows with no gap."""
    inv = started.inv
    fail_once(inv._store.backend, "_insert", error)
    with pytest.raises(type(error)):
        inv.register_topic("Vertskommune", 5)
    assert inv.snapshot() == record_of(path).snapshot()
    inv.register_topic("Kostnadsfordeling", 5)
    assert [r.seq for r in inv.events] == list(range(1, inv.version + 1))
    assert [t.title for t in record_of(path).state.topics.values()] == ["Kostnadsfordeling"]
    assert sg.open_store(path).verify().ok


def test_a_value_the_record_cannot_hold_is_refused_before_anything_changes(
    started: Scenario, path: str
) -> None:
    """The issue's first case: bytes as a fact's value never reach the fold or the file."""
    before = started.inv.version
    with pytest.raises(sg.InvalidValue):
        started.inv.record_fact("x", b"bytes")  # type: ignore[arg-type]
    assert started.inv.version == before == record_of(path).version
    started.inv.record_fact("x", "ja")
    assert record_of(path).version == before + 1


def test_a_stale_copy_never_writes_past_a_second_writer(started: Scenario, path: str) -> None:
    """After a failure and a second writer's T1, this copy's next topic is T2, not a second T1."""
    inv = started.inv
    fail_once(inv._store.backend, "_insert", RuntimeError("boom"))
    with pytest.raises(RuntimeError):
        inv.register_topic("Først", 3)
    other = sg.open_store(path).load(KEY, sg.trust_reform(), actor=KO)
    assert other.register_topic("Andre", 3) == "T1"
    with pytest.raises(sg.ConcurrencyConflict):  # this copy is behind now: refused, reloaded
        inv.register_topic("Tredje", 3)
    assert inv.register_topic("Tredje", 3) == "T2"
    topics = [r.event.id for r in record_of(path).events if r.kind == "topic_registered"]
    assert topics == ["T1", "T2"]
    assert sg.open_store(path).verify().ok


def test_a_copy_ahead_of_the_record_is_refused_by_the_store(started: Scenario, path: str) -> None:
    """The store compares the caller's expected version with the record, not with itself."""
    inv = started.inv
    engine, backend = inv._engine, inv._store.backend
    state = inv.state
    ahead = engine.execute(state, engine_command(inv), KO, inv._now())  # folded, not written
    with pytest.raises(sg.ConcurrencyConflict, match="expected"):
        backend.append(
            state, state.version, engine.execute(state, engine_command(inv), KO, inv._now())
        )
    assert ahead  # the first fold made the copy one ahead of the record
    assert record_of(path).version == inv.version - 2 == started.store.summary(KEY).version
    assert sg.open_store(path).verify().ok


def engine_command(inv: sg.Investigation) -> sg.Command:
    """A command that is always accepted in step 1."""
    return inv.build("record_fact", name="merknad", value="ja")


def test_when_the_record_cannot_be_read_the_object_reloads_before_its_next_use(
    started: Scenario, path: str
) -> None:
    """A failed reload leaves the object stale: it never shows its own guess, and heals later."""
    inv = started.inv
    backend = inv._store.backend
    fail_once(backend, "_insert", RuntimeError("write failed"))
    undo_load = fail_once(backend, "load", sg.StorageUnavailable("read failed"))
    with pytest.raises(RuntimeError):
        inv.register_topic("Vertskommune", 5)
    undo_load()
    fail_once(backend, "load", sg.StorageUnavailable("still down"))
    with pytest.raises(sg.StorageUnavailable, match="still down"):
        inv.state  # noqa: B018 - reading it must reload
    assert inv.snapshot() == record_of(path).snapshot()


def test_a_failed_migration_leaves_the_object_equal_to_the_record(
    started: Scenario, path: str
) -> None:
    """A migration that fails in the store is not kept in memory."""
    changed = sg.trust_reform(noted_counts=False)
    store = sg.open_store(path)
    fail_once(store.backend, "_insert", RuntimeError("boom"))
    with pytest.raises(RuntimeError):
        store.load(KEY, changed, migrate="strengare", actor=KO)
    inv = store.load(KEY, changed, migrate="strengare", actor=KO)
    assert inv.events[-1].kind == "definition_migrated"
    assert [r.seq for r in inv.events] == list(range(1, inv.version + 1))


def test_a_rolled_back_batch_leaves_every_object_equal_to_the_record(
    started: Scenario, path: str
) -> None:
    """An error leaving a batch undoes all its commands; each object reads the record again."""
    inv, store = started.inv, started.store
    other = store.load(KEY, sg.trust_reform(), actor=KO)
    before = inv.version
    with pytest.raises(RuntimeError, match="changed its mind"):
        two_topics_then_a_change_of_mind(store, inv)
    assert inv.version == before == record_of(path).version
    assert other.version == before
    with store.batch():
        inv.register_topic("A", 3)
        with pytest.raises(sg.CommandRefused):
            inv.close_step()  # refused inside: leaves nothing, the batch goes on
        inv.register_topic("B", 3)
    assert record_of(path).version == before + 2
    assert sg.open_store(path).verify().ok


def two_topics_then_a_change_of_mind(store: sg.Store, inv: sg.Investigation) -> None:
    """A batch of two commands that the host app then abandons with an error."""
    with store.batch():
        inv.register_topic("A", 3)
        inv.register_topic("B", 3)
        raise RuntimeError("the host app changed its mind")


class FailureMachine(RuleBasedStateMachine):
    """Random commands, with failures and a second writer injected between them (SQLite)."""

    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.record = TempRecord(self.backend)
        self.path = self.record.location
        self.store = sg.open_store(self.path, clock=sg.FixedClock())
        self.inv = self.store.create(
            sg.trust_reform(), key="fuzz", title="Fuzz", region=REGION, actor=KO, on="2024-01-10"
        )
        self.other = sg.open_store(self.path, clock=sg.FixedClock())

    def teardown(self) -> None:
        """Close both stores and remove the record."""
        self.store.close()
        self.other.close()
        self.record.close()

    @rule(action=command, actor=st.sampled_from(ACTORS))
    def issue(self, action: tuple[str, dict[str, Any]], actor: sg.Actor) -> None:
        """A random command by a random actor; refusals and conflicts are fine."""
        name, fields = action
        with contextlib.suppress(sg.CommandRefused, sg.NotAllowed, sg.ConcurrencyConflict):
            self.inv.run(self.inv.build(name, on="2024-02-05", **fields), actor=actor)

    @rule(
        error=st.sampled_from([RuntimeError("bug"), TypeError("json"), KeyboardInterrupt()]),
        where=st.sampled_from(["_insert", "append"]),
    )
    def fail_next(self, error: BaseException, where: str) -> None:
        """The next write fails with a non-stepgate exception, after the engine folded."""
        undo = fail_once(self.store.backend, where, error)
        try:
            self.inv.record_fact("injected", "yes")
        except type(error):
            pass
        finally:
            undo()

    @rule()
    def second_writer(self) -> None:
        """Another store on the same file appends a fact."""
        self.other.load("fuzz", sg.trust_reform(), actor=KO).record_fact("other", "yes")

    @invariant()
    def the_object_equals_the_record(self) -> None:
        """The object, a fresh load and a full replay agree; the log has no gap."""
        fresh = self.other.load("fuzz", sg.trust_reform())
        if self.inv.version == fresh.version:
            assert self.inv.snapshot() == fresh.snapshot()
        else:  # the other writer moved on: this copy is behind, never beside or ahead
            assert self.inv.version < fresh.version
        audit = self.other.audit("fuzz", sg.trust_reform())
        assert audit.ok, audit.broken
        assert [r.seq for r in fresh.events] == list(range(1, fresh.version + 1))

    @invariant()
    def the_store_verifies(self) -> None:
        """Chain, ledger, rows and snapshots hold after every step."""
        report = self.other.verify()
        assert report.ok, report.breaks


FailureMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestFailureMachine = FailureMachine.TestCase


class PostgresFailureMachine(FailureMachine):
    """The same, on PostgreSQL: a schema of its own per run."""

    backend = "postgres"


PostgresFailureMachine.TestCase.settings = FailureMachine.TestCase.settings
TestPostgresFailureMachine = PostgresFailureMachine.TestCase


def test_appending_with_a_gap_is_refused(started: Scenario) -> None:
    """Events that do not follow on from the expected version are a bug, refused by the store."""
    inv = started.inv
    state = inv.state
    recorded = inv._engine.execute(state, engine_command(inv), KO, inv._now())
    gapped = [sg.Recorded(r.seq + 1, r.actor, r.at, r.event) for r in recorded]
    with pytest.raises(sg.StoreError, match="follow on"):
        inv._store.backend.append(state, state.version - 1, gapped)
    inv.reload()
    assert started.store.verify().ok


@pytest.fixture(autouse=True)
def _small_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots every 5 events, so loads after failures go through them too."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 5)
