"""The ``stepgate`` command line: run the demo; read, explain, verify and report any record.

Every command that reads a record opens it read-only (it never creates or
changes a file, and works on a copy in a read-only folder), finds the process
the record names (registered in the ``stepgate.processes`` entry-point group,
or given with ``--process NAME|module:factory``), rebuilds the investigation
from its first event with everything checked, and only then prints. Every
command speaks ``--lang nn|en`` (Nynorsk by default, or ``STEPGATE_LANG``) and
prints JSON with ``--json`` where it prints data. Every error is one line on
stderr, in the chosen language, and a non-zero exit code; never a traceback.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
from collections.abc import Callable, Sequence
from typing import Any, Literal

import attrs
import click

import stepgate as sg
from stepgate import sogn
from stepgate.api.reading import Reading, as_of_value
from stepgate.engine.machine import diagram as draw
from stepgate.model import fields as f
from stepgate.report import model
from stepgate.report.render import html_report, json_report, markdown_report
from stepgate.report.safe import printable
from stepgate.report.timeline import timeline_data, timeline_text
from stepgate.report.words import Words
from stepgate.store.locations import is_url, shown

DEMO_DB = "stepgate-demo.db"
LANG_KEY = "stepgate.lang"


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta[LANG_KEY] = value
    return value


LANG = click.option(
    "--lang",
    type=click.Choice(["nn", "en"]),
    default="nn",
    show_default=True,
    envvar="STEPGATE_LANG",
    callback=_remember_lang,
    is_eager=True,
    help="Language of everything printed (or STEPGATE_LANG).",
)
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
PROCESS = click.option(
    "--process",
    metavar="NAME|module:factory",
    help="The process to read the record with (default: the one the record names).",
)
PROCESSES = click.option(
    "--process",
    "process_names",
    multiple=True,
    metavar="NAME|module:factory",
    help="A process to replay with, besides the registered ones (repeatable).",
)
AS_OF = click.option(
    "--as-of",
    metavar="DATE|vN",
    help="Show the record as it stood on a business date (2024-03-12) or at a version (v57).",
)


class _Group(click.Group):
    """Turns stepgate's own errors into one line in the chosen language, and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sg.StepgateError as error:
            lang = ctx.meta.get(LANG_KEY, "nn")
            raise click.ClickException(one_line(error.message(lang), error)) from None
        except OSError as error:
            raise click.ClickException(one_line(str(error), error)) from None


def one_line(message: str, error: BaseException) -> str:
    """An error as one printable line, led by its type."""
    first = message.splitlines()[0] if message else ""
    return printable(f"{type(error).__name__}: {first}" if first else type(error).__name__)


def echo(text: str, **kw: Any) -> None:
    """Print ``text`` with control characters shown, never obeyed by the terminal."""
    click.echo("\n".join(printable(line) for line in text.split("\n")), **kw)


def echo_json(value: Any) -> None:
    """Print ``value`` as JSON."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def open_existing(db: str) -> sg.Store:
    """Open a store that must exist already, read-only: reading never creates or changes.

    ``db`` is an SQLite file or a ``postgresql://`` URL (credentials from the URL
    or the ``PG*`` variables; never printed).
    """
    if not is_url(db) and not pathlib.Path(db).is_file():
        raise sg.StorageUnavailable(
            f"no database at {db!r}; run 'stepgate demo' to make one",
            nn=f"ingen database på {db!r}; køyr «stepgate demo» for å lage ein",
        )
    return sg.open_store(db, read_only=True)


def load(db: str, key: str, process: str | None, as_of: str | None = None) -> Reading:
    """The investigation ``key`` (as of a date or version), rebuilt from its first event, verified.

    Everything is checked on the way; a broken record stops here with one line
    naming the break.
    """
    store = open_existing(db)
    chosen = sg.find_process(process) if process else None
    inv = store.load(key, chosen, verified=True)
    return inv if as_of is None else inv.as_of(as_of_value(as_of))


def processes(names: Sequence[str]) -> list[sg.Process]:
    """The processes named on the command line."""
    return [sg.find_process(name) for name in names]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sg.__version__, prog_name="stepgate")
def cli() -> None:
    """stepgate: stepwise investigations as an explainable state machine.

    insight -> next step -> political anchoring gate, with a tamper-evident
    record in SQLite. Start with 'stepgate demo'.
    """


@cli.command()
@click.option("--db", default=DEMO_DB, show_default=True, help="The SQLite file to write.")
@JSON
@LANG
def demo(db: str, as_json: bool, lang: str) -> None:
    """Run the Sogn child-welfare investigation of 2024 into a SQLite file, print its timeline."""
    _make_room_for_the_demo(db)
    with sg.open_store(db, clock=sg.FixedClock()) as store:
        story = sogn.run(store)
        inv = story.inv
        check = store.verify()
        w = Words(lang, inv.process)
        names = [inv.state.name_of(n) for n in inv.state.established_among]
        if as_json:
            echo_json(
                {
                    "db": shown(db),
                    "key": inv.key,
                    "state": inv.lifecycle,
                    "established_among": names,
                    "events": check.events,
                    "verified": check.ok,
                    "head_hash": inv.head_hash,
                    "checkpoint": str(check.checkpoint),
                }
            )
            return
        echo(timeline_text(inv, lang=lang, refusals=story.refusals))
        head = inv.head_hash[:16] + "…"
        echo(
            w.t("demo_sentence").format(names=_listed(names, lang), events=check.events, head=head)
        )
        echo(w.t("try_next").format(db=shown(db), key=inv.key))


def _make_room_for_the_demo(db: str) -> None:
    """Remove an earlier demo's file; refuse to touch anything else (or any PostgreSQL record)."""
    if is_url(db):
        with sg.open_store(db) as store:
            if store.keys():
                raise sg.StoreError(
                    f"{shown(db)} holds a record already, and records are insert-only; "
                    "run the demo in a new schema or database",
                    nn=f"{shown(db)} har alt ein journal, og journalar kan berre veksa; "
                    "køyr demoen i eit nytt skjema eller ein ny database",
                )
        return
    path = pathlib.Path(db)
    if not path.exists():
        return
    with sg.open_store(path, read_only=True) as old:
        if old.keys() != [sogn.KEY]:
            raise sg.StoreError(
                f"{db!r} holds other investigations; choose --db",
                nn=f"{db!r} har andre utgreiingar; vel --db",
            )
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)


def _listed(names: Sequence[str], lang: str) -> str:
    """Names as a sentence lists them: "A, B og C" / "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {'and' if lang == 'en' else 'og'} {names[-1]}"


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
                "--as-of and --process read one investigation: give its KEY",
                nn="--as-of og --process les éi utgreiing: gje nøkkelen hennar (KEY)",
            )
        rows = [attrs.asdict(summary) for summary in open_existing(db).summaries()]
        if as_json:
            echo_json(rows)
            return
        for row in rows:
            echo(
                f"{row['key']:<24} {w.state(row['state']):<12} v{row['version']:<5} "
                f"{row['updated_at'][:10]}  {row['title']}"
            )
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
    if s.established_among:
        lines.append(f"  {w.t('established')}: {', '.join(s.established_among)}")
    else:
        lines.append(f"  {w.t('participants_now')}: {', '.join(s.participants) or w.t('none')}")
    if s.next_deadline is not None:
        deadline = f"{s.next_deadline.name}, {w.date(s.next_deadline.due)}"
        lines.append(f"  {w.t('next_deadline')}: {deadline}")
    lines += [f"  ! {signal.rule}: {getattr(signal, lang)}" for signal in report.signals]
    echo("\n".join(lines))


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
                f"--set takes FIELD=VALUE; got {field!r}",
                nn=f"--set tek FELT=VERDI; fekk {field!r}",
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
@click.option(
    "--against",
    metavar="CHECKPOINT",
    help="A checkpoint printed earlier (stepgate:<position>:<hash>): the record must extend it.",
)
@PROCESSES
@JSON
@LANG
def verify(
    db: str, against: str | None, process_names: tuple[str, ...], as_json: bool, lang: str
) -> None:
    """Verify DB without changing it; exit 0 only when the whole record is intact.

    Every investigation is replayed from its first event: hash chains, each
    event's place, snapshots, rows, the store-wide ledger and the schema's
    insert-only triggers and views are checked.
    """
    store = open_existing(db)
    check = store.verify(against=against, processes=processes(process_names))
    if as_json:
        echo_json(_verification(check, lang))
    else:
        _print_verification(check, against, Words(lang))
    if not check.ok:
        sys.exit(1)


def _verification(check: sg.Verification, lang: str) -> dict[str, Any]:
    return {
        "ok": check.ok,
        "events": check.events,
        "heads": check.heads,
        "breaks": [attrs.asdict(b) | {"message": b.message(lang)} for b in check.breaks],
        "unreplayed": list(check.unreplayed),
        "checkpoint": None if check.checkpoint is None else str(check.checkpoint),
    }


def _print_verification(check: sg.Verification, against: str | None, w: Words) -> None:
    broken = {b.investigation: b for b in check.breaks if b.investigation}
    width = max(len(w.t(k)) for k in ("ok", "broken", "note")) + 1
    ok, bad, note = (f"{w.t(k):<{width}}" for k in ("ok", "broken", "note"))
    for key, head in sorted(check.heads.items()):
        if key in broken:
            echo(f"{bad}{broken[key].message(w.lang)}")
        else:
            echo(f"{ok}{key}: {w.t('head').split(' (')[0].lower()} {head}")
    for found in check.breaks:
        if not found.investigation:
            echo(f"{bad}{found.message(w.lang)}")
    for key in check.unreplayed:
        echo(f"{note}{key}: {w.t('unreplayed')}")
    count = len(check.heads)
    noun = w.t("investigation" if count == 1 else "investigations")
    echo(w.t("events_in").format(events=check.events, count=count, noun=noun))
    if check.checkpoint is not None and check.ok:
        echo(f"{w.t('checkpoint')} {check.checkpoint}")
    if against is not None and check.ok:
        echo(w.t("extends").format(checkpoint=sg.Checkpoint.parse(against)))


@cli.command()
@click.argument("db")
@PROCESSES
@JSON
@LANG
def checkpoint(db: str, process_names: tuple[str, ...], as_json: bool, lang: str) -> None:
    """Print the store's checkpoint for the minutes of a meeting (verified first).

    Later, 'stepgate verify DB --against CHECKPOINT' proves the record still
    extends it, even against someone who rewrote the file and every hash.
    """
    check = open_existing(db).verify(processes=processes(process_names))
    if not check.ok or check.checkpoint is None:
        found = check.breaks[0].message(lang) if check.breaks else "–"
        raise sg.RecordBroken(
            f"the record does not verify: {found}", nn=f"journalen stemmer ikkje: {found}"
        )
    if as_json:
        echo_json({"checkpoint": str(check.checkpoint), "events": check.events})
    else:
        click.echo(str(check.checkpoint))


@cli.command()
@click.argument("db")
@click.argument("copy", type=click.Path(dir_okay=False))
@PROCESSES
@JSON
@LANG
def backup(db: str, copy: str, process_names: tuple[str, ...], as_json: bool, lang: str) -> None:
    """Copy DB into a new file COPY (SQLite's online backup, WAL included), then verify the copy."""
    if pathlib.Path(copy).exists():
        raise sg.StorageUnavailable(
            f"{copy!r} exists already; a backup goes into a new file",
            nn=f"{copy!r} finst alt; ein tryggingskopi går til ei ny fil",
        )
    check = open_existing(db).backup(copy, processes=processes(process_names))
    if as_json:
        echo_json(_verification(check, lang) | {"copy": copy})
    else:
        w = Words(lang)
        for found in check.breaks:
            echo(f"{w.t('broken')} {found.message(lang)}")
        if check.ok:
            done = w.t("backup_done")
            echo(done.format(copy=copy, events=check.events, checkpoint=check.checkpoint))
    if not check.ok:
        sys.exit(1)


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
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
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
    report_date: str | None,
    process: str | None,
    as_of: str | None,
    lang: str,
) -> None:
    """Write one investigation's report: Markdown, self-contained HTML, or JSON (verified first).

    With --as-of, the report a council had in front of it on that day.
    """
    reading = load(db, key, process, as_of)
    day = None if report_date is None else f.a_day("date", report_date)
    render: Callable[..., str] = {"md": markdown_report, "html": html_report}.get(fmt, _json)
    text = render(reading, lang=lang, today=day)
    if output:
        pathlib.Path(output).write_text(text, encoding="utf-8")
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


@cli.command(name="copy")
@click.argument("source")
@click.argument("target")
@PROCESSES
@JSON
@LANG
def copy_record(
    source: str, target: str, process_names: tuple[str, ...], as_json: bool, lang: str
) -> None:
    """Copy every investigation from SOURCE into a new store TARGET (file or URL), verified.

    The rows move as they are: the copy's heads and checkpoint are the
    source's, which is checked before anything is said to be done.
    """
    store = open_existing(source)
    check = store.copy_to(target, processes=processes(process_names))
    if as_json:
        echo_json(_verification(check, lang) | {"source": shown(source), "target": shown(target)})
        return
    w = Words(lang)
    echo(
        w.t("copied").format(events=check.events, target=shown(target), checkpoint=check.checkpoint)
    )


@cli.command()
@click.option(
    "--process",
    "process_name",
    default="trust-reform",
    show_default=True,
    metavar="NAME|module:factory",
    help="The process to draw (with --db: default the record's own).",
)
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
    *, process_name: str, db: str | None, key: str | None, fmt: str, as_json: bool, lang: str
) -> None:
    """Draw a process's lifecycle: its states in order, mermaid source, or SVG through Graphviz."""
    given = click.get_current_context().get_parameter_source("process_name")
    chosen = process_name if given is click.core.ParameterSource.COMMANDLINE else None
    if db and key:
        reading = load(db, key, chosen)
        process, current = reading.process, reading.lifecycle
    elif db or key:
        raise sg.InvalidValue(
            "give both --db and --key to mark an investigation",
            nn="gje både --db og --key for å merke ei utgreiing",
        )
    else:
        process, current = sg.find_process(process_name), None
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
    try:
        click.echo(draw(lifecycle, current, engine=engine, title=key or process.name, lang=lang))
    except RuntimeError as error:
        raise sg.StorageUnavailable(
            str(error), nn=f"Graphviz kunne ikkje teikne: {error}"
        ) from None


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


def _lang_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line (for errors met before a command runs)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return os.environ.get("STEPGATE_LANG", "nn")


def main(argv: Sequence[str] | None = None) -> None:
    """The ``stepgate`` script: run the command line, every error one line on stderr."""
    args = list(sys.argv[1:] if argv is None else argv)
    error_word = "Error" if _lang_of(args) == "en" else "Feil"
    try:
        code = cli.main(args=args, prog_name="stepgate", standalone_mode=False)
    except click.UsageError as error:
        hint = f" ({error.ctx.command_path} -h)" if error.ctx is not None else ""
        click.echo(f"{error_word}: {printable(error.format_message())}{hint}", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        click.echo(f"{error_word}: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.Abort:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
