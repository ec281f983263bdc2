"""The HTML report in a real headless Chromium: every section, the diagram, and A4 print.

The pages and screenshots are written for the reviewer under ``test-output/report/``
(or ``$STEPGATE_TEST_OUTPUT``): the report with and without Graphviz, on screen
and as printed (a PDF).
"""

from __future__ import annotations

import io
import os
import pathlib
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

import stepgate as sg
from stepgate import sogn
from stepgate.report.render import SECTIONS, html_report

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUTPUT = pathlib.Path(os.environ.get("STEPGATE_TEST_OUTPUT") or ROOT / "test-output") / "report"
CHROMIUM = (
    os.environ.get("STEPGATE_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
IN_CI = os.environ.get("STEPGATE_CI") == "1"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
A4_CONTENT_PX = 680  # 210 mm less the page's 14 mm margins each side, at 96 px per inch


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's), driven through playwright."""
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("CI must render the report in Chromium: no chromium found")
        pytest.skip("no Chromium on this machine (.ci/run installs Debian's chromium package)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def story() -> sogn.Story:
    """The demo's investigation."""
    return sogn.run(sg.open_store(clock=sg.FixedClock()))


def _write(name: str, page: str) -> pathlib.Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    path.write_text(page, encoding="utf-8")
    return path


def _open(browser: Any, path: pathlib.Path, errors: list[str], width: int = 1000) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 1200})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_every_section_and_the_drawn_diagram_show(
    browser: Any, story: sogn.Story, lang: str
) -> None:
    """Every section is there and visible; the diagram and the timeline are drawn; no errors."""
    if shutil.which("dot") is None and IN_CI:
        pytest.fail("CI must draw the diagram with Graphviz: no dot found")
    if shutil.which("dot") is None:
        pytest.skip("no Graphviz 'dot' on this machine (.ci/run installs Debian's graphviz)")
    path = _write(f"rapport-{lang}.html", html_report(story.inv, lang=lang))
    errors: list[str] = []
    page = _open(browser, path, errors)
    for section in SECTIONS:
        assert page.locator(f"#{section}").is_visible(), section
    assert page.locator("h1").inner_text() == "Felles barnevern i Sogn"
    diagram = page.locator("#diagram svg").first
    timeline = page.locator("#timeline svg").first
    for picture in (diagram, timeline):
        box = picture.bounding_box()
        assert box is not None
        assert box["width"] > 100
        assert box["height"] > 50
    concluded = "avslutta" if lang == "nn" else "concluded"
    assert page.locator("#diagram svg text", has_text=concluded).count() >= 1
    assert page.locator("#diagram ol.states").is_hidden()
    assert page.locator("#timeline .gate").count() == 24
    assert page.locator("#steps section.step").count() == 4
    assert page.locator("#steps table.sessions tbody tr").count() == 4
    assert page.locator("#head-hash").inner_text() == story.inv.head_hash
    page.screenshot(path=str(OUTPUT / f"rapport-{lang}.png"), full_page=True)
    page.close()
    assert errors == []


def test_without_graphviz_the_diagram_is_a_list_of_states(
    browser: Any, story: sogn.Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Graphviz the diagram box lists the states, the current one marked; no source."""

    def no_graphviz(*args: object, **kwargs: object) -> str:
        raise RuntimeError("Graphviz could not draw the diagram: no dot")

    monkeypatch.setattr(type(story.inv), "diagram", no_graphviz)
    path = _write("rapport-utan-graphviz.html", html_report(story.inv))
    errors: list[str] = []
    page = _open(browser, path, errors)
    states = page.locator("#diagram ol.states li")
    assert states.count() == len(story.inv.states)
    current = page.locator("#diagram ol.states li.current")
    assert current.inner_text() == "avslutta"
    marker = current.evaluate("e => getComputedStyle(e, '::after').content")
    assert "her står saka" in marker
    assert page.locator("#diagram svg").count() == 0
    assert "stateDiagram" not in page.locator("#diagram").inner_text()
    page.locator("#diagram").screenshot(path=str(OUTPUT / "diagram-utan-graphviz.png"))
    page.close()
    assert errors == []


def test_printed_on_a4_no_table_is_cut_off(browser: Any, story: sogn.Story) -> None:
    """As printed (A4, print styles) every table fits the page's width; page.pdf makes the PDF."""
    path = _write("rapport-utskrift.html", html_report(story.inv))
    errors: list[str] = []
    page = _open(browser, path, errors, width=A4_CONTENT_PX)
    page.emulate_media(media="print")
    overflowing = page.evaluate(
        """(limit) => [...document.querySelectorAll('table, svg, blockquote, dl, h1, h2, h3')]
            .map(e => [e.tagName + (e.id ? '#' + e.id : ''), e.getBoundingClientRect().right,
                       e.scrollWidth, e.clientWidth])
            .filter(([, right, scroll, client]) => right > limit + 1 || scroll > client + 1)""",
        A4_CONTENT_PX,
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_PX
    rows = page.evaluate("getComputedStyle(document.querySelector('tr')).breakInside")
    assert rows == "avoid"  # a row never splits across two pages
    pdf = page.pdf(path=str(OUTPUT / "rapport.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 3 <= pages <= 20, pages  # the whole report, on a sensible number of A4 pages
    page.screenshot(path=str(OUTPUT / "rapport-utskrift.png"), full_page=True)
    page.close()
    assert errors == []


@pytest.mark.parametrize(("lang", "numbered"), [("nn", "Side {} av {}"), ("en", "Page {} of {}")])
def test_every_printed_page_is_numbered(
    browser: Any, story: sogn.Story, lang: str, numbered: str
) -> None:
    """Printed on A4, each page says which it is of how many, in the report's language."""
    import pypdf  # noqa: PLC0415 - the test extra

    path = _write(f"rapport-sider-{lang}.html", html_report(story.inv, lang=lang))
    errors: list[str] = []
    page = _open(browser, path, errors, width=A4_CONTENT_PX)
    page.emulate_media(media="print")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    page.close()
    count = len(pdf.pages)
    assert count >= 3
    for number, printed in enumerate(pdf.pages, start=1):
        assert numbered.format(number, count) in printed.extract_text(), number
    assert errors == []


def test_the_printed_diagram_keeps_its_words_legible(browser: Any, story: sogn.Story) -> None:
    """On an A4 page the lifecycle diagram is drawn top to bottom, so its smallest word is
    still at least 12 px high (about 9 pt) instead of shrinking to fit a long row of states."""
    path = _write("rapport-diagram.html", html_report(story.inv))
    errors: list[str] = []
    page = _open(browser, path, errors, width=A4_CONTENT_PX)
    page.emulate_media(media="print")
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.diagram svg text')]
            .map(t => t.getBoundingClientRect().height))"""
    )
    page.close()
    assert smallest >= 12, smallest
    assert errors == []
