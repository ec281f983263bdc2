"""The API reference (``docs/api``) builds with warnings as errors and names every public name."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

import stepgate as sg
from tests._db import IN_CI

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The reference, built once as HTML."""
    try:
        import sphinx  # noqa: F401, PLC0415 - the test extra
    except ImportError:
        if IN_CI:
            pytest.fail("CI must build the API reference: sphinx is not installed")
        pytest.skip("sphinx is not installed here (the test extra has it)")
    out = tmp_path_factory.mktemp("api")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         str(ROOT / "docs/api"), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return out


def test_the_reference_builds_without_a_warning(built: pathlib.Path) -> None:
    """``sphinx-build -W`` succeeds: every docstring reads as reStructuredText."""
    assert (built / "index.html").is_file()


def test_every_public_name_is_in_the_reference(built: pathlib.Path) -> None:
    """Each name of ``stepgate.__all__`` has its entry, on the page a user looks for it on."""
    found: set[str] = set()
    for page in built.glob("*.html"):
        found |= set(re.findall(r'id="stepgate\.(\w+)"', page.read_text(encoding="utf-8")))
    missing = sorted(set(sg.__all__) - {"__version__"} - found)
    assert missing == []


@pytest.mark.parametrize(
    ("page", "names"),
    [
        ("store", ["open_store", "Store", "FixedClock", "Verification"]),
        ("commands", ["Investigation", "Actor", "Document", "CaseNumber"]),
        ("processes", ["trust_reform", "Process", "Gate", "find_process"]),
        ("rules", ["rule", "Rule", "Context", "Violation"]),
        ("archive", ["extract", "Archive", "public_journal"]),
        ("errors", ["StepgateError", "AlreadyExists", "RuleFailed", "StorageUnavailable"]),
    ],
)
def test_names_are_grouped_as_users_look_for_them(
    built: pathlib.Path, page: str, names: list[str]
) -> None:
    """Opening a store, commands, processes, rules, the archive and errors each have a page."""
    text = (built / f"{page}.html").read_text(encoding="utf-8")
    assert all(f'id="stepgate.{name}"' in text for name in names)
