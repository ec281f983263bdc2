"""The step library works in a host project with no glue: only a feature file and one line."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Our own rule check
  Scenario: Luster leaves and the gate waits for nobody else
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    And an insight on no topic
    When Luster opts out
    Then the participants are Sogndal and Årdal
    And the investigation is in state "insight"
    And closing the step is allowed
"""

WRONG = """\
Feature: A wrong expectation
  Scenario: Closing too early
    Given an investigation "Felles barnevern" started with Sogndal, Luster and Årdal
    And a session with every participant
    Then closing the step is refused by "hardest-topics-first"
"""


def _project(pytester: pytest.Pytester, feature: str) -> None:
    pytester.makefile(".feature", host=feature)
    pytester.makepyfile(test_host='from pytest_bdd import scenarios; scenarios("host.feature")')


def test_a_host_project_runs_green_on_the_plugin_steps(pytester: pytest.Pytester) -> None:
    """A throwaway project with one feature file and a one-line module passes."""
    _project(pytester, FEATURE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_wrong_expectation_fails_with_a_readable_message(pytester: pytest.Pytester) -> None:
    """A wrong Then says what was expected and what was found, with rule ids."""
    _project(pytester, WRONG)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expected closing the step to be refused by 'hardest-topics-first';*refused by:*",
            "*insight-first: Step 1 cannot close without insight*",
        ]
    )


def test_a_host_project_can_choose_its_own_process(pytester: pytest.Pytester) -> None:
    """Overriding the stepgate_process fixture runs the scenarios on the host's definition."""
    allowed = WRONG.replace('refused by "hardest-topics-first"', "allowed")
    _project(pytester, allowed)
    pytester.makeconftest(
        """
import pytest
import stepgate as sg

@pytest.fixture
def stepgate_process():
    return sg.trust_reform().derive("no-insight-rule", drop=["insight-first"])
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
