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
