"""``verify --jobs``: worker processes audit the investigations, with the findings of one."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import threading
from typing import Any

import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli as main
from stepgate.store import workers
from stepgate.testing import Scenario

KEYS = [f"utgreiing-{n}" for n in range(8)]
ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def path(location: str, clock: sg.FixedClock) -> str:
    """Eight investigations of different lengths in a store (each backend)."""
    with sg.open_store(location, clock=clock) as store:
        for n, key in enumerate(KEYS):
            run = Scenario(store, key=key, title=f"Utgreiing {n}").start()
            for fact in range(n * 3):
                run.inv.record_fact(f"fakta-{fact}", "ja")
    return location


def test_workers_audit_and_find_what_one_process_finds(
    path: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two jobs, other processes audit the investigations; the result is the same."""
    seen = tmp_path / "pids"
    audit_row = workers.audit_row

    def noted(*args: Any) -> Any:
        with seen.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return audit_row(*args)

    monkeypatch.setattr(workers, "audit_row", noted)
    with sg.open_store(path, read_only=True) as store:
        one = store.verify()
        several = store.verify(jobs=2)
    assert several.ok
    assert one.ok
    assert (several.heads, several.checkpoint, several.events) == (
        one.heads,
        one.checkpoint,
        one.events,
    )
    pids = set(seen.read_text().split())
    assert str(os.getpid()) not in pids
    assert len(pids) == 2


def test_a_worker_that_dies_fails_the_verify(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-verify is a ``StoreError`` that says so; no result is given."""
    parent = os.getpid()
    audit_row = workers.audit_row

    def killed(*args: Any) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return audit_row(*args)

    monkeypatch.setattr(workers, "audit_row", killed)
    with sg.open_store(path, read_only=True) as store, pytest.raises(sg.StoreError) as caught:
        store.verify(jobs=2)
    assert "worker" in caught.value.en
    assert "arbeidsprosess" in caught.value.message("nn")


@pytest.mark.parametrize("jobs", [0, -1, 100_000, True, "2", 1.5])
def test_a_number_of_jobs_that_is_no_number_of_processes_is_refused(path: str, jobs: Any) -> None:
    """``jobs`` is a whole number from 1 to 256: anything else is refused before any work."""
    with sg.open_store(path, read_only=True) as store, pytest.raises(sg.InvalidValue) as caught:
        store.verify(jobs=jobs)
    assert "jobs" in str(caught.value)


@pytest.mark.parametrize("jobs", ["0", "-3", "100000"])
def test_the_cli_refuses_a_bad_jobs_in_one_line(path: str, jobs: str) -> None:
    """``verify --jobs 0`` (or absurd) fails as every refused value does (exit 1), in one line
    that names ``jobs``, and checks nothing."""
    result = CliRunner().invoke(main, ["verify", path, "--jobs", jobs], env={"STEPGATE_LANG": "en"})
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: InvalidValue: jobs must be a whole number from 1 to 256; got {jobs} (int)"
    ]


def test_the_cli_verifies_on_every_core_by_default(path: str) -> None:
    """``stepgate verify`` without ``--jobs`` takes every core and exits 0 on a sound record."""
    result = CliRunner().invoke(main, ["verify", path], env={"STEPGATE_LANG": "en"})
    assert result.exit_code == 0, result.output


def test_a_record_being_written_is_verified_as_of_one_position(
    path: str, tmp_path: pathlib.Path
) -> None:
    """While another process writes, workers read as of the verify's position: no false break."""
    stop = tmp_path / "stop"
    writer = subprocess.Popen(  # bounded: a verify that hung could not fill the disk
        [sys.executable, "-m", "tests._workers", "facts", path, ",".join(KEYS), str(stop), "20000"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        with sg.open_store(path, read_only=True) as store:
            results = [store.verify(jobs=2) for _ in range(3)]
    finally:
        stop.touch()
        _out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    for result in results:
        assert result.ok, result.breaks
        assert result.checkpoint is not None
    with sg.open_store(path, read_only=True) as store:
        assert store.verify(jobs=2).ok


def test_with_another_thread_running_the_investigations_are_audited_here(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No worker is forked while another thread runs (a copy could wait for ever on a lock
    it held): the investigations are audited in this process, with the same findings."""

    def forked(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a worker was forked while another thread ran")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", forked)
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        with sg.open_store(path, read_only=True) as store:
            several = store.verify(jobs=2)
            one = store.verify()
    finally:
        done.set()
        other.join()
    assert several.ok
    assert (several.heads, several.checkpoint, several.breaks) == (
        one.heads,
        one.checkpoint,
        one.breaks,
    )
