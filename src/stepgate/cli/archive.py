"""Into the archive: ``stepgate archive`` writes a Noark 5 extraction, ``stepgate journal``
prints the public journal of a period; both from the verified record."""

from __future__ import annotations

import datetime as dt
import io

import click

import stepgate as sg
from stepgate.cli.app import (
    FORCE,
    JSON,
    LANG,
    PROCESSES,
    cli,
    echo,
    echo_json,
    open_existing,
    processes,
)
from stepgate.cli.files import write_text
from stepgate.cli.progress import meter
from stepgate.model import fields as f
from stepgate.report.noark import journal as journals
from stepgate.report.noark.journal import Journal
from stepgate.report.words import Words

FROM = click.option("--from", "start", metavar="DATE", help="The first day of the period.")
TO = click.option("--to", "end", metavar="DATE", help="The last day of the period.")


@cli.command()
@click.argument("db")
@click.argument("outdir")
@click.option("--key", "keys", multiple=True, help="An investigation to archive (repeatable).")
@FROM
@TO
@click.option("--creator-id", required=True, help="The archive creator's id (arkivskaperID).")
@click.option("--creator", required=True, help="The archive creator's name (arkivskaperNavn).")
@click.option("--archive", "title", required=True, help="The archive's title (arkiv).")
@click.option("--series", required=True, help="The series the cases go into (arkivdel).")
@click.option("--class-system", help="The classification system (klassifikasjonssystem).")
@click.option("--class-id", help="The class the cases are filed under (klasseID), e.g. 026.")
@click.option("--class-title", help="That class's title.")
@click.option("--unit", default="Sekretariatet", show_default=True, help="administrativEnhet.")
@click.option("--officer", default="", help="saksansvarlig (default: who created each case).")
@PROCESSES
@JSON
@LANG
def archive(
    *,
    db: str,
    outdir: str,
    keys: tuple[str, ...],
    start: str | None,
    end: str | None,
    creator_id: str,
    creator: str,
    title: str,
    series: str,
    class_system: str | None,
    class_id: str | None,
    class_title: str | None,
    unit: str,
    officer: str,
    process_names: tuple[str, ...],
    as_json: bool,
    lang: str,
) -> None:
    """Write a Noark 5 extraction of closed investigations into the new folder OUTDIR.

    The investigations given with --key, else those concluded or stopped in
    --from/--to, else every closed one. The record is verified first; nothing is
    written unless all of it can be (docs/archive.md says what becomes what).
    """
    classification = None
    if class_system or class_id or class_title:
        classification = sg.Classification(class_system or "", class_id or "", class_title or "")
    names = sg.Archive(
        creator_id=creator_id,
        creator=creator,
        title=title,
        series=series,
        unit=unit,
        officer=officer,
        classification=classification,
    )
    period = (
        None if start is None else f.a_day("--from", start),
        None if end is None else f.a_day("--to", end),
    )
    store = open_existing(db)
    with meter(lang) as progress:
        done = sg.extract(
            store,
            outdir,
            names,
            keys=keys,
            start=period[0],
            end=period[1],
            processes=processes(process_names),
            progress=progress,
        )
    if as_json:
        echo_json(
            {
                "folder": outdir,
                "cases": done.cases,
                "registrations": done.registrations,
                "documents": done.documents,
                "changes": done.changes,
                "start": done.start.isoformat(),
                "end": done.end.isoformat(),
                "checkpoint": done.checkpoint,
                "heads": done.heads,
            }
        )
        return
    w = Words(lang)
    echo(
        w.t("extracted").format(
            folder=outdir,
            cases=w.count(done.cases),
            registrations=w.count(done.registrations),
            documents=w.count(done.documents),
            changes=w.count(done.changes),
            start=done.start.isoformat(),
            end=done.end.isoformat(),
        )
    )
    echo(f"{w.t('checkpoint')} {done.checkpoint}")
    for key, head in sorted(done.heads.items()):
        echo(f"{w.t('head_of').format(key=key)} {head}")
    echo(w.t("archivist_next").format(checkpoint=done.checkpoint))


@cli.command()
@click.argument("db")
@click.option("--from", "start", metavar="DATE", required=True, help="The first day.")
@click.option("--to", "end", metavar="DATE", required=True, help="The last day.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "xml", "json"]),
    default="md",
    show_default=True,
    help="Markdown table, offentligJournal.xml, or JSON for a web page.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to this new file.")
@FORCE
@click.option("--creator-id", default="", help="arkivskaperID (for --format xml).")
@click.option("--creator", default="", help="arkivskaperNavn (for --format xml).")
@PROCESSES
@LANG
def journal(
    *,
    db: str,
    start: str,
    end: str,
    fmt: str,
    output: str | None,
    force: bool,
    creator_id: str,
    creator: str,
    process_names: tuple[str, ...],
    lang: str,
) -> None:
    """Print the public journal of DB for a period: public titles only (verified first).

    Each registration of the period (by the day it was registered), with its
    case, its public title and, when it is screened, its legal ground.
    """
    first, last = f.a_day("--from", start), f.a_day("--to", end)
    if fmt == "xml" and not (creator_id and creator):
        raise sg.InvalidValue(
            nn="--format xml treng --creator-id og --creator (journalen nemner arkivskaparen)",
            en="--format xml needs --creator-id and --creator (the journal names its archive "
            "creator)",
        )
    store = open_existing(db)
    entries = sg.public_journal(store, first, last, processes=processes(process_names))
    if fmt == "md":
        text = journals.markdown(entries, lang)
    elif fmt == "json":
        text = journals.data(entries)
    else:
        text = _xml(entries, creator_id, creator, first, last)
    if output:
        write_text(output, text, force=force, records=[db])
        click.echo(output)
    else:
        click.echo(text, nl=False)


def _xml(
    entries: list[journals.Entry], creator_id: str, creator: str, first: dt.date, last: dt.date
) -> str:
    """offentligJournal.xml of the entries (an empty period is refused: the schema wants one)."""
    if not entries:
        raise sg.InvalidValue(
            nn=f"ingen journalpost frå {first} til {last}; ein offentligJournal.xml har minst éin",
            en=f"no registration from {first} to {last}; an offentligJournal.xml holds at least "
            "one",
        )
    names = sg.Archive(creator_id=creator_id, creator=creator, title="-", series="-")
    written = Journal("offentligJournal", names, io.BytesIO())
    for entry in entries:
        written.add(entry)
    out = io.BytesIO()
    written.finish(out, first, last)
    return out.getvalue().decode("utf-8")
