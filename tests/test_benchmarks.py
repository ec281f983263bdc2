"""The benchmark script runs (--quick) and reports every figure; timing is not tested here."""

from __future__ import annotations

import json
import os
import pathlib
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIGURES = {
    "B1",
    "B2",
    "B3",
    "B4",
    "B4s",
    "B4t",
    "B5",
    "B5a",
    "B5j",
    "B5c",
    "B5i",
    "B5w",
    "B5v",
    "B6a",
    "B6b",
    "B6c",
    "B7",
    "B8",
    "D1",
    "D1w",
    "D1s",
    "D1r",
    "D1m",
    "DV",
    "A1",
    "A1m",
}
ON_POSTGRES = {
    "B3p",
    "B5p",
    "B5ap",
    "B6ap",
    "B6bp",
    "B8p",
    "W4p",
    "W8",
}  # where STEPGATE_PG_URL names a server


def test_quick_benchmarks_report_every_figure(tmp_path: pathlib.Path) -> None:
    """`python -m benchmarks --quick --json FILE` writes a row for every figure, with a ratio.

    With a PostgreSQL server (``STEPGATE_PG_URL``, as in CI) its figures are there too.
    """
    figures = FIGURES | (ON_POSTGRES if os.environ.get("STEPGATE_PG_URL") else set())
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in report["results"]}
    assert set(rows) == figures
    for bid, found in rows.items():
        assert found["value"] > 0, bid
        assert found["target"], bid
        samples = found["samples"]
        assert found["value"] == statistics.median(samples["value"]), bid
        value = found["spread"]["value"]
        assert value["min"] <= value["median"] <= value["max"], bid
        if found["baseline"] is not None:
            assert len(samples["value"]) == len(samples["baseline"]) >= 5, bid  # paired rounds
            ratios = [a / b for a, b in zip(samples["value"], samples["baseline"], strict=True)]
            assert found["ratio"] == statistics.median(ratios), bid
            assert found["spread"]["ratio"]["min"] == min(ratios), bid
    assert rows["B5"]["events_per_second"] > 0
    assert report["machine"]["python"]
    assert len(result.stdout.strip().splitlines()) == len(figures)
