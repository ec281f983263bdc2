"""The tools that catch mistakes run clean: ruff on src and tests, strict mypy on src."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "examples", "docs"],
        [sys.executable, "-m", "mypy"],
    ],
    ids=["ruff", "mypy-strict"],
)
def test_tool_is_clean(command: list[str]) -> None:
    """The linter and the strict type checker report nothing."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
