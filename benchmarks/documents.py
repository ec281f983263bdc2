"""D1 and DV: documents, beside hashing the same bytes (issue 20).

D1: filing a 200 MB document (read once, hashed, spooled, written in its
command's transaction) and reading it back (streamed, its checksum checked),
each beside ``hashlib.sha256`` over the same bytes in the same run; and the
peak RSS above the process's baseline while doing it, measured in a child
process of its own. DV: verify of a store holding 1 GB of documents beside
``sha256sum`` of the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import stepgate as sg
from benchmarks.run import ROUNDS, at_most, row
from stepgate.testing import Scenario

MB = 1_000_000


def _bytes(size: int, seed: int = 0) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * (1 << 15)  # 1 MiB of varied bytes
    return (block * (size // len(block) + 1))[:size]


def _filed(folder: Path, name: str, content: bytes | Path) -> tuple[sg.Store, str]:
    store = sg.open_store(folder / name, clock=sg.FixedClock())
    run = Scenario(store)
    run.inv.add_document(sg.Document("Vedlegg", "other", content, filename="vedlegg.bin"))
    return store, run.inv.documents()[0].document.sha256


def d1(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """Filing and reading back a 200 MB document, each beside sha256 over the same bytes."""
    size = (20 if quick else 200) * MB
    source = folder / "d1-source.bin"
    source.write_bytes(_bytes(size))
    filing: list[float] = []
    reading: list[float] = []
    hashing: list[float] = []
    for n in range(ROUNDS if not quick else 5):
        start = time.perf_counter()
        store, sha = _filed(folder, f"d1-{n}.db", source)
        filing.append(time.perf_counter() - start)
        start = time.perf_counter()
        with store.open_document(sha) as stream:
            while stream.read(1 << 20):
                pass
        reading.append(time.perf_counter() - start)
        start = time.perf_counter()
        digest = hashlib.sha256()
        with source.open("rb") as raw:
            while block := raw.read(1 << 20):
                digest.update(block)
        hashing.append(time.perf_counter() - start)
        store.close()
        for leftover in folder.glob(f"d1-{n}.db*"):
            leftover.unlink()
    floor = [_durable_write(folder, source) for _ in filing]
    raw = [_raw_sqlite(folder, source) for _ in filing]
    throughput = [h / f for f, h in zip(filing, hashing, strict=True)]
    back = [h / r for r, h in zip(reading, hashing, strict=True)]
    rss = _peak_rss(folder, source)
    return [
        row(
            "D1",
            f"file a {size // MB} MB document (throughput / sha256's)",
            throughput,
            None,
            "x",
            ">= 0.5x",
            lambda value, _v: value >= 0.5,
            seconds=filing,
            sha256_seconds=hashing,
        ),
        row(
            "D1w",
            f"file a {size // MB} MB document vs writing it to a file with fsync",
            filing,
            floor,
            "s",
            "(info: the disk's floor)",
            None,
        ),
        row(
            "D1s",
            f"file a {size // MB} MB document vs raw sqlite3 inserting its 1 MiB chunks",
            filing,
            raw,
            "s",
            "(info)",
            None,
        ),
        row(
            "D1r",
            f"read a {size // MB} MB document back (throughput / sha256's)",
            back,
            None,
            "x",
            ">= 0.5x",
            lambda value, _v: value >= 0.5,
            seconds=reading,
        ),
        row(
            "D1m",
            f"peak RSS growth filing and reading {size // MB} MB",
            [rss],
            None,
            "MB",
            "<= 64 MB",
            at_most(64),
        ),
    ]


_CHILD = """
import sys, pathlib
import stepgate as sg
from stepgate.testing import Scenario

def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024

store = sg.open_store(sys.argv[1], clock=sg.FixedClock())
run = Scenario(store)
open("/proc/self/clear_refs", "w").write("5")  # the peak (VmHWM) starts again from here
base = status("VmRSS")
run.inv.add_document(sg.Document("V", "other", pathlib.Path(sys.argv[2]), filename="v.bin"))
with store.open_document(run.inv.documents()[0].document.sha256) as stream:
    while stream.read(1 << 20):
        pass
print(status("VmHWM") - base)
"""


def _durable_write(folder: Path, source: Path) -> float:
    """Seconds to copy ``source`` into a new file and fsync it: what the disk itself takes."""
    target = folder / "d1-floor.bin"
    start = time.perf_counter()
    with source.open("rb") as raw, target.open("wb") as out:
        while block := raw.read(1 << 20):
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    took = time.perf_counter() - start
    target.unlink()
    return took


def _raw_sqlite(folder: Path, source: Path) -> float:
    """Seconds for plain sqlite3 to store the file's chunks in one durable transaction
    (WAL, synchronous=FULL, as stepgate's store), without reading, hashing or checking."""
    import sqlite3  # noqa: PLC0415 - only this baseline

    path = folder / "d1-raw.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE chunks (document TEXT, n INTEGER, data BLOB, PRIMARY KEY (document, n))"
    )
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    with source.open("rb") as raw:
        n = 0
        while block := raw.read(1 << 20):
            conn.execute("INSERT INTO chunks VALUES ('x', ?, ?)", [n, block])
            n += 1
    conn.execute("COMMIT")
    took = time.perf_counter() - start
    conn.close()
    for leftover in folder.glob("d1-raw.db*"):
        leftover.unlink()
    return took


def _peak_rss(folder: Path, source: Path) -> float:
    """Peak RSS growth (MB) in a fresh process that files and reads the document."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder / "d1-rss.db"), str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def dv(quick: bool, folder: Path) -> dict[str, Any]:
    """verify of a store with 1 GB of documents beside sha256sum of the same bytes."""
    count, size = (4, 25 * MB) if quick else (10, 100 * MB)
    path = folder / "dv.db"
    store = sg.open_store(path, clock=sg.FixedClock())
    run = Scenario(store)
    files = []
    for n in range(count):
        part = folder / f"dv-{n}.bin"
        part.write_bytes(_bytes(size, n))
        files.append(part)
        run.inv.add_document(sg.Document(f"Vedlegg {n}", "other", part, filename=f"v{n}.bin"))
    store.close()
    tool = shutil.which("sha256sum")
    ours: list[float] = []
    base: list[float] = []
    for _ in range(ROUNDS if not quick else 5):
        start = time.perf_counter()
        with sg.open_store(path, read_only=True) as reading:
            assert reading.verify().ok
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        if tool:
            subprocess.run([tool, *map(str, files)], capture_output=True, check=True)
        else:  # pragma: no cover - coreutils is everywhere the benchmarks run
            for part in files:
                hashlib.sha256(part.read_bytes()).hexdigest()
        base.append(time.perf_counter() - start)
    return row(
        "DV",
        f"verify a store with {count * size // MB} MB of documents vs sha256sum",
        ours,
        base,
        "s",
        "<= 2x",
        at_most(2),
        documents=count,
        bytes=count * size,
    )


if __name__ == "__main__":  # pragma: no cover - a manual run
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for item in [*d1("--quick" in sys.argv, Path(tmp)), dv("--quick" in sys.argv, Path(tmp))]:
            print(json.dumps({k: item[k] for k in ("id", "what", "value", "ratio", "pass")}))
