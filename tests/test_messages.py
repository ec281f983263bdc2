"""Every error stepgate raises on purpose says itself in Nynorsk as well as English."""

from __future__ import annotations

import ast
import pathlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import stepgate as sg
from stepgate import errors
from stepgate.store.record import ChainBreak
from stepgate.testing import Scenario

SOURCE = pathlib.Path(sg.__file__).resolve().parent
"""The stepgate package: every module in it is read."""

BUILT_FROM_FINDINGS = {"CommandRefused", "InvalidDefinition", "RuleFailed"}
"""Errors that build both languages from what they are given (violations, problems, what a
rule did wrong, each in both)."""

ERRORS = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.StepgateError)
} - BUILT_FROM_FINDINGS

ENGLISH = frozenset(
    {
        *("a", "an", "and", "are", "be", "cannot", "expected", "field", "fields", "got", "has"),
        *("have", "is", "its", "may", "missing", "must", "needs", "not", "of", "one", "only"),
        *("or", "problems", "the", "unknown", "was", "were", "which", "with"),
    }
)
"""English words that no Nynorsk message has (quoted text and code names are left out)."""

LUSTER = sg.Actor("luster-kd", municipality="4644")
SOGNDAL = sg.Actor("sogndal-kd", municipality="4640")


def calls() -> Iterator[tuple[str, ast.Call, str]]:
    """Each call in stepgate's source: where it is, the call, and the name it calls."""
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                yield f"{where}:{node.lineno}", node, name


def english_in(text: str) -> list[str]:
    """The English words in ``text``, leaving out quoted text and code (``x_y``, ``f(…)``)."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\[[^\]]*\]", " ", text)
    words = [w for w in re.split(r"[\s,;:!?]+", prose) if not re.search(r"[_().=]", w)]
    return [w for w in words if w.lower() in ENGLISH]


def _said_as_text(call: ast.Call) -> bool:
    """The call gives its words as every text of stepgate: ``nn=`` then ``en=``, no positional
    English before them; or one text value (``Text(nn, en)``, a break's ``why``)."""
    words = [k.arg for k in call.keywords if k.arg in ("nn", "en")]
    given = all(
        not (isinstance(k.value, ast.Constant) and k.value.value is None) for k in call.keywords
    )
    if words == ["nn", "en"] and not call.args and given:
        return True
    return (
        len(call.args) == 1
        and not isinstance(call.args[0], ast.Constant | ast.JoinedStr)
        and not words
    )


def test_every_error_is_given_its_nynorsk() -> None:
    """Each construction of a StepgateError (but those built from findings) passes ``nn=`` and
    ``en=``, in the order of every text, or one text value."""
    wrong = [
        f"{where}: {name}"
        for where, call, name in calls()
        if name in ERRORS and not _said_as_text(call)
    ]
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(
    "made",
    [
        lambda: sg.InvalidValue(nn="ugyldig", en="invalid", detail="why"),
        lambda: sg.InvalidValue(sg.Text("ugyldig", "invalid"), detail="why"),
        lambda: sg.InvalidValue("invalid", nn="ugyldig", detail="why"),
    ],
    ids=["keywords", "text", "older-form"],
)
def test_an_error_says_itself_as_a_text(made: Callable[[], sg.StepgateError]) -> None:
    """An error built from keywords, from one ``Text`` or in the older form is the same text."""
    error = made()
    assert (error.nn, error.en, error.message("nn"), error.message("en")) == (
        "ugyldig",
        "invalid",
        "ugyldig",
        "invalid",
    )
    assert str(error) == "invalid (why)"


def test_a_break_says_why_as_one_text() -> None:
    """A ``ChainBreak`` holds one ``Text``; ``reason`` and ``nn`` read it for older callers."""
    why = sg.Text("hashen stemmer ikkje", "the hash does not match")
    broken = ChainBreak("K", 3, why)
    assert (broken.why, broken.reason, broken.nn) == (why, why.en, why.nn)
    assert broken.message("nn").endswith("hending 3): hashen stemmer ikkje")


def test_every_refused_field_says_what_was_expected_in_nynorsk() -> None:
    """Each ``refuse(field, value, nn=…, en=…)`` says what was expected in Nynorsk, then
    English."""
    wrong = [
        f"{where}: refuse"
        for where, call, name in calls()
        if name == "refuse"
        and [k.arg for k in call.keywords if k.arg in ("nn", "en")] != ["nn", "en"]
    ]
    assert wrong == [], "\n".join(wrong)


def _derive_three() -> None:
    sg.trust_reform().derive("broken", drop=["insight-frist"], hard_threshold=7, speed="fast")


def _process_three() -> None:
    bad = sg.Rule("Bad", {"fly"}, "n", "e", lambda ctx: iter(()))
    sg.Process("tom", [sg.Phase("forstudie", "")], [bad])


def _run_as(actor: sg.Actor, action: str, **fields: Any) -> Callable[[Scenario], object]:
    return lambda r: r.inv.run(r.inv.build(action, **fields), actor=actor)


CASES: list[tuple[str, type[errors.StepgateError], Callable[[Scenario], object]]] = [
    (
        "bad-field",
        sg.InvalidValue,
        lambda r: r.inv.build("register_topic", title=" ", difficulty=3),
    ),
    ("bad-number", sg.InvalidValue, lambda r: r.inv.build("rate_topic", topic="T1", difficulty=7)),
    (
        "bad-body",
        sg.InvalidValue,
        lambda r: r.inv.build("anchor_mandate", municipality="4640", body="X!"),
    ),
    (
        "unknown-body",
        sg.InvalidValue,
        lambda r: r.inv.explain("anchor_mandate", municipality="4640", body="bystyre"),
    ),
    ("unknown-field", sg.InvalidValue, lambda r: r.inv.build("register_topic", colour="raud")),
    ("missing-field", sg.InvalidValue, lambda r: r.inv.build("register_topic")),
    ("unknown-action", sg.InvalidValue, lambda r: r.inv.build("fly")),
    ("unknown-phase", sg.InvalidValue, lambda r: r.process.phase("forstudia")),
    ("no-members", sg.InvalidValue, lambda r: sg.Region("Tom", [])),
    ("both-sides", sg.InvalidValue, lambda r: sg.Actor("x", municipality="4640", secretariat=True)),
    (
        "secretariat-only",
        sg.NotAllowed,
        _run_as(SOGNDAL, "set_milestone", name="m", due="2024-03-01"),
    ),
    (
        "other-municipality",
        sg.NotAllowed,
        _run_as(LUSTER, "register_representative", name="Ola", role="union", municipality="4640"),
    ),
    (
        "not-a-municipality",
        sg.NotAllowed,
        _run_as(SOGNDAL, "register_representative", name="Ola", role="user", party="NAV Vestland"),
    ),
    ("derive", sg.InvalidDefinition, lambda r: _derive_three()),
    ("process", sg.InvalidDefinition, lambda r: _process_three()),
]


@pytest.mark.parametrize(("kind", "act"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_error_reads_as_nynorsk(
    run: Scenario, kind: type[errors.StepgateError], act: Callable[[Scenario], object]
) -> None:
    """The Nynorsk message is its own, with no English sentence in it."""
    with pytest.raises(kind) as caught:
        act(run)
    nn, en = caught.value.message("nn"), caught.value.message("en")
    assert nn != en
    assert english_in(nn) == [], nn
    assert english_in(en), en  # the check would see English where there is some


@pytest.mark.parametrize("make", [_derive_three, _process_three], ids=["derive", "process"])
def test_a_definition_lists_every_problem_in_nynorsk(make: Callable[[], None]) -> None:
    """message("nn") lists each of the three problems in Nynorsk; str() keeps the English."""
    with pytest.raises(sg.InvalidDefinition) as caught:
        make()
    error = caught.value
    assert len(error.problems) == len(error.problems_nn) == 3
    assert error.message("nn").startswith(f"prosessdefinisjonen {error.name!r} har 3 problem:")
    assert str(error).startswith(f"process definition {error.name!r} has 3 problem(s):")
    for nn, en in zip(error.problems_nn, error.problems, strict=True):
        assert f"\n  - {nn}" in error.message("nn")
        assert f"\n  - {en}" in str(error)
        assert nn != en
        assert english_in(nn) == [], nn


def test_a_wrapped_error_keeps_its_nynorsk() -> None:
    """A command's bad field is named in both languages, the action first."""
    with pytest.raises(sg.InvalidValue) as caught:
        sg.COMMANDS["register_topic"].make(on="2024-02-05", title="", difficulty=3)
    assert caught.value.message("nn").startswith(
        "register_topic: tittelen på temaet må vere ein tekst som ikkje er tom"
    )
    assert str(caught.value).startswith("register_topic: topic title must be a non-empty text")


def test_a_problem_given_as_text_alone_stays_english_in_both() -> None:
    """A process author's plain str problem is shown as it is; a bilingual one in each language."""
    error = sg.InvalidDefinition("eigen", ["no Fridays", sg.Text("ikkje fredag", "not Friday")])
    assert error.problems == ("no Fridays", "not Friday")
    assert error.problems_nn == ("no Fridays", "ikkje fredag")
    assert (
        error.message("nn")
        == "prosessdefinisjonen 'eigen' har 2 problem:\n  - no Fridays\n  - ikkje fredag"
    )
    assert (
        str(error) == "process definition 'eigen' has 2 problem(s):\n  - no Fridays\n  - not Friday"
    )
