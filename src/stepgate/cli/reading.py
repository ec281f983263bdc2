"""Commands that read one investigation or the feed: status, log, explain, report, diagram."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, Literal

import attrs
import click

import stepgate as sg
from stepgate.api.reading import Reading
from stepgate.api.registry import given_process
from stepgate.api.store import LAST_POSITION
from stepgate.cli.app import (
    AS_OF,
    FORCE,
    JSON,
    LANG,
    PROCESS,
    cli,
    echo,
    echo_json,
    load,
    open_existing,
)
from stepgate.cli.files import place, write_bytes, write_text
from stepgate.engine.machine import diagram as draw
from stepgate.model import fields as f
from stepgate.report import model
from stepgate.report.render import html_report, json_report, markdown_report
from stepgate.report.timeline import timeline_data, timeline_text
from stepgate.report.words import Words


@cli.command()
@click.argument("db")
@click.argument("key", required=False)
@PROCESS
@AS_OF
@JSON
@LANG
def status(
    *, db: str, key: str | None, process: str | None, as_of: str | None, as_json: bool, lang: str
) -> None:
    """Show every investigation in DB, or one investigation's status (verified first)."""
    w = Words(lang)
    if key is None:
        if as_of is not None or process is not None:
            raise sg.InvalidValue(
                nn="--as-of og --process les éi utgreiing: gje nøkkelen hennar (KEY)",
                en="--as-of and --process read one investigation: give its KEY",
            )
        _list(open_existing(db), w, as_json)
        return
    reading = load(db, key, process, as_of)
    report = model.build(reading)
    if as_json:
        found = model.to_data(report)
        echo_json({k: found[k] for k in ("key", "title", "state", "summary", "signals", "record")})
        return
    w = Words(lang, reading.process)
    s, record = report.summary, report.record
    version = f"v{record.version}" + (
        f"/{record.latest}" if record.latest != record.version else ""
    )
    lines = [f"{report.key}: {report.title}", f"  {w.state(s.state)} ({version})"]
    if record.as_of is not None:
        when = w.date(record.as_of) if not isinstance(record.as_of, int) else f"v{record.as_of}"
        lines.append(f"  {w.t('as_of')} {when}")
    decision = report.decision
    if decision.stop_reason:
        ended = f" {w.date(decision.ended_on)}" if decision.ended_on else ""
        lines.append(f"  {w.t('stopped_because')}{ended}: {w.stopped(decision)}")
    if s.established_among:
        lines.append(f"  {w.t('established')}: {', '.join(s.established_among)}")
    else:
        lines.append(f"  {w.t('participants_now')}: {', '.join(s.participants) or w.t('none')}")
    if s.next_deadline is not None:
        deadline = f"{s.next_deadline.name}, {w.date(s.next_deadline.due)}"
        lines.append(f"  {w.t('next_deadline')}: {deadline}")
    lines += [f"  ! {signal.rule}: {getattr(signal, lang)}" for signal in report.signals]
    echo("\n".join(lines))


def _list(store: sg.Store, w: Words, as_json: bool) -> None:
    """Every investigation as its row says, marked where the row cannot be taken as it is.

    ``!``: the row does not say what its first event says (it was edited: run
    verify); ``?``: its process is not registered here, so nothing can replay it.
    """
    known = sg.registered_processes()
    rows = [
        attrs.asdict(summary) | {"process_known": summary.process in known}
        for summary in store.summaries(checked=True)
    ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        mark, note = " ", ""
        if not row["process_known"]:
            mark, note = "?", f"  ({w.t('process_unknown').format(process=row['process'])})"
        if not row["vouched"]:
            mark, note = "!", f"  ({w.t('row_edited')})"
        echo(
            f"{mark} {row['key']:<24} {w.state(row['state']):<12} v{row['version']:<5} "
            f"{row['updated_at'][:10]}  {row['title']}{note}"
        )


@cli.command()
@click.argument("db")
@click.argument("key")
@PROCESS
@AS_OF
@JSON
@LANG
def log(
    *, db: str, key: str, process: str | None, as_of: str | None, as_json: bool, lang: str
) -> None:
    """Print one investigation's record as a readable timeline (verified first)."""
    reading = load(db, key, process, as_of)
    if as_json:
        echo_json(timeline_data(reading, lang))
        return
    echo(timeline_text(reading, lang=lang), nl=False)


LIST_FIELDS = ("builds_on", "topics", "attendees", "municipalities", "contributors")
"""Command fields that take a list: ``--set topics=T1,T2``."""


@cli.command()
@click.argument("db")
@click.argument("key")
@click.argument("action")
@click.option(
    "--set",
    "fields",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A field of the command, e.g. --set municipality=Vik (repeatable).",
)
@PROCESS
@JSON
@LANG
def explain(
    *,
    db: str,
    key: str,
    action: str,
    fields: tuple[str, ...],
    process: str | None,
    as_json: bool,
    lang: str,
) -> None:
    """Explain whether ACTION is possible now, and every rule that blocks it (exit 3 if blocked)."""
    inv = load(db, key, process)
    assert isinstance(inv, sg.Investigation)
    given: dict[str, Any] = {}
    for field in fields:
        name, sep, value = field.partition("=")
        if not sep or not name:
            raise sg.InvalidValue(
                nn=f"--set tek FELT=VERDI; fekk {field!r}",
                en=f"--set takes FIELD=VALUE; got {field!r}",
            )
        given[name] = value.split(",") if name in LIST_FIELDS else value
    kind = sg.COMMANDS.get(action)
    for name in ("question", "summary", "text", "title"):
        if kind is not None and name in kind.__annotations__:
            given.setdefault(name, "?")  # a placeholder: what is asked is whether it may happen
    found = inv.explain(action, **given)
    if as_json:
        echo_json(
            {
                "action": action,
                "allowed": not found,
                "violations": [{"rule": v.rule, "nn": v.nn, "en": v.en} for v in found],
            }
        )
    elif not found:
        click.echo(Words(lang).t("allowed"))
    else:
        for violation in found:
            echo(f"{violation.rule}: {violation.message(lang)}")
    if found:
        sys.exit(3)


@cli.command()
@click.argument("db")
@click.argument("key")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Markdown for a case document, a self-contained HTML page, or JSON.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write to this new file (never over a record or any database).",
)
@FORCE
@click.option(
    "--date",
    "report_date",
    metavar="DATE",
    help="The report's date, which overdue milestones are judged on (default: today).",
)
@PROCESS
@AS_OF
@LANG
def report(
    *,
    db: str,
    key: str,
    fmt: str,
    output: str | None,
    force: bool,
    report_date: str | None,
    process: str | None,
    as_of: str | None,
    lang: str,
) -> None:
    """Write one investigation's report: Markdown, self-contained HTML, or JSON (verified first).

    With --as-of, the report a council had in front of it on that day.
    """
    if output:
        place(output, force=force, records=[db])  # refused before anything is read
    reading = load(db, key, process, as_of)
    day = None if report_date is None else f.a_day("--date", report_date)
    render: Callable[..., str] = {"md": markdown_report, "html": html_report}.get(fmt, _json)
    text = render(reading, lang=lang, today=day)
    if output:
        write_text(output, text, force=force, records=[db])
        click.echo(output)
    else:
        click.echo(text, nl=False)


def _json(reading: Reading, *, lang: str, today: Any) -> str:  # noqa: ARG001 - JSON has no language
    return json_report(reading, today=today)


@cli.command()
@click.argument("db")
@click.option(
    "--since",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="POSITION",
    help="The last position already handled: events after it are printed.",
)
@click.option(
    "--limit",
    default=1000,
    show_default=True,
    type=click.IntRange(min=1, max=100_000),
    help="At most this many events.",
)
@JSON
@LANG
def feed(db: str, since: int, limit: int, as_json: bool, lang: str) -> None:
    """Print the store's events after a position, in commit order: the feed host apps follow."""
    if since > LAST_POSITION:
        raise sg.InvalidValue(
            nn=f"--since må vere ein posisjon frå 0 til {LAST_POSITION}; fekk {since}",
            en=f"--since must be a position from 0 to {LAST_POSITION}; got {since}",
        )
    found = open_existing(db).events_since(since, limit=limit)
    if as_json:
        echo_json([_fed(item) for item in found])
        return
    w = Words(lang)
    for item in found:
        recorded = item.recorded
        echo(
            f"{item.position:>8}  {item.investigation:<24} {recorded.seq:>5}  "
            f"{w.date(recorded.event.on)}  {w.kind(item.kind)}"
        )


def _fed(item: sg.FeedEvent) -> dict[str, Any]:
    recorded = item.recorded
    fields = attrs.asdict(recorded.event, recurse=False)
    data = json.loads(json.dumps(fields, default=_plain))
    return {
        "position": item.position,
        "investigation": item.investigation,
        "seq": recorded.seq,
        "kind": item.kind,
        "on": recorded.event.on.isoformat(),
        "at": recorded.at.isoformat(),
        "actor": recorded.actor.id,
        "acting_for": recorded.actor.acting_for,
        "data": data,
        "hash": item.hash,
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if attrs.has(type(value)):
        return attrs.asdict(value)
    if hasattr(value, "value"):
        return value.value
    return str(value)


@cli.command()
@click.option(
    "--process",
    "process_name",
    default="trust-reform",
    show_default=True,
    metavar="NAME|module:factory",
    help="The process to draw (with --db: default the record's own).",
)
@click.argument("db_given", required=False, metavar="[DB KEY]")
@click.argument("key_given", required=False, metavar="")
@click.option("--db", help="A database, to mark an investigation's current state.")
@click.option("--key", help="The investigation whose state to mark (with --db).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "mermaid", "svg"]),
    default="text",
    show_default=True,
    help="A list of the states, mermaid source, or SVG (needs Graphviz).",
)
@JSON
@LANG
def diagram(
    *,
    process_name: str,
    db_given: str | None,
    key_given: str | None,
    db: str | None,
    key: str | None,
    fmt: str,
    as_json: bool,
    lang: str,
) -> None:
    """Draw a process's lifecycle: its states in order, mermaid source, or SVG through Graphviz.

    With DB KEY (or --db and --key) the investigation's current state is marked.
    """
    db, key = db or db_given, key or key_given
    given = click.get_current_context().get_parameter_source("process_name")
    chosen = process_name if given is click.core.ParameterSource.COMMANDLINE else None
    if db and key:
        reading = load(db, key, chosen)
        process, current = reading.process, reading.lifecycle
    elif db or key:
        raise sg.InvalidValue(
            nn="gje både --db og --key for å merke ei utgreiing",
            en="give both --db and --key to mark an investigation",
        )
    else:
        process, current = given_process(process_name), None
    lifecycle = sg.Engine(process).lifecycle
    w = Words(lang, process)
    if as_json:
        echo_json(
            {
                "process": process.name,
                "states": list(lifecycle.states),
                "moves": [{"move": t, "from": list(s), "to": d} for t, s, d in lifecycle.moves],
                "current": current,
            }
        )
        return
    if fmt == "text":
        for number, state in enumerate(lifecycle.states, 1):
            here = f"  ← {w.t('here')}" if state == current else ""
            echo(f"{number}. {w.state(state)}{here}")
        return
    engine: Literal["mermaid", "graphviz"] = "graphviz" if fmt == "svg" else "mermaid"
    shown = draw(
        lifecycle, current, engine=engine, title=key or process.name, lang=lang, words=w.said
    )
    click.echo(shown)


@cli.command(name="processes")
@JSON
@LANG
def list_processes(as_json: bool, lang: str) -> None:
    """List the processes registered in the stepgate.processes entry-point group."""
    found = sg.registered_processes()
    if as_json:
        echo_json(found)
        return
    echo(f"{Words(lang).t('processes')}:")
    for name, where in found.items():
        echo(f"  {name:<24} {where}")


@cli.command()
@click.argument("db")
@click.argument("key")
@click.argument("sha256")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    required=True,
    help="Write the document to this new file (never over a record or any database).",
)
@FORCE
@PROCESS
@LANG
def document(
    *, db: str, key: str, sha256: str, output: str, force: bool, process: str | None, lang: str
) -> None:
    """Write one document of an investigation's case file to FILE, its checksum checked.

    SHA256 is the document's checksum as the report lists it (or its first 12 or
    more hex digits, when they name one document). The investigation is verified
    first; the bytes are checked against the checksum as they are written, and a
    document whose stored bytes were changed leaves no file behind.
    """
    place(output, force=force, records=[db])  # refused before anything is read
    reading = load(db, key, process)
    found = _the_document(reading, sha256)
    store = open_existing(db)
    with store.open_document(found.sha256) as stream:
        write_bytes(output, iter(lambda: stream.read(1 << 20), b""), force=force, records=[db])
    w = Words(lang)
    click.echo(f"{output}: {found.title} ({found.filename}, {found.size} {w.t('bytes')})")


def _the_document(reading: Reading, given: str) -> sg.FiledDocument:
    wanted = given.strip().lower()
    if len(wanted) < 12 or any(c not in "0123456789abcdef" for c in wanted):
        raise sg.InvalidValue(
            nn=f"SHA256 er sjekksummen til eit dokument (64 heksadesimale siffer, eller dei "
            f"første 12 eller fleire); fekk {given!r}",
            en=f"SHA256 is a document's checksum (64 hex digits, or its first 12 or more); got "
            f"{given!r}",
        )
    found = {p.document.sha256: p.document for p in reading.documents()}
    matches = [d for sha, d in found.items() if sha.startswith(wanted)]
    if len(matches) != 1:
        how = "no" if not matches else "more than one"
        korleis = "ikkje noko" if not matches else "meir enn eitt"
        raise sg.UnknownInvestigation(
            nn=f"{reading.key!r} har {korleis} dokument med sjekksum {wanted}…",
            en=f"{reading.key!r} has {how} document with checksum {wanted}…",
        )
    return matches[0]
