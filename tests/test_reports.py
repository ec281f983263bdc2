"""Reports: one typed report rendered as a Markdown case document, an HTML page and JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

import stepgate as sg
from stepgate import sogn
from stepgate.report import model, pictures
from stepgate.report.render import SECTIONS, html_report, json_report, markdown_report
from stepgate.report.timeline import timeline_text
from stepgate.report.words import Words
from stepgate.testing import Scenario


@pytest.fixture(scope="module")
def story() -> sogn.Story:
    """The demo's investigation, run once in memory."""
    return sogn.run(sg.open_store(clock=sg.FixedClock()))


def test_markdown_has_every_gate_of_every_municipality(story: sogn.Story) -> None:
    """Each anchoring of each step appears as a row: municipality, body, outcome, date, and
    where the archive keeps it (registry entry and meeting item)."""
    text = markdown_report(story.inv)
    gates = [p for step in model.build(story.inv).steps for p in step.gate]
    assert len(gates) == 24
    words = Words("nn")
    for p in gates:
        row = f"| {p.name} | {words.body(p.body)} | "
        assert p.registry_entry.startswith("2024/")
        assert p.meeting.startswith("PS ")
        line = next(
            (ln for ln in text.splitlines() if ln.startswith(row) and p.reference in ln), None
        )
        assert line is not None, (p.name, p.reference)
        assert words.date(p.on) in line


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nn",
            [
                "## Samandrag",
                "- Tilstand: **avslutta**",
                "## Mandat og versjonar",
                "> Greie ut eit felles barnevern i Sogn; forstudie og avgjerdsgrunnlag.",
                "## Deltakarkommunar",
                "| Vik | 4639 | meldt ut | 18.06.2024 | kommunestyret | 2024/45-7 · PS 68/24 | "
                "Vik held fram med eiga teneste |",
                "- Saksnummer i arkivet: 2024/118",
                "| 12.02.2024 | Oppstartsøkt med alle seks | Kommunedirektør Vik,",
                "| 19.03.2024 | I9: Innsikt om reisetid og ferjer | Reisetid og ferjer |",
                "| Reisetid og ferjer | 4 | Steg 2 | Steg 3 | 19.03.2024 |",
                "Tidlegskår (1 = alle tema løfta i steg 1): **0,89**",
                "> Modell C: éi barnevernsteneste for Sogn, Sogndal som vertskommune",
                "| Styringsgruppa | styringsgruppa | godkjent | 05.04.2024 | "
                "2024/118-9 · PS 4/24 |",
                "## Saksdokument",
                "| 13.06.2024 | Kommunestyra · Sogndal | Vedtak | Vedtak: Felles barnevern i Sogn, "
                "vertskommune Sogndal | vedtak-4640-kommunestyre-PS41-24.pdf",
                "Etablert mellom: **Sogndal, Lærdal, Årdal, Luster** (20.06.2024)",
                "7. **avslutta** ← her står saka",
                "- Rapportdato: 15.01.2024",
            ],
        ),
        (
            "en",
            [
                "## Summary",
                "- State: **concluded**",
                "## Mandate and its versions",
                "## Participants",
                "| Vik | 4639 | opted out | 2024-06-18 | municipal council | "
                "2024/45-7 · PS 68/24 |",
                "- Archive case number: 2024/118",
                "## Case file",
                "| Reisetid og ferjer | 4 | Step 2 | Step 3 | 2024-03-19 |",
                "Earliness score (1 = every topic raised in step 1): **0.89**",
                "Established among: **Sogndal, Lærdal, Årdal, Luster** (2024-06-20)",
                "7. **concluded** ← the case is here",
                "- Report date: 2024-01-15",
            ],
        ),
    ],
)
def test_markdown_report_is_a_case_document_in_both_languages(
    story: sogn.Story, lang: str, words: list[str]
) -> None:
    """Summary, mandate, parties, sessions, insights, hard topics, basis, decisions, states."""
    text = markdown_report(story.inv, lang=lang)
    for word in words:
        assert word in text, word


def test_every_table_column_has_a_header(story: sogn.Story) -> None:
    """Each Markdown table's header row names every column: no empty header cell."""
    lines = markdown_report(story.inv).splitlines()
    headers = [lines[i - 1] for i, line in enumerate(lines) if line.startswith("|---")]
    assert headers
    for header in headers:
        cells = [c.strip() for c in header.strip("|").split(" | ")]
        assert all(cells), header
        assert header.count(" | ") + 1 == lines[lines.index(header) + 1].count("---|")


def test_markdown_flags_overdue_milestones_and_exempt_records(
    stepgate_store: sg.Store,
) -> None:
    """An overdue milestone is flagged (and summed up first); an exempt record shows its basis."""
    run = Scenario(stepgate_store)
    run.start().close()
    run.inv.anchor_step("4640", body="formannskap", exemption="offentleglova § 14")
    text = markdown_report(run.inv, today=dt.date(2024, 4, 1))
    assert "| forstudie ferdig | Forstudie | 20.03.2024 | – | **forseinka** |" in text
    assert "- Forseinka: **forstudie ferdig (20.03.2024)**" in text
    assert "unnateke (offl. § 14)" in text
    assert "milestone-overdue" in text
    assert "skulle vore nådd 20.03.2024" in text


def test_the_summary_names_the_next_deadline(stepgate_store: sg.Store) -> None:
    """Before a deadline, the summary names the next milestone and its date."""
    run = Scenario(stepgate_store)
    run.start()
    report = model.build(run.inv, today=dt.date(2024, 2, 10))
    assert report.summary.next_deadline is not None
    assert report.summary.next_deadline.name == "forstudie ferdig"
    assert "- Neste frist: forstudie ferdig, 20.03.2024" in markdown_report(
        run.inv, today=dt.date(2024, 2, 10)
    )


def test_json_has_the_same_content(story: sogn.Story) -> None:
    """The JSON report carries the summary, gates, sessions, topics, basis and the record."""
    data = json.loads(json_report(story.inv))
    assert data["state"] == "concluded"
    assert sum(len(s["gate"]) for s in data["steps"]) == 24
    assert [len(s["sessions"]) for s in data["steps"]] == [1, 1, 1, 1]
    assert data["earliness"] == pytest.approx(story.inv.earliness())
    assert len(data["record"]["head_hash"]) == 64
    assert data["record"]["verified"] is True
    assert data["decision"]["basis"]["cooperation_model"] == "vertskommune"
    assert data["decision"]["established_among"] == ["4640", "4642", "4643", "4644"]
    assert "T9" in data["hard_topics"] or len(data["hard_topics"]) == 5
    position = data["steps"][1]["gate"][0]
    assert position["recorded_by"] == {
        "actor": "sogn-ko",
        "acting_for": "secretariat",
        "at": "2024-01-15T09:00:00+00:00",
    }


def test_json_says_its_format_and_version_first(story: sogn.Story) -> None:
    """A JSON report begins with its format and version, so a reader knows what it reads."""
    data = json.loads(json_report(story.inv))
    assert list(data)[:2] == ["format", "format_version"]
    assert (data["format"], data["format_version"]) == ("stepgate-report", 1)


@pytest.mark.parametrize("render", [markdown_report, html_report, json_report])
@pytest.mark.parametrize("lang", ["nn", "en"])
def test_every_report_carries_the_checkpoint_for_the_minutes(
    story: sogn.Story, render: Any, lang: str
) -> None:
    """Each face shows the store's checkpoint when it was made (Markdown and HTML labelled for
    the minutes), which ``verify --against`` proves later."""
    text = render(story.inv) if render is json_report else render(story.inv, lang=lang)
    checkpoint = str(story.store.checkpoint())
    assert checkpoint in text
    if render is markdown_report:
        label = {"nn": "Kontrollpunkt for heile journalen (til protokollen)",
                 "en": "Checkpoint of the whole record (for the minutes)"}[lang]  # fmt: skip
        assert f"- {label}: `{checkpoint}`" in text


def test_html_stands_alone(story: sogn.Story) -> None:
    """The HTML page loads nothing from the network and has every section."""
    page = html_report(story.inv)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for section in SECTIONS:
        assert f'id="{section}"' in page, section
    assert page.count("<svg") >= 1
    assert "@page" in page  # A4 print rules, inline


def test_without_graphviz_the_page_lists_the_states(
    story: sogn.Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where Graphviz is missing, the page lists the states with the current one marked."""

    def missing(*args: object, **kwargs: object) -> str:
        raise RuntimeError("no dot")

    monkeypatch.setattr(type(story.inv), "diagram", missing)
    assert pictures.diagram_svg(story.inv) is None
    page = html_report(story.inv)
    section = page[page.index('id="diagram"') : page.index('id="timeline"')]
    assert "<svg" not in section
    assert "stateDiagram" not in page
    assert '<li class="current" aria-current="step" data-here="her står saka">avslutta</li>' in (
        section
    )


@pytest.mark.parametrize(("lang", "words"), [("nn", "avslutta"), ("en", "concluded")])
def test_the_diagram_is_labelled_in_the_report_s_language(
    story: sogn.Story, lang: str, words: str
) -> None:
    """States and moves of the process diagram carry labels in the chosen language."""
    source = story.inv.diagram(lang=lang)
    assert f'state "{words}" as concluded' in source


def test_the_timeline_draws_steps_gates_milestones_and_months(story: sogn.Story) -> None:
    """A bar per step, a dot per gate record, a diamond per milestone, a label per month."""
    svg = pictures.timeline_svg(model.build(story.inv), Words("nn"))
    assert svg.count('class="step"') == 4
    assert svg.count('class="gate"') == 24
    assert svg.count('class="milestone"') == 3
    months = re.findall(r'class="month"[^>]*>([^<]+)<', svg)
    assert months == ["mar 2024", "apr 2024", "mai 2024", "jun 2024"]
    assert "endorsed" not in svg  # hover texts speak Nynorsk
    assert "slutta seg til" in svg


def test_the_text_timeline_weaves_in_refusals(story: sogn.Story) -> None:
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
    with pytest.warns(DeprecationWarning, match="case_ref"):  # free text is what it tests
        run.inv.anchor_step("4640", body="formannskap", case_ref="24/1 | falsk\n# Overskrift")
    return run


def test_text_in_markdown_adds_no_structure(hostile: Scenario) -> None:
    """A title with a newline, '## Vedtak', pipes and <script> stays one escaped cell."""
    text = markdown_report(hostile.inv)
    lines = text.splitlines()
    assert not any(line.startswith(("## Vedtak", "# Overskrift")) for line in lines)
    assert "<script>" not in text
    rows = [line for line in lines if "Ferje" in line]  # the insight and the hard topic
    # three and five cells: the title's own pipe is escaped
    assert sorted(row.count(" | ") for row in rows) == [2, 4]
    (gate,) = [line for line in lines if "falsk" in line]
    assert gate.count(" | ") == 6  # seven cells


def test_text_in_html_is_text(hostile: Scenario) -> None:
    """The HTML page shows the title as text: no script element, no injected heading."""
    page = html_report(hostile.inv)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<h2>Vedtak" not in page
    assert "**feit**" in page  # the asterisks are the title's, not bold


@pytest.mark.parametrize("control", ["\r", "\x1b[2J", "\x01", "\x0b", "\u202e", "\x85"])
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # a free-text reference, on purpose
def test_html_holds_no_control_character(stepgate_store: sg.Store, control: str) -> None:
    """A title or case reference with a control character shows it as an escape in the HTML
    page and its SVG; HTML and XML allow none of them raw."""
    run = Scenario(stepgate_store, title=f"Felles{control}barnevern")
    run.topic(f"Tema{control}eitt", 5)
    run.start().close()
    run.inv.anchor_step("4640", body="formannskap", case_ref=f"24/1{control}2")
    page = html_report(run.inv)
    raw = {c for c in page if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F}
    assert raw == set()
    assert "\u202e" not in page
    if control not in ("\r", "\x85", "\x0b"):  # breaks become a line break; others shown
        assert "Felles\\x" in page or "Felles\\u202e" in page


def test_text_is_kept_verbatim_in_the_record_and_json(hostile: Scenario) -> None:
    """Storage and JSON give back exactly what was typed, control characters and all."""
    assert hostile.inv.history().topics["T1"].title == HOSTILE
    data = json.loads(json_report(hostile.inv))
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
    rows = {p.name: p.status for p in model.build(run.inv).parties}
    assert (rows["Sogndal"], rows["Luster"]) == ("invited", "not_invited")
    text = markdown_report(run.inv, lang="en")
    assert "invited, no answer" in text
    assert "not invited" in text


def test_a_word_the_catalogue_lacks_shows_as_itself() -> None:
    """A process's own outcome name, unknown to the catalogue, is shown as written."""
    assert Words("nn").t("fortset") == "fortset"
    assert Words("nn").outcome("fortset") == "fortset"
    assert sg.CATALOGUE["outcome.endorsed"].in_("en") == "endorsed"


@pytest.mark.parametrize(
    ("lang", "day", "number"), [("nn", "12.03.2024", "0,89"), ("en", "2024-03-12", "0.89")]
)
def test_dates_and_numbers_are_written_as_the_language_writes_them(
    lang: str, day: str, number: str
) -> None:
    """Nynorsk writes 12.03.2024 and 0,89; English 2024-03-12 and 0.89."""
    words = Words(lang)
    assert words.date(dt.date(2024, 3, 12)) == day
    assert words.number(0.8889) == number


@pytest.mark.parametrize(
    ("value", "nn", "en"),
    [
        (96, "96", "96"),
        (1000, "1000", "1,000"),
        (10_000, "10\u00a0000", "10,000"),
        (100_013, "100\u00a0013", "100,013"),
        (1_000_000, "1\u00a0000\u00a0000", "1,000,000"),
    ],
)
def test_counts_are_grouped_as_the_language_groups_them(value: int, nn: str, en: str) -> None:
    """Nynorsk groups a count of five digits or more with no-break spaces (100 000), English
    with commas (100,000)."""
    assert (Words("nn").count(value), Words("en").count(value)) == (nn, en)


@pytest.mark.parametrize(
    ("by", "shown"),
    [
        (("innbyggjar", None), "innbyggjar"),
        (("luster-kd", "4644"), "luster-kd (4644)"),
        (("sogn-ko", "secretariat"), "sogn-ko (sekretariatet)"),
    ],
)
def test_who_recorded_a_position_reads_well(by: tuple[str, Any], shown: str) -> None:
    """Acting for nobody, for a municipality, or as the secretariat."""
    assert Words("nn").recorded_by(*by) == shown
