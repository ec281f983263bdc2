"""The report's faces: Markdown, one self-contained HTML page, and JSON, from one ``Report``.

Markdown and HTML are Jinja2 templates (``templates/``) over the same
``Report`` value and the same ``Words``; JSON is the value itself. In the
HTML every value is escaped by Jinja's autoescaping; in Markdown every value
is escaped by ``safe.md`` (the template's own markup is the only structure), and in
HTML control characters are shown, never written (``safe.html_text``).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
from typing import Any

import jinja2
from markupsafe import Markup

from stepgate.api.reading import Reading
from stepgate.report import model
from stepgate.report.pictures import diagram_svg, timeline_svg
from stepgate.report.safe import html_text, md
from stepgate.report.words import Words

SECTIONS = (
    "summary",
    "mandate",
    "participants",
    "steps",
    "topics",
    "milestones",
    "decision",
    "case-file",
    "diagram",
    "timeline",
    "record",
)
"""The HTML page's sections, by element id, in order (``signals`` too, when there are any)."""


class Raw(str):
    """Markdown the template made itself (a table from a macro): printed as it is."""

    __slots__ = ()


def _finalize_markdown(value: Any) -> Any:
    return value if isinstance(value, Raw) else md("" if value is None else value)


def _finalize_html(value: Any) -> Any:
    """A value from the record, fit for HTML before it is escaped (markup made here stays)."""
    if value is None or isinstance(value, Markup | int | float):
        return value
    return html_text(value)


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    common: dict[str, Any] = {
        "loader": jinja2.PackageLoader("stepgate.report", "templates"),
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "undefined": jinja2.StrictUndefined,
    }
    if kind == "html":
        return jinja2.Environment(autoescape=True, finalize=_finalize_html, **common)
    env = jinja2.Environment(autoescape=False, finalize=_finalize_markdown, **common)  # noqa: S701 - Markdown: safe.md escapes every value
    env.filters["raw"] = Raw
    return env


@functools.cache
def _css() -> str:
    return (importlib.resources.files("stepgate.report") / "templates" / "report.css").read_text(
        encoding="utf-8"
    )


def _context(report: model.Report, words: Words) -> dict[str, Any]:
    """What both templates are given: the report, its words, and small helpers."""

    def access(p: model.Position | model.CaseDocument) -> str:
        return words.t("public") if p.public else f"{words.t('exempt')} ({p.exemption})"

    def where(d: model.CaseDocument) -> str:
        """What a document belongs to, in the report's words."""
        step = f"{words.t('step')} {d.step}" if d.step is not None else ""
        parts = {
            "position": [
                step or (f"{words.t('mandate_version')} {d.version}" if d.version else ""),
                d.name,
            ],
            "session": [step, f"{words.t('session')} {d.session}"],
            "insight": [step, words.t("insight")],
            "mandate": [f"{words.t('mandate_version')} {d.version or 1}"],
            "council_decision": [words.t("councils"), d.name],
            "opt_out": [d.name, words.t("opted_out")],
        }.get(d.place, [words.t(f"place_{d.place}"), step])
        return " · ".join(p for p in parts if p)

    def size(n: int) -> str:
        for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
            if n >= scale:
                return f"{words.number(n / scale, digits=1)} {unit}"
        return f"{n} B"

    def who(by: model.RecordedBy | None) -> str:
        return "–" if by is None else words.recorded_by(by.actor, by.acting_for)

    def names(session: model.Session, role: str | None = None, *, every: bool = False) -> str:
        """The attendees of ``role``; with None, those of neither side; ``every``: all."""
        sides = ("employer", "union")
        chosen = [
            a.name
            for a in session.attendees
            if every or (a.role == role if role is not None else a.role not in sides)
        ]
        return ", ".join(chosen) or "–"

    def registered(t: model.Topic) -> str:
        return (
            words.t("before")
            if t.registered_step == 0
            else f"{words.t('step')} {t.registered_step}"
        )

    def raised(t: model.Topic) -> str:
        return words.t("never") if t.first_raised is None else f"{words.t('step')} {t.first_raised}"

    as_of = report.record.as_of
    when = (
        words.date(as_of) if isinstance(as_of, dt.date) else f"{words.t('version').lower()} {as_of}"
    )
    note = words.t("as_of_note").format(
        when=when, version=report.record.version, latest=report.record.latest
    )
    return {
        "r": report,
        "w": words,
        "access": access,
        "where": where,
        "size": size,
        "who": who,
        "names": names,
        "registered": registered,
        "raised": raised,
        "as_of_note": note,
        "established": ", ".join(report.summary.established_among),
    }


def markdown(report: model.Report, words: Words) -> str:
    """The report as Markdown, for a *saksframlegg*."""
    return _environment("md").get_template("report.md.j2").render(_context(report, words))


def page(report: model.Report, words: Words, diagram: str | None) -> str:
    """The report as one self-contained HTML page; ``diagram`` is inline SVG, or None."""
    context = _context(report, words) | {
        # our own style sheet, Graphviz's SVG (it escapes its labels) and the timeline
        # (``timeline_svg`` escapes every text it draws): markup made here, not input
        "css": Markup(_css()),  # noqa: S704
        "diagram_svg": None if diagram is None else Markup(diagram),  # noqa: S704
        "timeline_svg": Markup(timeline_svg(report, words)),  # noqa: S704
    }
    return _environment("html").get_template("report.html.j2").render(context)


def data(report: model.Report) -> str:
    """The report as JSON text."""
    return json.dumps(model.to_data(report), ensure_ascii=False, indent=2) + "\n"


def markdown_report(
    reading: Reading, *, lang: str = "nn", today: dt.date | None = None, verified: bool = True
) -> str:
    """The Markdown report of an investigation (or of it ``as_of`` a date or version)."""
    report = model.build(reading, today=today, verified=verified)
    return markdown(report, Words(lang, reading.process))


def html_report(
    reading: Reading, *, lang: str = "nn", today: dt.date | None = None, verified: bool = True
) -> str:
    """The HTML report of an investigation: the case document, the diagram and a timeline."""
    report = model.build(reading, today=today, verified=verified)
    return page(report, Words(lang, reading.process), diagram_svg(reading, lang))


def json_report(reading: Reading, *, today: dt.date | None = None, verified: bool = True) -> str:
    """The JSON report of an investigation: the same content, for machines."""
    return data(model.build(reading, today=today, verified=verified))
