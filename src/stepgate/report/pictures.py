"""The report's two pictures, as inline SVG: the process diagram and the timeline.

The diagram is drawn by Graphviz through transitions' graph support, labelled
in the report's language; where Graphviz is missing the page shows the list
of states instead (``diagram_svg`` gives None). The timeline is drawn here:
steps as bars, each party's position at a gate as a dot, milestones as
diamonds, on an axis with a tick for every month.
"""

from __future__ import annotations

import datetime as dt
import html

from stepgate.api.reading import Reading
from stepgate.report.model import Report
from stepgate.report.safe import html_text
from stepgate.report.words import Words

WIDTH, ROW, LEFT = 900, 26, 170
COLOURS = {"endorsed": "#2a7a4a", "noted": "#b8860b", "sent_back": "#b03030"}


def diagram_svg(reading: Reading, lang: str = "nn") -> str | None:
    """The process diagram as inline SVG, its current state marked; None without Graphviz."""
    try:
        svg = reading.diagram(engine="graphviz", lang=lang)
    except (RuntimeError, ImportError):
        return None
    return svg[svg.index("<svg") :]


def _x(day: dt.date, start: dt.date, end: dt.date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (WIDTH - LEFT - 20) * (day - start).days / span


def _bounds(report: Report) -> tuple[dt.date, dt.date]:
    days = [s.opened_on for s in report.steps]
    days += [p.on for s in report.steps for p in s.gate]
    days += [m.due for m in report.milestones]
    days += [p.on for p in (*report.decision.steering, *report.decision.councils)]
    return (min(days), max(days)) if days else (report.report_date, report.report_date)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    found = []
    while first <= end:
        if first >= start:
            found.append(first)
        first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return found


def timeline_svg(report: Report, words: Words) -> str:
    """Steps as bars, gate positions as dots, milestones as diamonds, on a month axis."""
    start, end = _bounds(report)
    rows = len(report.steps) + 2
    height = ROW * rows + 36

    def esc(text: str) -> str:
        return html.escape(html_text(text))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{esc(words.t("timeline"))}">'
    ]
    for i, step in enumerate(report.steps):
        y = 10 + i * ROW
        x1 = _x(step.opened_on, start, end)
        closed = step.passed_on or step.closed_on or end
        x2 = max(_x(closed, start, end), x1 + 3)
        name = esc(f"{words.t('step')} {step.number} ({words.phase(step.phase)})")
        span = esc(f"{words.date(step.opened_on)} – {words.date(step.passed_on or step.closed_on)}")
        parts.append(f'<text x="4" y="{y + 14}" font-size="12">{name}</text>')
        parts.append(
            f'<rect class="step" x="{x1:.1f}" y="{y + 3}" width="{x2 - x1:.1f}" '
            f'height="14" fill="#9bc"><title>{name}: {span}</title></rect>'
        )
        for p in step.gate:
            cx = _x(p.on, start, end)
            colour = COLOURS.get(p.outcome, "#777")
            tip = esc(
                f"{p.name}: {words.body(p.body)}, {words.outcome(p.outcome)}, {words.date(p.on)}"
            )
            parts.append(
                f'<circle class="gate" cx="{cx:.1f}" cy="{y + 10}" r="4" '
                f'fill="{colour}"><title>{tip}</title></circle>'
            )
    y = 10 + len(report.steps) * ROW
    parts.append(f'<text x="4" y="{y + 14}" font-size="12">{esc(words.t("milestones"))}</text>')
    for m in report.milestones:
        cx = _x(m.due, start, end)
        colour = "#b03030" if m.overdue else "#335"
        tip = esc(f"{m.name}: {words.date(m.due)}")
        parts.append(
            f'<path class="milestone" d="M{cx:.1f} {y + 2} l7 8 l-7 8 l-7 -8 z" '
            f'fill="{colour}"><title>{tip}</title></path>'
        )
    axis = y + ROW + 8
    parts.append(f'<line x1="{LEFT}" y1="{axis}" x2="{WIDTH - 20}" y2="{axis}" stroke="#333"/>')
    ticks = [(m, words.month(m)) for m in _months(start, end)]
    for day, text in ticks or [(start, words.date(start)), (end, words.date(end))]:
        x = _x(day, start, end)
        parts.append(
            f'<line class="tick" x1="{x:.1f}" y1="{axis}" x2="{x:.1f}" y2="{axis + 5}" '
            'stroke="#333"/>'
            f'<text class="month" x="{x:.1f}" y="{axis + 18}" font-size="11" '
            f'text-anchor="middle">{esc(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
