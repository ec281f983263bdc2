"""A record names a process; it never names code: nothing read from a database runs.

Whoever can write the database (an administrator, the host app's own database
role on PostgreSQL) can write the process name a record gives. Each test puts
code in the name — a file beside the record, an absolute path, a dotted
module, ``os:abort`` — the way an attacker would, on both backends, in the
``investigations`` row only or in the first event with every hash recomputed,
and then reads the record every way there is. The code never runs, and
``verify`` never says the record is whole.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterator

import pytest

import stepgate as sg
from stepgate.testing import Scenario
from tests._db import Raw, is_postgres
from tests.test_cli import run as cli
from tests.test_tamper import edit_body, rechain, reledger

KEY = "barnevern-2024"
EVIL = """import pathlib
pathlib.Path({folder!r}, "imported-" + __name__).write_text("imported")
def f():
    pathlib.Path({folder!r}, "called-" + __name__).write_text("called")
    return f
"""


@pytest.fixture
def den(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pathlib.Path]:
    """A folder with code an attacker wants run: evil.py and the package evilpkg.mod.

    It is the working directory and on sys.path, so that any import of it would succeed.
    """
    folder = tmp_path / "den"
    (folder / "evilpkg").mkdir(parents=True)
    (folder / "evil.py").write_text(EVIL.format(folder=str(folder)), encoding="utf-8")
    (folder / "evilpkg" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "evilpkg" / "mod.py").write_text(EVIL.format(folder=str(folder)), encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    for name in ("evil", "evilpkg", "evilpkg.mod"):
        sys.modules.pop(name, None)


def record(location: str, den: pathlib.Path) -> str:
    """A started investigation; on SQLite the file lies beside the attacker's code."""
    where = str(den / "record.db") if not is_postgres(location) else location
    with sg.open_store(where, clock=sg.FixedClock()) as store:
        Scenario(store).start()
    return where


def name_code(where: str, spec: str, way: str) -> sg.Checkpoint:
    """Make the record name ``spec``; the checkpoint from before, for the minutes.

    ``row``: the investigations row only. ``chain``: the first event too, with every
    hash and the ledger recomputed (so only a checkpoint from before can tell).
    """
    with sg.open_store(where, read_only=True) as store:
        before = store.checkpoint()
    conn = Raw(where)
    conn.drop_guards()
    conn.execute("UPDATE investigations SET process = ? WHERE key = ?", [spec, KEY])
    if way == "chain":
        first = int(conn.execute("SELECT number FROM investigations").fetchone()[0]) << 32 | 1
        edit_body(conn, first, '"process":"trust-reform"', f'"process":"{spec}"')
        rechain(conn, KEY)
        reledger(conn)
        conn.restore_guards()
    conn.close()
    return before


def nothing_ran(den: pathlib.Path) -> None:
    """No marker file of the attacker's code exists, and none of its modules was imported."""
    assert sorted(p.name for p in den.iterdir() if p.name.startswith(("imported", "called"))) == []
    assert not {"evil", "evilpkg", "evilpkg.mod"} & set(sys.modules)


def specs(den: pathlib.Path) -> dict[str, str]:
    """The ways code can be named: a file beside the record, an absolute path, a module."""
    return {
        "file": "evil.py:f",
        "absolute": f"{den / 'evil.py'}:f",
        "module": "evilpkg.mod:f",
    }


@pytest.mark.parametrize("way", ["row", "chain"])
@pytest.mark.parametrize("kind", ["file", "absolute", "module"])
def test_no_command_runs_the_code_a_record_names(
    location: str, den: pathlib.Path, kind: str, way: str
) -> None:
    """Every CLI command reads the record, and nothing it names is imported or called."""
    where = record(location, den)
    before = name_code(where, specs(den)[kind], way)
    commands = [
        ["status", where],
        ["status", where, "--json"],
        ["status", where, KEY],
        ["log", where, KEY],
        ["report", where, KEY, "-o", str(den / "rapport.md")],
        ["explain", where, KEY, "close_step"],
        ["diagram", "--db", where, "--key", KEY],
        ["checkpoint", where],
        ["backup", where, str(den / "kopi.db")],
        ["copy", where, str(den / "kopi2.db")],
        ["feed", where],
    ]
    for args in commands:
        code, out = cli(*args, "--lang", "en")
        assert "Traceback" not in out, (args, out)
    nothing_ran(den)
    code, out = cli("verify", where, "--lang", "en")
    assert code == (1 if way == "row" else 4), out
    code, out = cli("verify", where, "--against", str(before), "--lang", "en")
    assert code == 1, out
    nothing_ran(den)


@pytest.mark.parametrize("way", ["row", "chain"])
@pytest.mark.parametrize("kind", ["file", "absolute", "module"])
def test_no_api_read_runs_the_code_a_record_names(
    location: str, den: pathlib.Path, kind: str, way: str
) -> None:
    """load, a verified load, verify, listings, the feed, backup: nothing named runs."""
    where = record(location, den)
    name_code(where, specs(den)[kind], way)
    with sg.open_store(where, read_only=True) as store:
        reads = [
            lambda: store.load(KEY),
            lambda: store.load(KEY, verified=True),
            lambda: store.process_of(KEY),
            lambda: store.summaries(checked=True),
            lambda: store.events_since(0),
            store.checkpoint,
            lambda: store.backup(den / "kopi.db"),
        ]
        for read in reads:
            with contextlib.suppress(sg.StepgateError):  # refusing is fine; running code is not
                read()
        check = store.verify()
    nothing_ran(den)
    assert not check.ok
    if way == "row":
        assert any("process says" in b.reason for b in check.breaks), check.breaks
    else:
        assert check.intact
        assert check.unknown == {KEY: specs(den)[kind]}


def test_a_record_naming_os_abort_kills_nothing(location: str, den: pathlib.Path) -> None:
    """os:abort in the row and in a rehashed first event: every command ends on its own terms."""
    where = record(location, den)
    name_code(where, "os:abort", "chain")
    env = {**os.environ, "STEPGATE_LANG": "en"}
    for args, wanted in (
        (["verify", where], 4),
        (["checkpoint", where], 4),
        (["status", where, KEY], 1),
        (["report", where, KEY], 1),
        (["log", where, KEY], 1),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "stepgate", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert done.returncode == wanted, (args, done.returncode, done.stderr)
        assert "Traceback" not in done.stderr
        if wanted == 1:
            assert "no process 'os:abort' is registered" in done.stderr


def test_an_unknown_process_is_never_said_to_be_whole(location: str, den: pathlib.Path) -> None:
    """verify exits 4 naming what it could not check, status marks the row; --chain-only is 0."""
    where = record(location, den)
    name_code(where, "kulturskule-2031", "chain")
    code, out = cli("verify", where, "--lang", "en")
    assert code == 4
    assert f"NOT WHOLE {KEY}: its process 'kulturskule-2031' is unknown here" in out
    assert "The verification is not whole: 1 investigation(s) could not be replayed." in out
    assert "checkpoint" not in out
    code, out = cli("verify", where)
    assert code == 4
    assert "IKKJE HEIL" in out
    code, out = cli("verify", where, "--chain-only", "--lang", "en")
    assert code == 0
    assert "Only the chain was checked (--chain-only)" in out
    code, out = cli("status", where, "--lang", "en")
    assert out.startswith(f"? {KEY}")
    assert "its process 'kulturskule-2031' is unknown here" in out
    code, out = cli("checkpoint", where, "--lang", "en")
    assert code == 4
    assert "No checkpoint: these investigations could not be replayed" in out
    code, out = cli("checkpoint", where, "--chain-only")
    assert (code, out.startswith("stepgate:")) == (0, True)
