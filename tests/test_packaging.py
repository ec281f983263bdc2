"""A real install: the wheel, in a fresh virtual environment, without the test tools.

The wheel is built from this tree and installed with nothing but its runtime
dependencies; there `stepgate demo` and every read command run on the demo's
record, and the pytest plugin loads and serves its fixtures without pytest-bdd.
It needs the package index (pip downloads the dependencies): in CI it must
run; elsewhere it is skipped when the index cannot be reached.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
import venv
import zipfile
from collections.abc import Sequence

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("STEPGATE_CI") == "1"
KEY = "barnevern-2024"
TEST_TOOLS = {"pytest", "pytest-bdd", "gherkin-official", "mako", "hypothesis", "playwright"}


def _run(args: Sequence[str], cwd: pathlib.Path, timeout: int = 600) -> str:
    done = subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _needs_the_index(args: Sequence[str], what: str) -> None:
    """Run a pip command that needs the package index: in CI it must work, elsewhere may skip."""
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        if IN_CI:
            pytest.fail(f"CI must {what}: {done.stderr.strip()[-500:]}")
        pytest.skip(f"cannot {what} here (no package index?)")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The wheel built from this source tree (pip's isolated build, hatchling)."""
    out = tmp_path_factory.mktemp("dist")
    _needs_the_index(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        "build the wheel",
    )
    (found,) = out.glob("stepgate-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A fresh virtual environment with the wheel and its runtime dependencies only."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / "bin" / "python"
    _needs_the_index([str(python), "-m", "pip", "install", "-q", str(wheel)], "install the wheel")
    return home


def test_the_wheel_carries_the_demo_the_templates_and_the_licence(wheel: pathlib.Path) -> None:
    """The Sogn process, the report templates, LICENSE and both entry-point groups are inside."""
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "stepgate/sogn/process.py",
        "stepgate/sogn/barnevern.py",
        "stepgate/report/templates/report.html.j2",
        "stepgate/report/templates/report.md.j2",
        "stepgate/report/templates/report.css",
        "stepgate/__main__.py",
        "stepgate/py.typed",
    ):
        assert needed in names, needed
    assert any(n.endswith("/LICENSE") for n in names)
    (points,) = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(points).decode()
    assert "[stepgate.processes]" in text
    assert "sogn-2024 = stepgate.sogn:sogn_process" in text
    assert "[pytest11]" in text


def test_a_plain_install_runs_the_demo_and_every_read_command(
    installed: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    """Without the test extra: demo, status, log, report, verify and python -m stepgate work."""
    python, script = installed / "bin" / "python", installed / "bin" / "stepgate"
    listed = json.loads(_run([str(python), "-m", "pip", "list", "--format", "json"], tmp_path))
    present = {row["name"].lower() for row in listed}
    assert present & TEST_TOOLS == set()
    assert {"stepgate", "transitions", "sqlite-utils", "jinja2"} <= present
    out = _run([str(script), "demo", "--db", "d.db"], tmp_path)
    assert "Samarbeidet er etablert mellom Sogndal, Lærdal, Årdal og Luster" in out
    assert "avslutta" in _run([str(script), "status", "d.db"], tmp_path)
    assert "avslutta (v96)" in _run([str(script), "status", "d.db", KEY], tmp_path)
    assert "port passert" in _run([str(script), "log", "d.db", KEY], tmp_path)
    page = _run([str(script), "report", "d.db", KEY, "--format", "html"], tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    assert "## Samandrag" in _run([str(script), "report", "d.db", KEY], tmp_path)
    assert "checkpoint" in _run([str(script), "verify", "d.db", "--lang", "en"], tmp_path)
    assert "stepgate" in _run([str(python), "-m", "stepgate", "--version"], tmp_path)


def test_the_plugin_serves_fixtures_without_pytest_bdd(
    installed: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    """With pytest but without the testing extra the plugin loads and its fixtures work."""
    python = installed / "bin" / "python"
    _needs_the_index([str(python), "-m", "pip", "install", "-q", "pytest"], "install pytest")
    (tmp_path / "test_host.py").write_text(
        textwrap.dedent(
            """
            import sys

            def test_the_store_fixture(stepgate_store, stepgate_process):
                assert stepgate_store.keys() == []
                assert stepgate_process.name == "trust-reform"
                assert "pytest_bdd" not in sys.modules
            """
        ),
        encoding="utf-8",
    )
    out = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], tmp_path)
    assert "1 passed" in out
    loaded = _run(
        [
            str(python),
            "-c",
            "import sys, pytest, stepgate.testing.plugin; "
            "print(sorted(m for m in sys.modules if m.startswith(('stepgate', 'pytest_bdd'))))",
        ],
        tmp_path,
    )
    assert loaded.strip() == "['stepgate', 'stepgate.testing', 'stepgate.testing.plugin']"
