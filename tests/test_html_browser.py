"""The HTML report in a real headless Chromium: diagram and timeline drawn, no console errors."""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest

import stepgate as sg
from stepgate.cli import example
from stepgate.report.html import html_report

CHROMIUM = (
    os.environ.get("STEPGATE_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine (.ci/run installs Debian's chromium package)",
)


def test_the_html_report_renders_in_chromium(tmp_path: pathlib.Path) -> None:
    """Chromium shows the process diagram and the timeline, and logs no errors."""
    playwright = pytest.importorskip("playwright.sync_api")
    story = example("sogn_barnevern").run(sg.open_store(clock=sg.FixedClock()))
    page_file = tmp_path / "rapport.html"
    page_file.write_text(html_report(story.inv), encoding="utf-8")
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        diagram = page.locator("#diagram svg").first
        timeline = page.locator("#timeline svg").first
        for picture in (diagram, timeline):
            box = picture.bounding_box()
            assert box is not None
            assert box["width"] > 100
            assert box["height"] > 50
        assert page.locator("#diagram svg text", has_text="avslutta").count() >= 1  # Nynorsk
        assert page.locator("#timeline .gate").count() == 24
        assert page.locator("h1").inner_text() == "Felles barnevern i Sogn"
        page.screenshot(path=str(tmp_path / "rapport.png"), full_page=True)
        browser.close()
    assert errors == []
