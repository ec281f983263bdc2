"""stepgate logs under ``stepgate`` (commands at DEBUG, refusals at INFO, breaks and reconnects
at WARNING), prints nothing unless the app configures logging, and keeps transitions quiet."""

from __future__ import annotations

import logging
import pathlib
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

import stepgate as sg
from stepgate.testing import Scenario
from tests._db import Raw, fresh_schema_url, need_postgres

KO = sg.Actor("sogn-ko", secretariat=True)


def _ours(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("stepgate") and r.levelno == level]


def test_commands_are_logged_at_debug_and_transitions_stays_quiet(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With the root logger at DEBUG, each command is one DEBUG line of stepgate's and
    transitions says nothing below WARNING."""
    caplog.set_level(logging.DEBUG)
    with sg.open_store() as store:
        run = Scenario(store)
        run.start().close()
    lines = [r.getMessage() for r in _ours(caplog, logging.DEBUG)]
    assert lines[0] == "create 'barnevern-2024' with process 'trust-reform' by 'sogn-ko'", lines
    assert any(line.startswith("start in 'barnevern-2024' by 'sogn-ko'") for line in lines), lines
    assert any(line.startswith("close_step in 'barnevern-2024'") for line in lines), lines
    chatter = [r for r in caplog.records if r.name.startswith("transitions")]
    assert chatter == []


def test_an_app_that_asks_hears_transitions(caplog: pytest.LogCaptureFixture) -> None:
    """An app that sets the ``transitions`` logger's level itself gets what it asked for."""
    caplog.set_level(logging.INFO, logger="transitions")
    with sg.open_store() as store:
        Scenario(store).start()
    assert any(r.name.startswith("transitions") for r in caplog.records)


@pytest.mark.parametrize("refusal", ["rule", "actor"])
def test_a_refusal_is_logged_at_info_with_its_rules(
    caplog: pytest.LogCaptureFixture, refusal: str
) -> None:
    """A refused command is one INFO line naming the action and its rule ids (or the actor)."""
    caplog.set_level(logging.INFO, logger="stepgate")
    with sg.open_store() as store:
        run = Scenario(store)
        if refusal == "rule":
            with pytest.raises(sg.CommandRefused):
                run.inv.close_step()
            wanted = "close_step refused in 'barnevern-2024' ("
        else:
            with pytest.raises(sg.NotAllowed):
                run.inv.start("Q", actor=sg.Actor("ola", municipality="4640"))
            wanted = "start not allowed in 'barnevern-2024' for actor 'ola'"
    lines = [r.getMessage() for r in _ours(caplog, logging.INFO)]
    assert any(line.startswith(wanted) for line in lines), lines


@pytest.mark.parametrize("tamper", ["break", "unknown process"])
def test_a_broken_or_partial_verify_is_a_warning(
    caplog: pytest.LogCaptureFixture, tmp_path: pathlib.Path, tamper: str
) -> None:
    """A verify that finds a break, or cannot replay an investigation, says so at WARNING."""
    path = tmp_path / "r.db"
    with sg.open_store(path) as store:
        Scenario(store).start()
    raw = Raw(str(path))
    if tamper == "break":
        raw.drop_guards()
        raw.execute("UPDATE events SET body = replace(body, 'Kva', 'Kvi') WHERE id = 1 << 32 | 2")
    else:
        raw.execute("UPDATE investigations SET process = 'nowhere'")
    raw.conn.close()
    caplog.set_level(logging.WARNING, logger="stepgate")
    with sg.open_store(path) as store:
        found = store.verify()
    assert not found.ok
    warned = [r.getMessage() for r in _ours(caplog, logging.WARNING)]
    assert len(warned) == 1, warned
    assert str(path) in warned[0]


def test_nothing_is_printed_unless_the_app_configures_logging(tmp_path: pathlib.Path) -> None:
    """A program that configures no logging prints nothing of stepgate's, even a warning."""
    script = tmp_path / "quiet.py"
    script.write_text(
        "import logging, stepgate as sg\n"
        "from stepgate.store.verify import verify\n"
        "logging.getLogger('stepgate.api.store').warning('a warning of ours')\n"
        "with sg.open_store() as store:\n"
        "    store.verify()\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("", "")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A schema of its own on the test server."""
    need_postgres()
    yield from fresh_schema_url()


def test_a_reconnect_is_a_warning_without_the_password(
    caplog: pytest.LogCaptureFixture, pg_url: str
) -> None:
    """When PostgreSQL drops the connection, the next command reconnects and says so at
    WARNING, naming the server as messages do (no password)."""
    import psycopg  # noqa: PLC0415 - the postgres extra

    caplog.set_level(logging.WARNING, logger="stepgate")
    with sg.open_store(pg_url) as store:
        run = Scenario(store)
        pid = store.backend.link().conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(need_postgres(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.time() + 30
            while admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()[0]:
                assert time.time() < deadline
                time.sleep(0.05)
        run.inv.record_fact("after", "ja")
        assert store.verify().ok
        location = store.location
    warned = [r.getMessage() for r in _ours(caplog, logging.WARNING)]
    assert warned == [f"the connection to {location} was lost; connecting again"]
    assert ":" not in location.split("@")[0].removeprefix("postgresql://")  # no password
