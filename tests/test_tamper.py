"""Someone with write access to the record: every tampering is named, nothing shows a forgery.

Each attack is done with a plain connection (sqlite3, or psycopg on PostgreSQL),
as an attacker would, on both backends. Where the attacker recomputes every
hash (the chains and the ledger), only a checkpoint taken before can tell, and
it does.
"""

from __future__ import annotations

import hashlib
import pathlib
import shutil
import zlib
from collections.abc import Callable

import orjson
import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli as main
from stepgate.store import backend as _store
from stepgate.store import verify as _verify
from stepgate.testing import Scenario
from tests._db import Raw, is_postgres

KEY, OTHER = "barnevern-2024", "nav-2024"
ENGLISH = {"STEPGATE_LANG": "en"}  # the CLI names the breaks in English here


@pytest.fixture
def path(location: str, monkeypatch: pytest.MonkeyPatch, clock: sg.FixedClock) -> str:
    """Two investigations in a store (each backend), snapshots every 10 events; Aurland out."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 10)
    store = sg.open_store(location, clock=clock)
    run = Scenario(store)
    run.start(joined=["4639", "4640", "4642", "4643", "4644"]).close().anchor()
    Scenario(store, key=OTHER, title="NAV").start()
    run.inv.record_fact("etter", "ja")
    store.close()
    return location


def attacker(path: str) -> Raw:
    """A plain connection with the insert-only guards lifted, as a tamperer would."""
    conn = Raw(path)
    conn.drop_guards()
    return conn


def number_of(conn: Raw, key: str) -> int:
    """The investigation's number, the high half of its events' ids."""
    return int(conn.execute("SELECT number FROM investigations WHERE key = ?", [key]).fetchone()[0])


def rechain(conn: Raw, key: str) -> None:
    """Recompute an investigation's hash chain and head, and drop its snapshot (an attacker)."""
    base = number_of(conn, key) << 32
    prev = b""
    rows = conn.execute(
        "SELECT id, CAST(body AS BLOB) FROM events WHERE id >> 32 = ? ORDER BY id", [base >> 32]
    ).fetchall()
    for event, body in rows:
        hashed = hashlib.sha256(body + prev).digest()
        conn.execute("UPDATE events SET hash = ? WHERE id = ?", [hashed, event])
        prev = hashed
    conn.execute("DELETE FROM snapshots WHERE investigation = ?", [key])
    conn.execute(
        "UPDATE investigations SET head_hash = ?, version = ?, snapshot_version = 0 WHERE key = ?",
        [prev.hex(), len(rows), key],
    )


def reledger(conn: Raw) -> None:
    """Rebuild the whole ledger from the events as they now are, one row per event (an attacker)."""
    conn.execute("DELETE FROM ledger")
    prev, position = b"", 0
    rows = conn.execute("SELECT id, hash FROM event_log ORDER BY recorded_at, id").fetchall()
    for position, (event, hashed) in enumerate(rows, start=1):
        prev = hashlib.sha256(prev + position.to_bytes(8, "big") + hashed).digest()
        conn.execute("INSERT INTO ledger VALUES (?, ?, ?)", [position, event, prev])
        conn.execute(
            "UPDATE investigations SET position = ? WHERE number = ?", [position, event >> 32]
        )


def verify(path: str | pathlib.Path, against: str | sg.Checkpoint | None = None) -> sg.Verification:
    """What a verifier sees: a read-only store."""
    with sg.open_store(path, read_only=True) as store:
        return store.verify(against=against)


def edit_body(conn: Raw, event: int, old: str, new: str) -> None:
    """Replace text in one event's body."""
    body = conn.execute("SELECT CAST(body AS BLOB) FROM events WHERE id = ?", [event]).fetchone()
    changed = conn.text(body[0]).replace(old, new)
    conn.execute("UPDATE events SET body = ? WHERE id = ?", [conn.body(changed), event])


def last_event(conn: Raw, key: str) -> int:
    """The id of the investigation's last event."""
    return int(
        conn.execute(
            "SELECT max(id) FROM events WHERE id >> 32 = ?", [number_of(conn, key)]
        ).fetchone()[0]
    )


def cut_tail_and_set_the_head_back(conn: Raw) -> None:
    """Delete the last event and make the investigations row say the log ended before it."""
    last = last_event(conn, KEY)
    conn.execute("DELETE FROM events WHERE id = ?", [last])
    before = conn.execute("SELECT hash FROM events WHERE id = ?", [last - 1]).fetchone()[0]
    conn.execute(
        "UPDATE investigations SET version = version - 1, head_hash = ? WHERE key = ?",
        [before.hex(), KEY],
    )


def delete_investigation(conn: Raw) -> None:
    """Delete a whole investigation: its events, snapshot and row."""
    number = number_of(conn, OTHER)
    conn.execute("DELETE FROM events WHERE id >> 32 = ?", [number])
    conn.execute("DELETE FROM snapshots WHERE investigation = ?", [OTHER])
    conn.execute("DELETE FROM investigations WHERE key = ?", [OTHER])


def delete_only_the_row(conn: Raw) -> None:
    """Delete an investigation's row (and its snapshot), leaving its events behind."""
    conn.execute("DELETE FROM snapshots WHERE investigation = ?", [OTHER])
    conn.execute("DELETE FROM investigations WHERE key = ?", [OTHER])


def copy_event_into_another(conn: Raw) -> None:
    """Copy an anchoring of one investigation to the end of another, hashes recomputed."""
    source = conn.execute(
        "SELECT e.body FROM events e JOIN event_log l ON l.id = e.id"
        " WHERE l.kind = 'step_anchored' ORDER BY e.id LIMIT 1"
    ).fetchone()[0]
    target = last_event(conn, OTHER) + 1
    conn.execute(
        "INSERT INTO events (id, body, hash) VALUES (?, ?, ?)",
        [target, source, b""],
    )
    rechain(conn, OTHER)


def append_an_orphan(conn: Raw) -> None:
    """Add a well-chained event after the head, without moving the row."""
    last = last_event(conn, KEY)
    body, hashed = conn.execute(
        "SELECT CAST(body AS BLOB), hash FROM events WHERE id = ?", [last]
    ).fetchone()
    text = conn.text(body)
    extra = text.replace(f'"seq":{last & 0xFFFFFFFF}}}', f'"seq":{(last & 0xFFFFFFFF) + 1}}}')
    new_hash = hashlib.sha256(extra.encode() + bytes(hashed)).digest()
    conn.execute(
        "INSERT INTO events (id, body, hash) VALUES (?, ?, ?)",
        [last + 1, conn.body(extra), new_hash],
    )


ATTACKS: list[tuple[str, Callable[[Raw], None], str, str]] = [
    ("cut-tail-head-set-back", cut_tail_and_set_the_head_back, "ledger", "which is missing"),
    ("deleted-investigation", delete_investigation, "ledger", "was deleted"),
    ("deleted-row-only", delete_only_the_row, "events", "belong to no investigation"),
    ("event-copied-in", copy_event_into_another, "chain", "moved or copied here"),
    (
        "row-title",
        lambda c: c.execute("UPDATE investigations SET title = 'Noko anna' WHERE key = ?", [KEY]),
        "row",
        "title says 'Noko anna'",
    ),
    (
        "row-state",
        lambda c: c.execute("UPDATE investigations SET state = 'concluded' WHERE key = ?", [KEY]),
        "row",
        "state says 'concluded'",
    ),
    ("orphan-after-head", append_an_orphan, "chain", "continues past its head"),
    (
        "ledger-hash",
        lambda c: c.execute("UPDATE ledger SET hash = ? WHERE position = 3", [bytes(32)]),
        "ledger",
        "does not follow",
    ),
    (
        "ledger-row-deleted",
        lambda c: c.execute("DELETE FROM ledger WHERE position = 5"),
        "ledger",
        "the ledger was edited",
    ),
    (
        "view-redefined",
        lambda c: (
            c.execute("DROP VIEW decisions"),
            c.execute("CREATE VIEW decisions AS SELECT * FROM events WHERE 1 = 0"),
        ),
        "schema",
        "view decisions was changed",
    ),
    (
        "trigger-added",
        lambda c: c.add_trigger("quiet"),
        "schema",
        "trigger quiet was not made by stepgate",
    ),
]


@pytest.mark.parametrize(("name", "attack", "part", "words"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_verify_names_every_tampering(
    path: str,
    name: str,
    attack: Callable[[Raw], None],
    part: str,
    words: str,
) -> None:
    """Each attack of the issue is a break of the named part, with words that say what."""
    assert verify(path).ok
    attack(attacker(path))
    report = verify(path)
    assert not report.ok
    named = [b for b in report.breaks if b.part == part]
    assert named, report.breaks
    assert any(words in b.reason for b in named), named
    schema = [b for b in report.breaks if b.part == "schema"]
    assert any("insert_only" in b.reason for b in schema)  # the lifted guards are named too


@pytest.mark.parametrize("attack", [a[1] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
@pytest.mark.parametrize("way", ["every-core", "chain-tier"])
def test_each_way_of_verifying_names_the_same_breaks(
    path: str, attack: Callable[[Raw], None], way: str
) -> None:
    """Workers name the same breaks, in the same order, as one process; the chain tier's one pass
    names what auditing each investigation without a replay names. Heads and checkpoint agree."""
    attack(attacker(path))
    with sg.open_store(path, read_only=True) as store:
        if way == "every-core":
            ours, theirs = store.verify(jobs=3), store.verify()
        else:
            ours = store.verify(chain_only=True)
            backend = store.backend
            with backend._read() as conn:
                theirs = _verify.verify(conn, None, schema_breaks=backend.schema_breaks)
    assert ours.breaks == theirs.breaks
    assert (ours.heads, ours.checkpoint, ours.events) == (
        theirs.heads,
        theirs.checkpoint,
        theirs.events,
    )


def forge_snapshot(conn: Raw) -> None:
    """Make the snapshot say Aurland (4641) is a participant, as plain sqlite3 and zlib can."""
    version, blob = conn.execute(
        "SELECT version, state FROM snapshots WHERE investigation = ?", [KEY]
    ).fetchone()
    state = orjson.loads(zlib.decompress(bytes(blob)))
    state["participants"]["4641"] = 1
    state["opted_out"].pop("4641", None)
    forged = zlib.compress(orjson.dumps(state, option=orjson.OPT_SORT_KEYS))
    conn.execute("UPDATE snapshots SET state = ? WHERE investigation = ?", [forged, KEY])
    assert version > 0


def test_a_forged_snapshot_is_named_and_never_shown(path: str) -> None:
    """verify names the forged snapshot; load does not use it; the CLI refuses to show it."""
    forge_snapshot(Raw(path))
    report = verify(path)
    (found,) = report.breaks
    assert (found.part, found.investigation) == ("snapshot", KEY)
    assert "forged" in found.reason
    inv = sg.open_store(path).load(KEY, sg.trust_reform())
    assert "4641" not in inv.participants  # the chain does not vouch for it: a full replay
    with pytest.raises(sg.RecordBroken, match="snapshot"):
        sg.open_store(path).load(KEY, sg.trust_reform(), verified=True)
    for args in (["status", path, KEY], ["report", path, KEY], ["log", path, KEY]):
        result = CliRunner(env=ENGLISH).invoke(main, args)
        assert result.exit_code == 1, args
        assert "RecordBroken" in result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        (
            lambda c: edit_body(c, number_of(c, KEY) << 32 | 20, '"on":"2024-', '"on":"2023-'),
            "seq 20",
        ),
        (
            lambda c: c.execute("DELETE FROM events WHERE id = ?", [number_of(c, KEY) << 32 | 12]),
            "seq 12",
        ),
        (
            lambda c: c.execute(
                "UPDATE investigations SET head_hash = ? WHERE key = ?", ["0" * 64, KEY]
            ),
            "head_hash",
        ),
    ],
    ids=["payload", "middle-event-deleted", "head-row"],
)
def test_read_commands_never_print_a_broken_record(
    path: str, attack: Callable[[Raw], None], words: str
) -> None:
    """status KEY, log and report: one line naming the break, exit 1, never a traceback."""
    attack(attacker(path))
    for command in ("status", "log", "report"):
        result = CliRunner(env=ENGLISH).invoke(main, [command, path, KEY])
        assert result.exit_code == 1, (command, result.output)
        assert words in result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_the_head_hash_for_the_minutes_is_the_computed_one(path: str) -> None:
    """The report prints the hash the events give, which verify also prints."""
    report = verify(path)
    result = CliRunner(env=ENGLISH).invoke(main, ["report", path, KEY])
    assert result.exit_code == 0
    assert f"`{report.heads[KEY]}`" in result.output


def rewrite_consistently(conn: Raw) -> None:
    """Change a case reference and recompute every hash: chains, heads and the ledger."""
    event = conn.execute(
        "SELECT id FROM event_log WHERE kind = 'step_anchored' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    edit_body(conn, event, '"case_ref":"', '"case_ref":"FALSK-')
    rechain(conn, KEY)
    reledger(conn)


def cut_tail_everywhere(conn: Raw) -> None:
    """Delete the last commit everywhere it shows: its event, its ledger row, the row's head."""
    cut_tail_and_set_the_head_back(conn)
    last = conn.execute("SELECT max(position) FROM ledger").fetchone()[0]
    conn.execute("DELETE FROM ledger WHERE position = ?", [last])
    before = conn.execute(
        "SELECT max(position) FROM ledger WHERE event >> 32 = ?", [number_of(conn, KEY)]
    ).fetchone()[0]
    conn.execute("UPDATE investigations SET position = ? WHERE key = ?", [before, KEY])


def delete_investigation_everywhere(conn: Raw) -> None:
    """Delete a whole investigation, also from the list of open ones (PostgreSQL), and rebuild
    the ledger without it."""
    number = number_of(conn, OTHER)
    delete_investigation(conn)
    if conn.postgres:
        conn.execute("DELETE FROM open_investigations WHERE number = ?", [number])
    reledger(conn)


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        (rewrite_consistently, "was rewritten"),
        (cut_tail_everywhere, "events were cut"),
        (delete_investigation_everywhere, "events were cut"),
    ],
    ids=["rewritten-chain", "cut-tail", "deleted-investigation"],
)
def test_what_only_a_checkpoint_can_tell_it_tells(
    path: str, attack: Callable[[Raw], None], words: str
) -> None:
    """With every hash recomputed, the record looks whole; the checkpoint from before names it."""
    checkpoint = str(verify(path).checkpoint)
    conn = attacker(path)
    attack(conn)
    conn.restore_guards()  # a careful attacker leaves the schema as stepgate made it
    alone = verify(path)
    assert alone.ok, alone.breaks  # the limit of verify alone: it has nothing to compare with
    against = verify(path, against=checkpoint)
    (found,) = [b for b in against.breaks if b.part == "checkpoint"]
    assert words in found.reason
    result = CliRunner(env=ENGLISH).invoke(main, ["verify", path, "--against", checkpoint])
    assert result.exit_code == 1
    assert words in result.output


def test_a_record_that_grew_still_extends_its_checkpoint(path: str) -> None:
    """New commands after a checkpoint are no break: the record extends it."""
    checkpoint = verify(path).checkpoint
    assert checkpoint is not None
    with sg.open_store(path) as store:
        store.load(KEY, sg.trust_reform(), actor=sg.Actor("ko", secretariat=True)).record_fact(
            "meir"
        )
    report = verify(path, against=checkpoint)
    assert report.ok, report.breaks
    assert report.checkpoint is not None
    assert report.checkpoint.position == checkpoint.position + 1
    result = CliRunner(env=ENGLISH).invoke(main, ["verify", path, "--against", str(checkpoint)])
    assert result.exit_code == 0
    assert f"the record extends {checkpoint}" in result.output


def test_a_copy_without_its_wal_is_named_and_a_backup_is_whole(
    tmp_path: pathlib.Path, clock: sg.FixedClock
) -> None:
    """Copying the .db alone can lose the last commits; the checkpoint says so; backup does not."""
    file = tmp_path / "live.db"
    store = sg.open_store(file, clock=clock)
    run = Scenario(store).start()
    store.backend.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    run.inv.record_fact("i-wal-fila", "ja")  # only in live.db-wal while the store is open
    checkpoint = store.checkpoint()
    shutil.copy(file, tmp_path / "plain.db")
    cut = verify(tmp_path / "plain.db", against=checkpoint)
    assert [b.part for b in cut.breaks] == ["checkpoint"]
    assert "events were cut" in cut.breaks[0].reason
    copy = store.backup(tmp_path / "backup.db")
    assert copy.ok
    assert copy.checkpoint == checkpoint
    assert verify(tmp_path / "backup.db", against=checkpoint).ok
    with pytest.raises(sg.StorageUnavailable, match="exists already"):
        store.backup(tmp_path / "backup.db")
    result = CliRunner(env=ENGLISH).invoke(main, ["backup", str(file), str(tmp_path / "cli.db")])
    assert result.exit_code == 0, result.output
    assert f"checkpoint {checkpoint}" in result.output


def digest(location: str | pathlib.Path) -> str:
    """The record's bytes hashed: an SQLite file and its WAL, or every row of every table."""
    if is_postgres(str(location)):
        conn, found = Raw(str(location)), hashlib.sha256()
        for table in ("investigations", "events", "snapshots", "ledger", "stepgate_migrations"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):  # noqa: S608
                found.update(
                    repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode()
                )
        conn.close()
        return found.hexdigest()
    path = pathlib.Path(location)
    found = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        found.update(wal.read_bytes())
    return found.hexdigest()


def test_reading_commands_change_nothing(path: str) -> None:
    """verify, checkpoint, status, log, report and explain leave the file's bytes as they were."""
    before = digest(path)
    for args in (
        ["verify", path],
        ["checkpoint", path],
        ["status", path],
        ["status", path, KEY],
        ["log", path, KEY],
        ["report", path, KEY, "--format", "html"],
        ["explain", path, KEY, "open_step"],
    ):
        result = CliRunner(env=ENGLISH).invoke(main, args)
        assert result.exit_code in (0, 3), (args, result.output)
    assert digest(path) == before


@pytest.mark.parametrize("command", ["verify", "status", "checkpoint"])
def test_an_empty_file_is_no_record_and_stays_empty(tmp_path: pathlib.Path, command: str) -> None:
    """A 0-byte file is refused in one line; nothing is written into it."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = CliRunner(env=ENGLISH).invoke(main, [command, str(empty)])
    assert result.exit_code == 1
    assert "NotAStepgateDatabase" in result.output
    assert empty.read_bytes() == b""


def test_verify_does_not_migrate_an_older_file(tmp_path: pathlib.Path) -> None:
    """A file of an older schema is refused by verify, untouched (it never migrates evidence)."""
    from tests.test_store import write_m002_file  # noqa: PLC0415 - a fixture-like helper

    old = tmp_path / "old.db"
    write_m002_file(old)
    before = digest(old)
    result = CliRunner(env=ENGLISH).invoke(main, ["verify", str(old)])
    assert result.exit_code == 1
    assert "SchemaTooOld" in result.output
    assert digest(old) == before


@pytest.mark.parametrize(
    "text", ["", "stepgate:1", "stepgate:x:" + "0" * 64, "stepgate:1:" + "g" * 64]
)
def test_a_checkpoint_is_read_strictly(text: str, path: str) -> None:
    """A checkpoint that is not stepgate:<position>:<64 hex digits> is one clear error."""
    with pytest.raises(sg.InvalidValue, match="stepgate:<position>"):
        sg.Checkpoint.parse(text)
    result = CliRunner(env=ENGLISH).invoke(main, ["verify", str(path), "--against", text or "?"])
    assert result.exit_code == 1
    assert "InvalidValue" in result.output


def test_loading_checks_the_events_it_folds(path: str) -> None:
    """An edited event after the snapshot stops a plain load too, naming it."""
    conn = attacker(path)
    last = last_event(conn, KEY)
    edit_body(conn, last, '"value":"ja"', '"value":"nei"')
    with pytest.raises(sg.RecordBroken, match=f"event {last & 0xFFFFFFFF}"):
        sg.open_store(path).load(KEY, sg.trust_reform())
