"""Reports: Markdown for a case document, JSON for machines, HTML that stands alone."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

import stepgate as sg
import stepgate.api.investigation as drawing
from stepgate.cli import example
from stepgate.model.text import label as catalogue_label
from stepgate.report.data import label as report_text_label
from stepgate.report.data import report_data
from stepgate.report.html import diagram_html, html_report, timeline_svg
from stepgate.report.text import markdown_report, recorded_by, timeline_text
from stepgate.testing import Scenario


@pytest.fixture(scope="module")
def story():  # type: ignore[no-untyped-def]
    """The demo's investigation, run once in memory."""
    return example("sogn_barnevern").run(sg.open_store(clock=sg.FixedClock()))


def test_markdown_has_every_gate_of_every_municipality(story) -> None:  # type: ignore[no-untyped-def]
    """Each anchoring of each step appears as a row: municipality, body, outcome, date, case."""
    text = markdown_report(story.inv)
    state = story.inv.state
    gates = [a for a in state.anchorings if a.subject.startswith("step ")]
    assert len(gates) == 24
    for a in gates:
        row = f"| {state.name_of(a.municipality)} | {a.body} | "
        line = next(
            (ln for ln in text.splitlines() if ln.startswith(row) and a.case_ref in ln), None
        )
        assert line is not None, (a.subject, a.municipality)
        assert a.on.isoformat() in line


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nn",
            [
                "## Deltakarkommunar",
                "| Vik | 4639 | meldt ut | 2024-06-18 |",
                "| Reisetid og ferjer | 4 | Steg 2 | Steg 3 |",
                "Tidlegskår",
                "**avslutta**",
                "Etablert mellom: **Sogndal, Lærdal, Årdal, Luster**",
            ],
        ),
        (
            "en",
            [
                "## Participants",
                "| Vik | 4639 | opted out | 2024-06-18 |",
                "| Reisetid og ferjer | 4 | Step 2 | Step 3 |",
                "Earliness score",
                "**concluded**",
                "Established among: **Sogndal, Lærdal, Årdal, Luster**",
            ],
        ),
    ],
)
def test_markdown_report_reads_in_both_languages(story, lang: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The Markdown report has participants, hard topics, earliness and the outcome."""
    text = markdown_report(story.inv, lang=lang)
    for word in words:
        assert word in text, word


def test_markdown_flags_overdue_milestones_and_exempt_records(
    stepgate_store: sg.Store,
) -> None:
    """An overdue milestone is flagged; an exempt record shows its legal basis."""
    run = Scenario(stepgate_store)
    run.start().close()
    run.inv.anchor_step("4640", body="formannskap", exemption="offentleglova § 14")
    text = markdown_report(run.inv, today=dt.date(2024, 4, 1))
    assert "| forstudie ferdig | 2024-03-20 | – | **forseinka** |" in text
    assert "unnateke (offentleglova § 14)" in text
    assert "milestone-overdue" in text


def test_json_has_the_same_content(story) -> None:  # type: ignore[no-untyped-def]
    """The JSON report carries the status, gates, topics, milestones and decision."""
    data = json.loads(json.dumps(report_data(story.inv)))
    assert data["state"] == {"id": "concluded", "nn": "avslutta", "en": "concluded"}
    assert sum(len(s["gate"]) for s in data["steps"]) == 24
    assert data["earliness"] == pytest.approx(story.inv.earliness(), abs=1e-3)
    assert len(data["head_hash"]) == 64
    assert {t["title"] for t in data["topics"] if t["hard"]} >= {"Reisetid og ferjer"}


def test_html_stands_alone(story) -> None:  # type: ignore[no-untyped-def]
    """The HTML page loads nothing from the network and embeds both pictures."""
    page = html_report(story.inv)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert 'id="diagram"' in page
    assert 'id="timeline"' in page
    assert page.count("<svg") >= 1


def test_the_diagram_falls_back_to_mermaid_source_without_graphviz(
    story, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Where Graphviz is missing, the page shows the diagram's mermaid source instead."""

    def missing(*args: object, **kwargs: object) -> str:
        if kwargs.get("engine") == "graphviz":
            raise RuntimeError("no dot")
        return "stateDiagram-v2"

    monkeypatch.setattr(drawing, "draw", missing)
    assert diagram_html(story.inv) == '<pre class="mermaid-source">stateDiagram-v2</pre>'


@pytest.mark.parametrize(("lang", "words"), [("nn", "avslutta"), ("en", "concluded")])
def test_the_diagram_is_labelled_in_the_report_s_language(story, lang: str, words: str) -> None:  # type: ignore[no-untyped-def]
    """States and moves of the process diagram carry labels in the chosen language."""
    source = story.inv.diagram(lang=lang)
    assert f'state "{words}" as concluded' in source


def test_the_timeline_draws_steps_gates_and_milestones(story) -> None:  # type: ignore[no-untyped-def]
    """The timeline SVG has a bar per step, a dot per gate record and a diamond per milestone."""
    svg = timeline_svg(report_data(story.inv))
    assert svg.count('class="step"') == 4
    assert svg.count('class="gate"') == 24
    assert svg.count('class="milestone"') == 3


def test_the_text_timeline_weaves_in_refusals(story) -> None:  # type: ignore[no-untyped-def]
    """Refusals appear among the events of their day, with their rule ids."""
    text = timeline_text(story.inv, lang="en", refusals=story.refusals)
    lines = text.splitlines()
    refused = [i for i, ln in enumerate(lines) if "[host-municipality-model]" in ln]
    submitted = [i for i, ln in enumerate(lines) if ln[12:].startswith("decision basis")]
    assert refused
    assert refused[0] < submitted[0]
    assert lines[-1] == "State: concluded"


HOSTILE = (
    "Ferje | ferje\n## Vedtak\n<script>alert(1)</script> **feit** `kode` [lenke](x) \x1b[31mraud"
)


@pytest.fixture
def hostile(stepgate_store: sg.Store) -> Scenario:
    """A hard topic whose title tries to add structure, markup and terminal escapes."""
    run = Scenario(stepgate_store)
    run.topic(HOSTILE, 5)
    run.start().close()
    run.inv.anchor_step("4640", body="formannskap", case_ref="24/1 | falsk\n# Overskrift")
    return run


def test_text_in_markdown_adds_no_structure(hostile: Scenario) -> None:
    """A title with a newline, '## Vedtak', pipes and <script> stays one escaped cell."""
    text = markdown_report(hostile.inv)
    lines = text.splitlines()
    assert not any(line.startswith(("## Vedtak", "# Overskrift")) for line in lines)
    assert "<script>" not in text
    (row,) = [line for line in lines if "Ferje" in line]
    assert row.count(" | ") == 3  # four cells: the title's own pipe is escaped
    (gate,) = [line for line in lines if "24/1" in line]
    assert gate.count(" | ") == 6  # seven cells


def test_text_in_html_is_text(hostile: Scenario) -> None:
    """The HTML page shows the title as text: no script element, no injected heading."""
    page = html_report(hostile.inv)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<h2>Vedtak" not in page
    assert "**feit**" in page  # the asterisks are the title's, not bold


def test_text_is_kept_verbatim_in_the_record_and_json(hostile: Scenario) -> None:
    """Storage and JSON give back exactly what was typed, control characters and all."""
    assert hostile.inv.state.topics["T1"].title == HOSTILE
    data = json.loads(json.dumps(report_data(hostile.inv)))
    assert data["topics"][0]["title"] == HOSTILE


def test_the_timeline_shows_control_characters_instead_of_obeying_them(hostile: Scenario) -> None:
    """log prints an escape sequence as visible text, and a newline cannot start a fake line."""
    text = timeline_text(hostile.inv)
    assert "\x1b" not in text
    assert "\\x1b[31mraud" in text
    assert not any(line.startswith("## Vedtak") for line in text.splitlines())


def test_members_who_have_not_answered_show_as_invited_or_not(stepgate_store: sg.Store) -> None:
    """A member invited without an answer, and one never invited, each say so."""
    run = Scenario(stepgate_store)
    run.inv.invite(municipalities=["Sogndal"])
    rows = {p["name"]: p["status"] for p in report_data(run.inv)["participants"]}
    assert (rows["Sogndal"], rows["Luster"]) == ("invited", "not_invited")
    text = markdown_report(run.inv, lang="en")
    assert "invited, no answer" in text
    assert "not invited" in text


def test_a_word_the_catalogue_lacks_shows_as_itself() -> None:
    """A process's own outcome name, unknown to the catalogue, is shown as written."""
    assert report_text_label("nn", "fortset") == "fortset"
    assert sg.CATALOGUE["outcome.endorsed"].in_("en") == "endorsed"
    assert catalogue_label("outcome.eigen") == "eigen"


@pytest.mark.parametrize(
    ("by", "shown"),
    [
        (None, "–"),
        ({"actor": "innbyggjar", "acting_for": None}, "innbyggjar"),
        ({"actor": "luster-kd", "acting_for": "4644"}, "luster-kd (4644)"),
        ({"actor": "sogn-ko", "acting_for": "secretariat"}, "sogn-ko (sekretariatet)"),
    ],
)
def test_who_recorded_a_position_reads_well(by: dict[str, Any] | None, shown: str) -> None:
    """Unknown, acting for nobody, for a municipality, or as the secretariat."""
    assert recorded_by("nn", {"recorded_by": by}) == shown
