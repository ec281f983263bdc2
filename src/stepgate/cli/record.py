"""Commands on the whole record: verify, checkpoint, backup and copy."""

from __future__ import annotations

import sys
from typing import Any

import click

import stepgate as sg
from stepgate.cli.app import (
    JSON,
    LANG,
    PROCESSES,
    cli,
    echo,
    echo_json,
    open_existing,
    processes,
)
from stepgate.cli.files import place
from stepgate.cli.progress import meter
from stepgate.report.words import Words
from stepgate.store.locations import is_url, shown
from stepgate.store.workers import cores

INCOMPLETE = 4
"""``verify``'s exit code when nothing checked is broken but some investigation could not be
replayed (its process is unknown here): the verification is not whole."""

CHAIN_ONLY = click.option(
    "--chain-only",
    is_flag=True,
    help="Check chains, places, rows, snapshots' bindings, the ledger and the schema, "
    "but replay no investigation (when a process is not at hand).",
)


def exit_code(check: sg.Verification) -> int:
    """0 when the whole record was checked and holds, 1 when anything is broken, else 4."""
    if check.breaks:
        return 1
    return INCOMPLETE if check.unreplayed else 0


@cli.command()
@click.argument("db")
@click.option(
    "--against",
    metavar="CHECKPOINT",
    help="A checkpoint printed earlier (stepgate:<position>:<hash>): the record must extend it.",
)
@click.option(
    "--since",
    metavar="CHECKPOINT",
    help="Check only what was written after a checkpoint verified earlier (the record must "
    "still extend it).",
)
@click.option(
    "--jobs",
    type=int,
    default=None,
    metavar="N",
    help="Audit the investigations in N worker processes (default: every core here).",
)
@PROCESSES
@CHAIN_ONLY
@JSON
@LANG
def verify(
    *,
    db: str,
    against: str | None,
    since: str | None,
    jobs: int | None,
    process_names: tuple[str, ...],
    chain_only: bool,
    as_json: bool,
    lang: str,
) -> None:
    """Verify DB without changing it; exit 0 only when the whole record is checked and intact.

    Every investigation is replayed from its first event: hash chains, each
    event's place, snapshots, rows, the store-wide ledger and the schema's
    insert-only triggers and views are checked. Exit 1: something is broken;
    exit 4: nothing checked is broken, but an investigation could not be
    replayed (its process is unknown here: give --process, or ask for less
    with --chain-only).
    """
    store = open_existing(db)
    with meter(lang) as progress:
        check = store.verify(
            against=against,
            processes=processes(process_names),
            chain_only=chain_only,
            progress=progress.record,
            jobs=cores() if jobs is None else jobs,
            since=since,
        )
    if as_json:
        echo_json(_verification(check, lang))
    else:
        _print_verification(check, against, Words(lang))
    sys.exit(exit_code(check))


def _verification(check: sg.Verification, lang: str) -> dict[str, Any]:
    return {
        "ok": check.ok,
        "intact": check.intact,
        "tier": check.tier,
        "chain_only": check.chain_only,
        "events": check.events,
        "heads": check.heads,
        "breaks": [_break(b, lang) for b in check.breaks],
        "unreplayed": [{"key": k, "process": check.unknown.get(k)} for k in check.unreplayed],
        "checkpoint": None if check.checkpoint is None else str(check.checkpoint),
        "since": None if check.since is None else str(check.since),
    }


def _break(found: sg.ChainBreak, lang: str) -> dict[str, Any]:
    """A break as the JSON output has always given it (the reason in both languages)."""
    return {
        "investigation": found.investigation,
        "seq": found.seq,
        "reason": found.reason,
        "part": found.part,
        "nn": found.nn,
        "message": found.message(lang),
    }


def _print_verification(check: sg.Verification, against: str | None, w: Words) -> None:
    broken = {b.investigation: b for b in check.breaks if b.investigation}
    width = max(len(w.t(k)) for k in ("ok", "broken", "unchecked")) + 1
    ok, bad, unchecked = (f"{w.t(k):<{width}}" for k in ("ok", "broken", "unchecked"))
    for key, head in sorted(check.heads.items()):
        if key in broken:
            echo(f"{bad}{broken[key].message(w.lang)}")
        elif key in check.unknown:
            echo(f"{unchecked}{key}: {w.t('unreplayed').format(process=check.unknown[key])}")
        else:
            echo(f"{ok}{key}: {w.t('head').split(' (')[0].lower()} {head}")
    for found in check.breaks:
        if not found.investigation:
            echo(f"{bad}{found.message(w.lang)}")
    count = len(check.heads)
    noun = w.t("investigation" if count == 1 else "investigations")
    if check.since is not None:
        echo(w.t("only_new").format(checkpoint=check.since, count=w.count(count), noun=noun))
    else:
        echo(w.t("events_in").format(events=w.count(check.events), count=w.count(count), noun=noun))
    if check.chain_only:
        echo(w.t("chain_only"))
    if check.intact and check.unreplayed:
        echo(w.t("not_whole").format(count=w.count(len(check.unreplayed))))
    if check.checkpoint is not None and check.ok:
        echo(f"{w.t('checkpoint')} {check.checkpoint}")
    if against is not None and check.ok:
        echo(w.t("extends").format(checkpoint=sg.Checkpoint.parse(against)))


@cli.command()
@click.argument("db")
@PROCESSES
@CHAIN_ONLY
@JSON
@LANG
def checkpoint(
    db: str, process_names: tuple[str, ...], chain_only: bool, as_json: bool, lang: str
) -> None:
    """Print the store's checkpoint for the minutes of a meeting (verified first).

    Later, 'stepgate verify DB --against CHECKPOINT' proves the record still
    extends it, even against someone who rewrote the file and every hash.
    """
    with meter(lang) as progress:
        check = open_existing(db).verify(
            processes=processes(process_names), chain_only=chain_only, progress=progress.record
        )
    if check.breaks or check.checkpoint is None:
        found = check.breaks[0].message(lang) if check.breaks else "–"
        raise sg.RecordBroken(
            nn=f"journalen stemmer ikkje: {found}", en=f"the record does not verify: {found}"
        )
    if check.unreplayed:
        shown_keys = ", ".join(f"{k} ({check.unknown[k]})" for k in check.unreplayed)
        click.echo(Words(lang).t("no_checkpoint").format(investigations=shown_keys), err=True)
        sys.exit(INCOMPLETE)
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
    """Copy DB into a new file COPY, as of one consistent view of it, then verify the copy.

    From SQLite through its online backup (the write-ahead log included); from
    PostgreSQL as 'stepgate copy' does. Writers may go on meanwhile. Exit codes
    as verify's.
    """
    place(copy, force=False, records=[db])
    with meter(lang) as progress:
        check = open_existing(db).backup(
            copy, processes=processes(process_names), progress=progress
        )
    if as_json:
        echo_json(_verification(check, lang) | {"copy": copy})
    else:
        w = Words(lang)
        for found in check.breaks:
            echo(f"{w.t('broken')} {found.message(lang)}")
        if check.intact:
            done = w.t("backup_done")
            events = w.count(check.events)
            echo(done.format(copy=copy, events=events, checkpoint=check.checkpoint))
        if check.unreplayed:
            echo(w.t("not_whole").format(count=w.count(len(check.unreplayed))))
    sys.exit(exit_code(check))


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
    if not is_url(target):
        place(target, force=False, records=[source])
    store = open_existing(source)
    with meter(lang) as progress:
        check = store.copy_to(target, processes=processes(process_names), progress=progress)
    if as_json:
        echo_json(_verification(check, lang) | {"source": shown(source), "target": shown(target)})
    else:
        w = Words(lang)
        done = w.t("copied")
        events = w.count(check.events)
        echo(done.format(events=events, target=shown(target), checkpoint=check.checkpoint))
        if check.unreplayed:
            echo(w.t("not_whole").format(count=w.count(len(check.unreplayed))))
    sys.exit(exit_code(check))
