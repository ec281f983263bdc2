"""A self-contained HTML report: the Markdown's content, the process diagram, a timeline.

No network access is needed to view it: the styles are inline, the process
diagram is inline SVG drawn by Graphviz through transitions' graph support
(where Graphviz is installed; otherwise its mermaid source is shown), and the
timeline of steps, gates and milestones is inline SVG.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from stepgate.api.investigation import Investigation
from stepgate.report.data import label, report_data
from stepgate.report.text import markdown_report

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #bbb;
padding:.2rem .5rem;text-align:left}th{background:#eef}
.diagram svg,.timeline svg{max-width:100%;height:auto}
.diagram{border:1px solid #ddd;padding:.5rem;overflow-x:auto}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto}
.overdue{color:#a00;font-weight:bold}
"""

WIDTH, ROW, LEFT = 900, 26, 150


def _x(day: dt.date, start: dt.date, end: dt.date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (WIDTH - LEFT - 20) * (day - start).days / span


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _bounds(data: dict[str, Any]) -> tuple[dt.date, dt.date]:
    days = [_d(s["opened_on"]) for s in data["steps"]]
    days += [_d(r["on"]) for s in data["steps"] for r in s["gate"]]
    days += [_d(m["due"]) for m in data["milestones"]]
    days += [_d(r["on"]) for r in data["decision"]["steering"] + data["decision"]["councils"]]
    known = [d for d in days if d is not None] or [dt.date.fromisoformat(data["as_of"])]
    return min(known), max(known)


def timeline_svg(data: dict[str, Any], lang: str = "nn") -> str:
    """Steps as bars, gate anchorings as dots, milestones as diamonds, on one time axis."""
    start, end = _bounds(data)
    rows = len(data["steps"]) + 2
    height = ROW * rows + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{html.escape(label(lang, "timeline"))}">'
    ]
    for i, step in enumerate(data["steps"]):
        y = 10 + i * ROW
        x1 = _x(_d(step["opened_on"]) or start, start, end)
        closed = _d(step["passed_on"] or step["closed_on"]) or end
        x2 = max(_x(closed, start, end), x1 + 3)
        name = html.escape(f"{label(lang, 'step')} {step['number']} ({step['phase']})")
        parts.append(f'<text x="4" y="{y + 14}" font-size="12">{name}</text>')
        parts.append(
            f'<rect class="step" x="{x1:.1f}" y="{y + 3}" width="{x2 - x1:.1f}" '
            f'height="14" fill="#9bc"><title>{name}</title></rect>'
        )
        for record in step["gate"]:
            cx = _x(_d(record["on"]) or start, start, end)
            colour = {"endorsed": "#2a7", "noted": "#ca3", "sent_back": "#c33"}.get(
                record["outcome"], "#777"
            )
            tip = html.escape(
                f"{record['name']}: {record['body']}, {record['outcome']}, {record['on']}"
            )
            parts.append(
                f'<circle class="gate" cx="{cx:.1f}" cy="{y + 10}" r="4" '
                f'fill="{colour}"><title>{tip}</title></circle>'
            )
    y = 10 + len(data["steps"]) * ROW
    parts.append(
        f'<text x="4" y="{y + 14}" font-size="12">{html.escape(label(lang, "milestones"))}</text>'
    )
    for m in data["milestones"]:
        cx = _x(_d(m["due"]) or start, start, end)
        colour = "#c33" if m["overdue"] else "#335"
        tip = html.escape(f"{m['name']}: {m['due']}")
        parts.append(
            f'<path class="milestone" d="M{cx:.1f} {y + 2} l7 8 l-7 8 l-7 -8 z" '
            f'fill="{colour}"><title>{tip}</title></path>'
        )
    axis = y + ROW + 8
    parts.append(f'<line x1="{LEFT}" y1="{axis}" x2="{WIDTH - 20}" y2="{axis}" stroke="#333"/>')
    for day, anchor in ((start, "start"), (end, "end")):
        parts.append(
            f'<text x="{_x(day, start, end):.1f}" y="{axis + 14}" font-size="11" '
            f'text-anchor="{anchor}">{day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def diagram_html(inv: Investigation, lang: str = "nn") -> str:
    """The process diagram as inline SVG, or its mermaid source where Graphviz is missing."""
    try:
        svg = inv.diagram(engine="graphviz", lang=lang)
        return svg[svg.index("<svg") :]
    except (RuntimeError, ImportError):
        source = inv.diagram(engine="mermaid", lang=lang)
        return f'<pre class="mermaid-source">{html.escape(source)}</pre>'


def _markdown_to_html(text: str) -> str:
    """Just enough Markdown for our own report: headings, lists, tables, bold, code.

    The report escapes every character of people's text (``_report_safe.md``);
    here a backslash-escaped character is always that character, as text.
    """
    out: list[str] = []
    in_table = False
    for raw in text.splitlines():
        if raw.startswith("|"):
            cells = _cells(raw)
            if all(set(c) <= {"-"} for c in cells):
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if raw.startswith("#"):
            level = len(raw) - len(raw.lstrip("#"))
            out.append(f"<h{level}>{_inline(raw[level:].strip())}</h{level}>")
        elif raw.startswith("- "):
            out.append(f"<p>• {_inline(raw[2:])}</p>")
        elif raw.strip():
            out.append(f"<p>{_inline(raw)}</p>")
    if in_table:
        out.append("</table>")
    return "\n".join(out)


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row, split at pipes that are not escaped."""
    cells, cell, escaped = [], [], False
    for char in row.strip()[1:-1] if row.strip().endswith("|") else row.strip()[1:]:
        if escaped:
            cell += ["\\", char]
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append("".join(cell).strip())
            cell = []
        else:
            cell.append(char)
    cells.append("".join(cell).strip())
    return cells


def _inline(text: str) -> str:
    """HTML for one line: ``**bold**``, `` `code` ``, escapes as their characters."""
    out: list[str] = []
    bold = code = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(html.escape(text[i + 1]))
            i += 2
            continue
        if text.startswith("**", i) and not code:
            out.append("</strong>" if bold else "<strong>")
            bold = not bold
            i += 2
            continue
        if char == "`":
            out.append("</code>" if code else "<code>")
            code = not code
        else:
            out.append(html.escape(char))
        i += 1
    return "".join(out) + ("</code>" if code else "") + ("</strong>" if bold else "")


def html_report(inv: Investigation, *, lang: str = "nn", today: Any = None) -> str:
    """The investigation as one self-contained HTML page."""
    data = report_data(inv, today)
    body = _markdown_to_html(markdown_report(inv, lang=lang, today=today))
    title = html.escape(data["title"])
    return f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "nn"}">
<head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}</style></head>
<body>
<main>{body}</main>
<section class="diagram" id="diagram"><h2>{html.escape(label(lang, "diagram"))}</h2>
{diagram_html(inv, lang)}</section>
<section class="timeline" id="timeline"><h2>{html.escape(label(lang, "timeline"))}</h2>
{timeline_svg(data, lang)}</section>
</body></html>
"""
