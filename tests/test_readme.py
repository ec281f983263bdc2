"""The README's examples run as written."""

from __future__ import annotations

import pathlib
import re

import pytest

pytest_plugins = ["pytester"]

README = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    """The fenced code blocks of ``language`` in the README."""
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


@pytest.mark.parametrize("code", blocks("python"), ids=lambda c: c.splitlines()[0][:40])
def test_python_examples_run(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each Python block runs without error (its asserts are the check)."""
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README


def test_the_gherkin_example_runs_on_the_plugin(pytester: pytest.Pytester) -> None:
    """The README's scenario passes in a project that has only it and one line."""
    (feature,) = blocks("gherkin")
    pytester.makefile(".feature", readme=feature)
    pytester.makepyfile(test_readme='from pytest_bdd import scenarios; scenarios("readme.feature")')
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_quick_start_is_two_commands() -> None:
    """The quick start installs stepgate alone and runs the demo; then the tests, with tools."""
    (quick,) = re.findall(r"## Quick start\n\n```sh\n(.*?)```", README, re.S)
    assert quick.splitlines() == [
        "python -m pip install . && stepgate demo",
        'python -m pip install -e ".[test]" && python -m pytest',
    ]
    assert "test" not in quick.splitlines()[0]  # the first command brings no test tools
