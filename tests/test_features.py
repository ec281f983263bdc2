"""Every feature file runs, in English and in Norwegian, on the shipped step library."""

from __future__ import annotations

import pathlib
import re

import pytest
from pytest_bdd import scenarios

FEATURES = pathlib.Path(__file__).resolve().parents[1] / "features"

scenarios(str(FEATURES / "en"), str(FEATURES / "no"))


def _scenario_count(folder: pathlib.Path) -> dict[str, int]:
    counts = {}
    for path in sorted(folder.glob("*.feature")):
        text = path.read_text(encoding="utf-8")
        counts[path.name] = len(
            re.findall(
                r"^\s*(?:Scenario|Scenario Outline|Scenario|"
                r"Abstrakt Scenario|Eksempel):",
                text,
                re.M,
            )
        )
    return counts


def test_every_feature_exists_in_both_languages_with_as_many_scenarios() -> None:
    """Each English feature has a Norwegian twin with the same number of scenarios."""
    english, norwegian = _scenario_count(FEATURES / "en"), _scenario_count(FEATURES / "no")
    assert english == norwegian
    assert sum(english.values()) >= 40


@pytest.mark.parametrize("path", sorted((FEATURES / "no").glob("*.feature")), ids=str)
def test_norwegian_features_use_the_norwegian_keywords(path: pathlib.Path) -> None:
    """Norwegian features declare '# language: no' and use Gitt/Når/Så."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# language: no\n")
    assert re.search(r"^\s*(Gitt|Når|Så) ", text, re.M)
    assert not re.search(r"^\s*(Given|When|Then) ", text, re.M)
