"""PostgreSQL stays up when the server does not: a restart, killed connections, a live backup.

A real server (the one ``.ci/run`` starts) is restarted with ``pg_ctl restart -m
fast`` and has every stepgate connection terminated while 4 writer processes of
8 threads each write. Commands in flight may fail with ``StorageUnavailable``;
every command a worker starts once the server is back succeeds, without a new
``open_store``, and the record holds every accepted command exactly once.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time
from typing import Any

import psycopg
import pytest

import stepgate as sg
from tests._db import fresh_schema_url, need_postgres, pg_ctl, server_control

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKERS, THREADS = 4, 8


@pytest.fixture
def url() -> Any:
    """A schema of its own on the test server, which this module may restart."""
    server_control()
    yield from fresh_schema_url()


def start_workers(url: str, stop: pathlib.Path) -> list[subprocess.Popen[str]]:
    """WORKERS processes of THREADS writing threads each, once each says it is ready."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests._workers",
                "outage",
                url,
                f"w{n}",
                str(THREADS),
                str(stop),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    return procs


def terminate_every_stepgate_connection() -> None:
    """pg_terminate_backend for each stepgate connection; back when all of them are gone."""
    with psycopg.connect(need_postgres(), autocommit=True) as admin:
        pids = [
            row[0]
            for row in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'stepgate'"
            ).fetchall()
        ]
        assert pids
        admin.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) pid", [pids])
        deadline = time.time() + 30
        while admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids]
        ).fetchone()[0]:
            assert time.time() < deadline, "terminated connections did not go away"
            time.sleep(0.05)


def test_writers_outlive_a_restart_and_killed_connections(url: str, tmp_path: pathlib.Path) -> None:
    """4 processes x 8 threads: after each outage every thread's next commands succeed."""
    stop = tmp_path / "stop"
    procs = start_workers(url, stop)
    try:
        time.sleep(1.0)
        terminate_every_stepgate_connection()
        back_after_terminate = time.time()
        time.sleep(1.5)
        pg_ctl("restart", "-m", "fast")
        back_after_restart = time.time()
        time.sleep(1.5)
    finally:
        stop.touch()
    noted: dict[str, list[list[Any]]] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        noted |= json.loads(out)
    assert len(noted) == WORKERS * THREADS
    for key, commands in noted.items():
        outcomes = {outcome for *_, outcome in commands}
        assert outcomes <= {"ok", "StorageUnavailable"}, (key, outcomes)
        for back in (back_after_terminate, back_after_restart):
            after = [outcome for _, started, _, outcome in commands if started > back]
            assert after, key
            assert after[:3] == ["ok"] * min(3, len(after)), (key, after[:5])
    with sg.open_store(url, read_only=True) as store:
        check = store.verify()
        assert check.ok, check.breaks
        for key, commands in noted.items():
            recorded = [r.event.name for r in store.backend.log(key) if r.kind == "fact_recorded"]
            assert len(recorded) == len(set(recorded))  # nothing twice
            accepted = {name for name, *_, outcome in commands if outcome == "ok"}
            maybe = {name for name, *_, outcome in commands if outcome != "ok"}
            assert accepted <= set(recorded) <= accepted | maybe


def test_a_backup_of_a_live_record_succeeds_while_writers_write(
    url: str, tmp_path: pathlib.Path
) -> None:
    """stepgate backup under 4 writers: 6 of 6 succeed, and each copy verifies on its own."""
    stop = tmp_path / "stop"
    procs = start_workers(url, stop)
    try:
        for n in range(6):
            copy = tmp_path / f"kopi{n}.db"
            done = subprocess.run(
                [sys.executable, "-m", "stepgate", "backup", url, str(copy), "--lang", "en"],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            checked = subprocess.run(
                [sys.executable, "-m", "stepgate", "verify", str(copy)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert checked.returncode == 0, checked.stdout
    finally:
        stop.touch()
        for proc in procs:
            proc.communicate(timeout=120)
    sizes = [
        sg.open_store(tmp_path / f"kopi{n}.db", read_only=True).checkpoint().position
        for n in range(6)
    ]
    assert sizes == sorted(sizes)
    assert sizes[-1] > sizes[0]  # the writers wrote on while the copies were taken
