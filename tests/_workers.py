"""Child processes for the reliability tests: writers that race and writers that get killed.

Scenario as ``python -m tests._workers MODE PATH ...``; each prints one JSON line when done.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import stepgate as sg
from stepgate.model.serial import canonical_json

KO = sg.Actor("sogn-ko", secretariat=True)
REGION = sg.Region("Sogn", [sg.Municipality("4640", "Sogndal"), sg.Municipality("4644", "Luster")])


def race(path: str, key: str, worker: str, count: int, retry: bool) -> dict[str, int]:
    """Issue ``count`` commands on one investigation, with or without the retry helper."""
    store = sg.open_store(path)
    process = sg.trust_reform()
    done = conflicts = 0
    inv = store.load(key, process, actor=KO)
    for i in range(count):
        title = f"{worker}-{i}"
        if retry:
            store.with_retry(
                key,
                lambda inv, title=title: inv.register_topic(title, 3),
                actor=KO,
                process=process,
            )
            done += 1
            continue
        try:
            inv.register_topic(title, 3)
            done += 1
        except sg.ConcurrencyConflict:
            conflicts += 1
    return {"done": done, "conflicts": conflicts}


def serve(path: str, server: str, count: int) -> dict[str, list[str]]:
    """An app server: two request threads, each issuing ``count`` commands.

    One thread writes to the shared investigation (plain commands: a conflict is
    a refused request), the other to the server's own. The facts that were
    accepted are reported by name.
    """
    import threading  # noqa: PLC0415 - only this mode

    store = sg.open_store(path)
    process = sg.trust_reform()
    own = store.create(process, key=f"eigen-{server}", title="Eigen", region=REGION, actor=KO)
    accepted: dict[str, list[str]] = {"felles": [], own.key: []}

    def requests(key: str) -> None:
        inv = store.load(key, process, actor=KO)
        for i in range(count):
            name = f"{server}-{key}-{i}"
            try:
                inv.record_fact(name, "ja")
                accepted[key].append(name)
            except sg.ConcurrencyConflict:
                pass  # the object reloaded itself; the next request goes on

    threads = [threading.Thread(target=requests, args=(key,)) for key in accepted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return accepted


def write_forever(path: str) -> None:
    """Create investigations and record facts until killed."""
    store = sg.open_store(path)
    print("ready", flush=True)
    n = len(store.keys())
    while True:
        n += 1
        inv = store.create(sg.trust_reform(), key=f"k{n}", title="T", region=REGION, actor=KO)
        for i in range(5):
            inv.record_fact(f"fact-{i}", "yes")
        inv.invite()


def facts(path: str, keys: list[str], stop: str, most: int) -> None:
    """Record facts on ``keys`` in turn until ``stop`` exists (at most ``most`` of them)."""
    import os  # noqa: PLC0415 - only this mode

    store = sg.open_store(path)
    invs = [store.load(key, actor=KO) for key in keys]
    print("ready", flush=True)
    for n in range(most):
        if os.path.exists(stop):
            break
        invs[n % len(invs)].record_fact(f"seinare-{n}", "ja")


def outage(path: str, worker: str, threads: int, stop: str) -> dict[str, list[list[Any]]]:
    """Threads that write until ``stop`` exists, through whatever happens to the server.

    Each thread records facts on an investigation of its own and notes every
    command as [name, started, ended, outcome]: ``ok``, or the kind of error.
    """
    import os  # noqa: PLC0415 - only this mode
    import threading  # noqa: PLC0415
    import time  # noqa: PLC0415

    store = sg.open_store(path)
    process = sg.trust_reform()
    invs = [
        store.create(process, key=f"{worker}-{n}", title="T", region=REGION, actor=KO)
        for n in range(threads)
    ]
    print("ready", flush=True)
    noted: dict[str, list[list[Any]]] = {inv.key: [] for inv in invs}

    def write(inv: sg.Investigation) -> None:
        i = 0
        while not os.path.exists(stop):
            i += 1
            name = f"{inv.key}-{i}"
            started = time.time()
            try:
                inv.record_fact(name, "ja")
                outcome = "ok"
            except sg.StepgateError as error:
                outcome = type(error).__name__
                time.sleep(0.02)  # the server may be down: do not spin
            noted[inv.key].append([name, started, time.time(), outcome])

    running = [threading.Thread(target=write, args=(inv,)) for inv in invs]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return noted


def main(argv: list[str]) -> None:
    """Dispatch on the mode."""
    mode, path = argv[0], argv[1]
    if mode == "race":
        key, worker, count, retry = argv[2], argv[3], int(argv[4]), argv[5] == "retry"
        print(json.dumps(race(path, key, worker, count, retry)), flush=True)
    elif mode == "serve":
        print(json.dumps(serve(path, argv[2], int(argv[3]))), flush=True)
    elif mode == "outage":
        print(json.dumps(outage(path, argv[2], int(argv[3]), argv[4])), flush=True)
    elif mode == "facts":
        facts(path, argv[2].split(","), argv[3], int(argv[4]))
    elif mode == "forever":
        write_forever(path)
    elif mode == "load":
        store = sg.open_store(path, read_only=True)
        print(canonical_json(store.load(argv[2], sg.trust_reform()).snapshot()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
