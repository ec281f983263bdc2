"""The docs agree with the code: the rule table, the seed quotes, the process guide."""

from __future__ import annotations

import importlib.util
import pathlib
import re

import pytest

from stepgate.model.seed import QUOTES

pytest_plugins = ["pytester"]

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEED = ROOT / "docs" / "seed" / "000_7438e39fa1f3c19a.txt"  # the source, quoted as [S:n]


@pytest.mark.parametrize(
    ("doc", "generator"), [("rules.md", "gen_rules.py"), ("steps.md", "gen_steps.py")]
)
def test_docs_are_generated_from_the_code(doc: str, generator: str) -> None:
    """docs/rules.md and docs/steps.md are what their generators write (rerun them)."""
    spec = importlib.util.spec_from_file_location(generator, ROOT / "docs" / generator)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / doc).read_text(encoding="utf-8") == module.render()


@pytest.mark.parametrize("ref", sorted(QUOTES))
def test_seed_quotes_are_the_seed_s_lines(ref: str) -> None:
    """Each quoted line range says what the seed says there."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first, _, last = ref.removeprefix("S:").partition("-")
    span = lines[int(first) - 1 : int(last or first)]
    text = " ".join(line.strip().lstrip("•").strip() for line in span if line.strip())
    assert QUOTES[ref] == text


PROCESSES = (ROOT / "docs" / "processes.md").read_text(encoding="utf-8")


def test_the_process_written_from_scratch_runs_in_under_fifty_lines() -> None:
    """docs/processes.md's first example defines a whole process and runs it, in < 50 lines."""
    code = re.findall(r"```python\n(.*?)```", PROCESSES, re.S)[0]
    assert len(code.splitlines()) < 50
    exec(compile(code, "docs/processes.md", "exec"), {})  # noqa: S102 - our own docs


def test_a_host_runs_its_own_process_in_its_own_feature_file(pytester: pytest.Pytester) -> None:
    """The page's feature file runs in a project with its process module and one line of glue."""
    code = re.findall(r"```python\n(.*?)```", PROCESSES, re.S)[0]
    process = code.split("\nsogndal = ")[0]
    (feature,) = re.findall(r"```gherkin\n(.*?)```", PROCESSES, re.S)
    pytester.mkpydir("mypackage")
    pytester.path.joinpath("mypackage", "processes.py").write_text(process, encoding="utf-8")
    pytester.makefile(".feature", heimetenester=feature)
    pytester.makepyfile(
        test_host='from pytest_bdd import scenarios; scenarios("heimetenester.feature")'
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
