"""The ``stepgate`` command line: run the demo, read, explain, verify and report.

Every error is one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys
from collections.abc import Callable
from typing import Any, Literal

import attrs
import click

import stepgate as sg
from stepgate.engine.machine import diagram as draw
from stepgate.model.text import label
from stepgate.report.data import report_data
from stepgate.report.html import html_report
from stepgate.report.safe import printable
from stepgate.report.text import markdown_report, timeline_text

DEMO_DB = "stepgate-demo.db"
EXAMPLE_PROCESSES = {
    "sogn-2024": ("sogn_barnevern", "sogn_process"),
    "sogn-nav-2024": ("sogn_nav", "nav_process"),
    "kommune-utgreiing": ("kommune_utgreiing", "kommune_process"),
    "ipr-fleirtal": ("ipr_fleirtal", "majority_process"),
    "nav-partnarskap": ("nav_partnarskap", "nav_process"),
}
LANG = click.option(
    "--lang",
    type=click.Choice(["nn", "en"]),
    default="nn",
    show_default=True,
    help="Language of the text shown.",
)


class _Group(click.Group):
    """Turns stepgate's own errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (sg.StepgateError, OSError) as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise click.ClickException(printable(f"{type(error).__name__}: {message}")) from None


def examples_dir() -> pathlib.Path:
    """Where the example scripts are: inside the installed package, or in the source tree."""
    here = pathlib.Path(__file__).resolve().parent
    for candidate in (here / "examples", here.parents[1] / "examples"):
        if (candidate / "sogn_barnevern.py").exists():
            return candidate
    raise click.ClickException("the examples are not installed with this copy of stepgate")


def example(module: str) -> Any:
    """Import one of the example scripts as a module."""
    folder = str(examples_dir())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(module)


def resolve_process(name: str) -> sg.Process:
    """A process by name (trust-reform, an example's) or as ``module:function``."""
    if name == "trust-reform":
        return sg.trust_reform()
    if name in EXAMPLE_PROCESSES:
        module, function = EXAMPLE_PROCESSES[name]
        factory: Callable[[], sg.Process] = getattr(example(module), function)
        return factory()
    if ":" in name:
        module, _, function = name.partition(":")
        if module.endswith(".py"):
            path = pathlib.Path(module).resolve()
            sys.path.insert(0, str(path.parent))
            module = path.stem
        made = getattr(importlib.import_module(module), function)
        return made() if callable(made) else made  # type: ignore[no-any-return]
    known = ", ".join(["trust-reform", *EXAMPLE_PROCESSES])
    raise click.ClickException(
        f"unknown process {name!r}; known: {known}, or give --process module:function"
    )


def open_existing(db: str) -> sg.Store:
    """Open a database that must exist already, read-only: reading never creates or changes."""
    if not pathlib.Path(db).is_file():
        raise click.ClickException(f"no database at {db!r}; run 'stepgate demo' to make one")
    return sg.open_store(db, read_only=True)


def load(store: sg.Store, key: str, process: str | None) -> sg.Investigation:
    """The investigation ``key``, run by its own process (or the one named), verified.

    It is rebuilt from its first event with everything checked on the way; a
    broken record stops here with one line naming the break.
    """
    name = process or store.summary(key).process
    return store.load(key, resolve_process(name), verified=True)


def known_processes(store: sg.Store) -> list[sg.Process]:
    """The processes of the store's investigations that this command line can find."""
    found = []
    for name in sorted({summary.process for summary in store.summaries()}):
        try:
            found.append(resolve_process(name))
        except (click.ClickException, ImportError, AttributeError, sg.StepgateError):
            continue
    return found


def echo(text: str, **kw: Any) -> None:
    """Print ``text`` with control characters shown, never obeyed by the terminal."""
    click.echo("\n".join(printable(line) for line in text.split("\n")), **kw)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sg.__version__, prog_name="stepgate")
def main() -> None:
    """stepgate: stepwise investigations as an explainable state machine.

    insight -> next step -> political anchoring gate, with a tamper-evident
    record in SQLite. Start with 'stepgate demo'.
    """


@main.command()
@click.option("--db", default=DEMO_DB, show_default=True, help="The SQLite file to write.")
@LANG
def demo(db: str, lang: str) -> None:
    """Run the Sogn child-welfare investigation of 2024 into a SQLite file, print its timeline."""
    path = pathlib.Path(db)
    if path.exists():
        with sg.open_store(path) as old:
            if old.keys() != ["barnevern-2024"]:
                raise click.ClickException(f"{db!r} holds other investigations; choose --db")
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    story_module = example("sogn_barnevern")
    with sg.open_store(path, clock=sg.FixedClock()) as store:
        story = story_module.run(store)
        inv = story.inv
        click.echo(timeline_text(inv, lang=lang, refusals=story.refusals))
        names = ", ".join(inv.state.name_of(n) for n in inv.state.established_among)
        check = store.verify()
        click.echo(f"{label('report.established', lang)}: {names}")
        click.echo(
            f"{label('report.chain_holds', lang)}: {check.ok} ({check.events} events); "
            f"head {inv.head_hash[:16]}…"
        )
        click.echo(
            f"\n{db}: try 'stepgate report {db} barnevern-2024 --format html -o "
            "rapport.html' or 'stepgate verify {db}'".replace("{db}", db)
        )


@main.command()
@click.argument("db")
@click.argument("key", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@LANG
def status(db: str, key: str | None, as_json: bool, lang: str) -> None:
    """Show every investigation in DB, or one investigation's status."""
    store = open_existing(db)
    if key is None:
        rows = [attrs.asdict(summary) for summary in store.summaries()]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            echo(
                f"{row['key']:<24} {row['state']:<10} v{row['version']:<5} "
                f"{row['updated_at'][:10]}  {row['title']}"
            )
        return
    data = report_data(load(store, key, None))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    state = data["state"][lang]
    parts = ", ".join(p["name"] for p in data["participants"] if p["status"] == "participant")
    echo(f"{data['key']}: {data['title']}\n  {state} (v{data['version']})\n  {parts}")
    for signal in data["signals"]:
        echo(f"  ! {signal['rule']}: {signal[lang]}")


@main.command()
@click.argument("db")
@click.argument("key")
@LANG
def log(db: str, key: str, lang: str) -> None:
    """Print one investigation's record as a readable timeline (verified first)."""
    echo(timeline_text(load(open_existing(db), key, None), lang=lang), nl=False)


@main.command()
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
@click.option("--process", help="The process to explain with (default: the stored one).")
@LANG
def explain(
    *, db: str, key: str, action: str, fields: tuple[str, ...], process: str | None, lang: str
) -> None:
    """Explain whether ACTION is possible now, and every rule that blocks it."""
    inv = load(open_existing(db), key, process)
    given: dict[str, Any] = {}
    for field in fields:
        name, _, value = field.partition("=")
        given[name] = value.split(",") if name in ("builds_on", "topics", "attendees") else value
    defaults = {"question": "?", "summary": "?", "text": "?", "title": "?"}
    kind = sg.COMMANDS.get(action)
    for name, value in defaults.items():
        if kind is not None and name in kind.__annotations__:
            given.setdefault(name, value)
    found = inv.explain(action, **given)
    if not found:
        click.echo("tillate" if lang == "nn" else "allowed")
        return
    for violation in found:
        echo(f"{violation.rule}: {violation.message(lang)}")
    sys.exit(3)


@main.command()
@click.argument("db")
@click.option(
    "--against",
    metavar="CHECKPOINT",
    help="A checkpoint printed earlier (stepgate:<position>:<hash>): the record must extend it.",
)
def verify(db: str, against: str | None) -> None:
    """Verify DB without changing it; exit 0 only when the whole record is intact.

    Every investigation is replayed from its first event: hash chains, each
    event's place, snapshots, rows, the store-wide ledger and the schema's
    insert-only triggers and views are checked.
    """
    store = open_existing(db)
    check = store.verify(against=against, processes=known_processes(store))
    broken = {b.investigation: b for b in check.breaks if b.investigation}
    for key, head in sorted(check.heads.items()):
        if key in broken:
            echo(f"BROKEN {broken[key]}")
        else:
            echo(f"ok     {key}: head {head}")
    for found in check.breaks:
        if not found.investigation:
            echo(f"BROKEN {found}")
    for key in check.unreplayed:
        echo(f"note   {key}: its process is unknown here; chain and ledger checked, not replayed")
    count = len(check.heads)
    click.echo(f"{check.events} events in {count} investigation{'' if count == 1 else 's'}")
    if check.checkpoint is not None and check.ok:
        click.echo(f"checkpoint {check.checkpoint}")
    if against is not None and check.ok:
        click.echo(f"the record extends {sg.Checkpoint.parse(against)}")
    if not check.ok:
        sys.exit(1)


@main.command()
@click.argument("db")
def checkpoint(db: str) -> None:
    """Print the store's checkpoint for the minutes of a meeting (verified first).

    Later, 'stepgate verify DB --against CHECKPOINT' proves the record still
    extends it, even against someone who rewrote the file and every hash.
    """
    store = open_existing(db)
    check = store.verify(processes=known_processes(store))
    if not check.ok or check.checkpoint is None:
        raise click.ClickException(f"the record does not verify: {check.breaks[0]}")
    click.echo(str(check.checkpoint))


@main.command()
@click.argument("db")
@click.argument("copy", type=click.Path(dir_okay=False))
def backup(db: str, copy: str) -> None:
    """Copy DB into a new file COPY (SQLite's online backup, WAL included), then verify the copy."""
    store = open_existing(db)
    check = store.backup(copy)
    for found in check.breaks:
        echo(f"BROKEN {found}")
    if not check.ok:
        sys.exit(1)
    click.echo(f"{copy}: {check.events} events, verified; checkpoint {check.checkpoint}")


@main.command()
@click.argument("db")
@click.argument("key")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Markdown for a case document, HTML, or JSON.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@LANG
def report(db: str, key: str, fmt: str, output: str | None, lang: str) -> None:
    """Write one investigation's report: Markdown, self-contained HTML, or JSON (verified first)."""
    inv = load(open_existing(db), key, None)
    if fmt == "md":
        text = markdown_report(inv, lang=lang)
    elif fmt == "html":
        text = html_report(inv, lang=lang)
    else:
        text = json.dumps(report_data(inv), ensure_ascii=False, indent=2) + "\n"
    if output:
        pathlib.Path(output).write_text(text, encoding="utf-8")
        click.echo(output)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option(
    "--process",
    "process_name",
    default="trust-reform",
    show_default=True,
    help="The process to draw.",
)
@click.option("--db", help="A database, to highlight an investigation's current state.")
@click.option("--key", help="The investigation whose state to highlight (with --db).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "svg"]),
    default="mermaid",
    show_default=True,
    help="mermaid source, or SVG (needs Graphviz).",
)
@LANG
def diagram(process_name: str, db: str | None, key: str | None, fmt: str, lang: str) -> None:
    """Draw a process's lifecycle as a state diagram (mermaid, or SVG through Graphviz)."""
    engine: Literal["mermaid", "graphviz"] = "graphviz" if fmt == "svg" else "mermaid"
    try:
        if db and key:
            click.echo(load(open_existing(db), key, None).diagram(engine=engine, lang=lang))
        elif db or key:
            raise click.ClickException("give both --db and --key to highlight an investigation")
        else:
            process = resolve_process(process_name)
            lifecycle = sg.Engine(process).lifecycle
            click.echo(draw(lifecycle, engine=engine, title=process.name, lang=lang))
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
