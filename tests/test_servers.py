"""Several app servers on one record: every accepted command once, no gaps, one feed.

Each server is a process of its own with its own connections (two request
threads), writing to one shared investigation and to its own, at the same
time, on each backend.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import stepgate as sg
from tests._workers import KO, REGION

ROOT = pathlib.Path(__file__).resolve().parents[1]
SERVERS, COMMANDS = 4, 60


def test_app_servers_lose_nothing_and_duplicate_nothing(location: str) -> None:
    """4 processes x 2 threads: each accepted fact is in the log once, chains and feed whole."""
    store = sg.open_store(location)
    store.create(sg.trust_reform(), key="felles", title="Felles", region=REGION, actor=KO)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests._workers", "serve", location, f"s{n}", str(COMMANDS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(SERVERS)
    ]
    accepted: dict[str, list[str]] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        for key, names in json.loads(out).items():
            accepted.setdefault(key, []).extend(names)
    assert len(accepted) == SERVERS + 1
    for key, names in accepted.items():
        log = store.backend.log(key)
        assert [r.seq for r in log] == list(range(1, len(log) + 1))  # no gaps
        facts = [r.event.name for r in log if r.kind == "fact_recorded"]
        assert sorted(facts) == sorted(names)  # every accepted one, once; nothing else
    assert all(len(accepted[f"eigen-s{n}"]) == COMMANDS for n in range(SERVERS))
    report = store.verify()
    assert report.ok, report.breaks
    feed = store.events_since(0, limit=100_000)
    assert [e.position for e in feed] == list(range(1, report.events + 1))
    assert report.checkpoint is not None
    assert report.checkpoint.position == report.events
    seen: dict[str, int] = {}
    for event in feed:  # each investigation's events come in its own order
        assert event.recorded.seq == seen.get(event.investigation, 0) + 1
        seen[event.investigation] = event.recorded.seq


def test_a_follower_sees_the_feed_whole_while_8_writers_write(location: str) -> None:
    """8 app servers write while a follower reads the feed: every read is the next positions
    with no gap, each investigation's events in its own order, and in the end every event."""
    store = sg.open_store(location)
    store.create(sg.trust_reform(), key="felles", title="Felles", region=REGION, actor=KO)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests._workers", "serve", location, f"s{n}", "30"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    position, reads, seen = 0, 0, {}
    while True:
        running = any(proc.poll() is None for proc in procs)
        for event in store.events_since(position, limit=200):
            assert event.position == position + 1  # the next one: never a gap, never ahead
            assert event.recorded.seq == seen.get(event.investigation, 0) + 1
            position, seen[event.investigation] = event.position, event.recorded.seq
        reads += 1
        if not running:
            break
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert store.events_since(position, limit=10) == []
    assert position == store.checkpoint().position == sum(s.version for s in store.summaries())
    assert reads > 1  # it read while they wrote
