"""A1: a Noark 5 extraction, beside copying the same bytes (issue 21).

A1: extracting 1 000 closed investigations (each with its documents) into a
package, beside the floor of what any exporter must do: ``shutil.copyfile`` of
every document plus writing the package's XML as one string. A1m: the peak RSS
growth of an extraction in a fresh process, for 1 000 investigations beside
100 (the target: flat in the number of investigations).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import stepgate as sg
from benchmarks.run import ROUNDS, at_most, row
from stepgate.testing import Scenario

NAMES = sg.Archive(
    creator_id="964968519",
    creator="Sogn regionråd",
    title="Sogn regionråd – sakarkiv",
    series="Interkommunale utgreiingar",
)
DOCUMENT_SIZE = 40_000


def _paper(n: int) -> bytes:
    seed = hashlib.sha256(str(n).encode()).digest()
    return b"%PDF-1.4\n" + seed * (DOCUMENT_SIZE // len(seed)) + b"\n%%EOF\n"


def _record(path: Path, count: int) -> None:
    """``count`` investigations taken to a decision and stopped, two documents each."""
    clock = sg.FixedClock()
    with sg.open_store(path, clock=clock) as store:
        for i in range(count):
            with store.batch():
                run = Scenario(store, key=f"u-{i:05d}")
                run.inv.set_case_number(f"2024/{i + 1}")
                run.start().to_decision()
                run.inv.add_document(
                    [
                        sg.Document(f"Saksframlegg {i}", "saksframlegg", _paper(2 * i),
                                    filename="saksframlegg.pdf"),
                        sg.Document(f"Vedtak {i}", "vedtak", _paper(2 * i + 1),
                                    filename="vedtak.pdf"),
                    ]
                )  # fmt: skip
                run.inv.steering_decision("stop")
            clock.advance(hours=1)


def _extract(db: Path, out: Path) -> float:
    start = time.perf_counter()
    with sg.open_store(db, read_only=True) as store:
        sg.extract(store, out, NAMES)
    return time.perf_counter() - start


def _floor(package: Path, out: Path) -> float:
    """Copy every document of ``package`` and write its XML as one string: the floor."""
    xml = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.xml")))
    documents = sorted((package / "dokumenter").iterdir())
    start = time.perf_counter()
    (out / "dokumenter").mkdir(parents=True)
    for document in documents:
        shutil.copyfile(document, out / "dokumenter" / document.name)
    (out / "arkivstruktur.xml").write_text(xml, encoding="utf-8")
    return time.perf_counter() - start


_CHILD = """
import sys
import stepgate as sg
from benchmarks.archive import NAMES

def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024

store = sg.open_store(sys.argv[1], read_only=True)
store.keys()
open("/proc/self/clear_refs", "w").write("5")  # the peak (VmHWM) starts again from here
base = status("VmRSS")
sg.extract(store, sys.argv[2], NAMES)
print(status("VmHWM") - base)
"""


def _peak_rss(db: Path, out: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return float(done.stdout.strip().splitlines()[-1])


def a1(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """Extracting 1 000 investigations beside copying the bytes; peak RSS for 1 000 and 100."""
    many, few = (40, 4) if quick else (1000, 100)
    db, small = folder / "a1.db", folder / "a1-small.db"
    _record(db, many)
    _record(small, few)
    ours: list[float] = []
    floor: list[float] = []
    for n in range(5 if quick else ROUNDS):
        package = folder / f"a1-{n}"
        ours.append(_extract(db, package))
        floor.append(_floor(package, folder / f"a1-floor-{n}"))
        shutil.rmtree(package)
        shutil.rmtree(folder / f"a1-floor-{n}")
    rss_many = _peak_rss(db, folder / "a1-rss")
    shutil.rmtree(folder / "a1-rss")
    rss_few = _peak_rss(small, folder / "a1-rss")
    shutil.rmtree(folder / "a1-rss")
    return [
        row(
            "A1",
            f"extract {many} investigations ({2 * many} documents) vs copying their bytes",
            ours,
            floor,
            "s",
            "(info: ratio to the floor)",
            None,
        ),
        row(
            "A1m",
            f"peak RSS growth extracting {many} investigations / extracting {few}",
            [rss_many / rss_few],
            None,
            "x",
            "<= 1.5x (flat)",
            at_most(1.5),
            rss_mb={str(many): rss_many, str(few): rss_few},
        ),
    ]
