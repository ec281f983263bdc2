"""One store shared by the threads of a host app, and stores after fork()."""

from __future__ import annotations

import gc
import json
import os
import pathlib
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

import stepgate as sg
from stepgate.testing import SECRETARIAT, SOGN, Scenario

THREADS, COMMANDS = 8, 50


def run_threads(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(i)`` in ``count`` threads at once; re-raise the first failure."""
    failures: list[BaseException] = []
    gate = threading.Barrier(count)

    def body(i: int) -> None:
        try:
            gate.wait()
            work(i)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]


@pytest.mark.parametrize("where", ["durable", "memory"])
def test_eight_threads_share_one_store(location: str, where: str) -> None:
    """8 threads x 50 commands, half on one investigation and half on their own: none lost."""
    store = sg.open_store(location if where == "durable" else ":memory:")
    for key in ["shared", *(f"own-{i}" for i in range(4, THREADS))]:
        Scenario(store, key=key)
    done = [0] * THREADS
    conflicts = [0] * THREADS

    def work(i: int) -> None:
        key = "shared" if i < 4 else f"own-{i}"
        inv = store.load(key, sg.trust_reform(), actor=SECRETARIAT)  # one per "request"
        for n in range(COMMANDS):
            try:
                inv.record_fact(f"t{i}-{n}", "ja")
                done[i] += 1
            except sg.ConcurrencyConflict:
                conflicts[i] += 1  # the object reloaded itself; the next command goes on

    run_threads(THREADS, work)
    assert all(d + c == COMMANDS for d, c in zip(done, conflicts, strict=True))
    assert done[4:] == [COMMANDS] * 4  # nobody else writes there
    facts = [r.event.name for r in store.backend.log("shared") if r.kind == "fact_recorded"]
    assert len(facts) == len(set(facts)) == sum(done[:4])
    report = store.verify()
    assert report.ok, report.breaks
    assert report.events == sum(s.version for s in store.summaries())


def test_threads_sharing_one_investigation_take_turns(location: str) -> None:
    """One Investigation object used by 4 threads: its commands are serialised, none conflicts."""
    store = sg.open_store(location)
    inv = Scenario(store).inv
    before = inv.version

    def work(i: int) -> None:
        for n in range(25):
            inv.record_fact(f"t{i}-{n}", "ja")

    run_threads(4, work)
    assert inv.version == before + 100 == store.summary(inv.key).version
    assert store.verify().ok


def test_with_retry_from_threads_never_gives_up(location: str) -> None:
    """8 threads x 20 commands through with_retry on one investigation: every one lands once."""
    store = sg.open_store(location)
    before = Scenario(store).inv.version

    def work(i: int) -> None:
        for n in range(20):
            store.with_retry(
                "barnevern-2024",
                lambda inv, i=i, n=n: inv.record_fact(f"t{i}-{n}", "ja"),
                actor=SECRETARIAT,
            )

    run_threads(THREADS, work)
    assert store.summary("barnevern-2024").version == before + THREADS * 20
    assert store.verify().ok


def test_a_closed_store_says_so(tmp_path: pathlib.Path) -> None:
    """After close(), every call is one clear StorageUnavailable, in any thread."""
    store = sg.open_store(tmp_path / "closed.db")
    Scenario(store)
    store.close()
    with pytest.raises(sg.StorageUnavailable, match="closed"):
        store.keys()
    errors: list[BaseException] = []
    thread = threading.Thread(target=lambda: _catch(store.keys, errors))
    thread.start()
    thread.join()
    assert isinstance(errors[0], sg.StorageUnavailable)


def _catch(call: Callable[[], object], into: list[BaseException]) -> None:
    try:
        call()
    except BaseException as error:
        into.append(error)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() on this platform")
@pytest.mark.parametrize("where", ["durable", "memory"])
def test_a_store_used_after_fork(location: str, where: str) -> None:
    """A durable store reconnects in a child process; an in-memory one refuses clearly."""
    store = sg.open_store(location if where == "durable" else ":memory:")
    Scenario(store)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what happened, then leave without running pytest's exit
        os.close(reader)
        try:
            inv = store.load("barnevern-2024", sg.trust_reform(), actor=SECRETARIAT)
            inv.record_fact("frå-barnet", "ja")
            result = {"ok": inv.version}
        except sg.StepgateError as error:
            result = {"error": type(error).__name__, "message": str(error)}
        os.write(writer, json.dumps(result).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        result = json.loads(pipe.read())
    os.waitpid(pid, 0)
    if where == "durable":
        assert result == {"ok": store.summary("barnevern-2024").version}
        assert store.verify().ok
    else:
        assert result["error"] == "StoreError"
        assert "after fork()" in result["message"]
        assert store.summary("barnevern-2024").version == 1  # the parent's copy is untouched


def test_region_is_shared_safely_by_new_threads(tmp_path: pathlib.Path) -> None:
    """A thread that never used the store before gets its own connection and the same record."""
    path = tmp_path / "late.db"
    store = sg.open_store(path)
    store.create(sg.trust_reform(), key="k", title="T", region=SOGN, actor=SECRETARIAT)
    seen: list[list[str]] = []
    thread = threading.Thread(target=lambda: seen.append(store.keys()))
    thread.start()
    thread.join()
    assert seen == [["k"]]


def test_a_thread_that_ends_gives_its_connection_back(tmp_path: pathlib.Path) -> None:
    """A host app with a thread per request does not pile up open connections."""
    store = sg.open_store(tmp_path / "requests.db")
    Scenario(store)
    for _ in range(20):
        thread = threading.Thread(target=store.keys)
        thread.start()
        thread.join()
    gc.collect()
    assert len(store.backend._links) == 1  # the opening thread's, and no other


NEW_SERVER = """
import sys, stepgate as sg
from stepgate.testing import Scenario
store = sg.open_store(sys.argv[1])
run = Scenario(store, key=sys.argv[2]).start()
for i in range(10):
    run.inv.record_fact("f", str(i))
print(run.inv.version)
"""


def test_servers_that_open_a_new_record_together_make_it_once(location: str) -> None:
    """8 processes opening the same new record at once: the schema is made once, all write."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", NEW_SERVER, location, f"k{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    store = sg.open_store(location)
    assert sorted(store.keys()) == [f"k{n}" for n in range(8)]
    assert store.verify().ok
