"""The event feed and moving a record: positions in commit order, copies that keep the chain."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli
from stepgate.testing import Scenario
from tests._db import fresh_schema_url

KEYS = ("barnevern-2024", "nav-2024")


@pytest.fixture
def busy(location: str, clock: sg.FixedClock) -> sg.Store:
    """Two investigations whose commands interleave, one commit holding several events."""
    store = sg.open_store(location, clock=clock)
    first, second = Scenario(store, key=KEYS[0]), Scenario(store, key=KEYS[1], title="NAV")
    first.start()
    second.start()
    first.close().anchor()  # the last anchoring passes the gate: two events in one commit
    second.inv.record_fact("etter", "ja")
    return store


def test_positions_count_every_event_in_commit_order(busy: sg.Store) -> None:
    """Positions run 1..n with no gap; each investigation's events keep their own order."""
    feed = busy.events_since(0, limit=100_000)
    report = busy.verify()
    assert [e.position for e in feed] == list(range(1, report.events + 1))
    assert {e.investigation for e in feed} == set(KEYS)
    for key in KEYS:
        mine = [e.recorded.seq for e in feed if e.investigation == key]
        assert mine == list(range(1, busy.summary(key).version + 1))
    assert feed[-1].hash == report.heads[KEYS[1]]
    kinds = [e.kind for e in feed]
    passed = kinds.index("gate_passed")
    assert kinds[passed - 1] == "step_anchored"  # the commit that holds both, in its order


def test_the_feed_after_any_position_is_the_rest(busy: sg.Store) -> None:
    """events_since(p) is what follows p, also from inside a commit; limit cuts it short."""
    feed = busy.events_since(0, limit=100_000)
    for position in range(len(feed) + 1):
        assert busy.events_since(position, limit=100_000) == feed[position:]
    assert busy.events_since(3, limit=4) == feed[3:7]
    assert busy.events_since(len(feed)) == []


@pytest.mark.parametrize(("position", "limit"), [(-1, 10), (0, 0), (True, 10), (0, "9")])
def test_a_bad_position_or_limit_is_refused(position: object, limit: object) -> None:
    """Positions are whole numbers from 0; a limit from 1 to 100 000."""
    with pytest.raises(sg.InvalidValue):
        sg.open_store().events_since(position, limit=limit)  # type: ignore[arg-type]


def test_a_consumer_keeps_its_place_in_its_own_database(
    busy: sg.Store, tmp_path: pathlib.Path
) -> None:
    """docs/deployment.md's consumer survives crashes before its commit: every event once."""
    namespace: dict[str, object] = {}
    code = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text(
        encoding="utf-8"
    )
    block = code.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block, "docs/deployment.md", "exec"), namespace)  # noqa: S102 - our own docs
    follow = namespace["follow"]
    own = tmp_path / "archive.db"
    crashes = iter([7, 19])  # the host app dies after handling these positions, before commit

    def archive(conn: object, event: sg.FeedEvent) -> None:
        conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO archived (position, kind) VALUES (?, ?)", [event.position, event.kind]
        )
        if event.position == next_crash[0]:
            next_crash[0] = next(crashes, -1)
            raise RuntimeError("the host app died")

    next_crash = [next(crashes)]
    while True:
        try:
            follow(busy, str(own), archive)  # type: ignore[operator]
            break
        except RuntimeError:
            continue  # restarted: it picks up where its own database says it was
    import sqlite3  # noqa: PLC0415 - the consumer's own database

    rows = sqlite3.connect(own).execute("SELECT position FROM archived ORDER BY position")
    total = busy.verify().events
    assert [r[0] for r in rows] == list(range(1, total + 1))  # every event once


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL schema of its own (skips without a server, fails in CI)."""
    yield from fresh_schema_url()


def test_a_record_moves_to_postgresql_and_back_with_its_chain(
    tmp_path: pathlib.Path, postgres_url: str, clock: sg.FixedClock
) -> None:
    """SQLite -> PostgreSQL -> SQLite: the same heads, checkpoint and states all the way."""
    source = sg.open_store(tmp_path / "first.db", clock=clock)
    run = Scenario(source)
    run.start().close().anchor()
    Scenario(source, key="nav-2024", title="NAV").start()
    here = source.verify()
    there = source.copy_to(postgres_url)
    assert (there.heads, there.checkpoint) == (here.heads, here.checkpoint)
    moved = sg.open_store(postgres_url)
    assert moved.load(KEYS[0]).snapshot() == run.inv.snapshot()
    moved.load(KEYS[0], actor=run.inv.actor).record_fact("i-postgres", "ja")  # it grows there
    back = moved.copy_to(tmp_path / "back.db")
    assert back.checkpoint == moved.verify().checkpoint
    assert back.checkpoint is not None
    assert here.checkpoint is not None
    assert back.checkpoint.position == here.checkpoint.position + 1
    assert sg.open_store(tmp_path / "back.db").verify(against=here.checkpoint).ok


def test_a_copy_goes_only_into_a_new_store(tmp_path: pathlib.Path, clock: sg.FixedClock) -> None:
    """A target that holds a record is refused, and left as it was."""
    source = sg.open_store(tmp_path / "a.db", clock=clock)
    Scenario(source).start()
    target = sg.open_store(tmp_path / "b.db", clock=clock)
    Scenario(target, key="nav-2024").start()
    before = target.checkpoint()
    with pytest.raises(sg.StoreError, match="holds a record already"):
        source.copy_to(tmp_path / "b.db")
    assert target.checkpoint() == before
    assert target.keys() == ["nav-2024"]


def test_a_broken_record_is_not_copied(tmp_path: pathlib.Path, clock: sg.FixedClock) -> None:
    """copy_to verifies the source first: a tampered record is refused, nothing is made."""
    from tests._db import Raw  # noqa: PLC0415 - the tamperer's connection

    source = sg.open_store(tmp_path / "a.db", clock=clock)
    Scenario(source).start()
    raw = Raw(str(tmp_path / "a.db"))
    raw.drop_guards()
    raw.execute(
        "UPDATE events SET hash = ? WHERE id = (SELECT id FROM event_log WHERE seq = 2)",
        [bytes(32)],
    )
    with pytest.raises(sg.RecordBroken, match="nothing is copied"):
        source.copy_to(tmp_path / "b.db")
    assert not (tmp_path / "b.db").exists()


def test_feed_and_copy_on_the_command_line(location: str, tmp_path: pathlib.Path) -> None:
    """stepgate feed (text and JSON) and stepgate copy work on files and URLs alike."""
    runner = CliRunner(env={"STEPGATE_LANG": "en"})
    assert runner.invoke(cli, ["demo", "--db", location]).exit_code == 0
    out = runner.invoke(cli, ["feed", location, "--since", "94"]).output.splitlines()
    assert [line.split()[0] for line in out] == ["95", "96"]
    assert out[-1].split()[-1] == "concluded"
    items = json.loads(runner.invoke(cli, ["feed", location, "--since", "95", "--json"]).output)
    assert items[0]["position"] == 96
    assert items[0]["data"]["established_among"] == ["4640", "4642", "4643", "4644"]
    copied = runner.invoke(cli, ["copy", location, str(tmp_path / "copy.db")])
    assert copied.exit_code == 0, copied.output
    assert "96 events copied and verified; the same heads and checkpoint stepgate:96:" in (
        copied.output
    )
    assert "password" not in copied.output
    backup = runner.invoke(cli, ["backup", location, str(tmp_path / "backup.db")])
    assert backup.exit_code == 0, backup.output
