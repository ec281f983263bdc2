"""``stepgate demo``: the Sogn child-welfare investigation of 2024, into a SQLite file."""

from __future__ import annotations

import pathlib
from collections.abc import Sequence

import click

import stepgate as sg
from stepgate import sogn
from stepgate.cli.app import (
    DEMO_DB,
    JSON,
    LANG,
    cli,
    echo,
    echo_json,
)
from stepgate.report.timeline import timeline_text
from stepgate.report.words import Words
from stepgate.store.locations import is_url, shown


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
            w.t("demo_sentence").format(
                names=_listed(names, lang), events=w.count(check.events), head=head
            )
        )
        echo(w.t("try_next").format(db=shown(db), key=inv.key))


def _make_room_for_the_demo(db: str) -> None:
    """Remove an earlier demo's file; refuse to touch anything else (or any PostgreSQL record)."""
    if is_url(db):
        with sg.open_store(db) as store:
            if store.keys():
                raise sg.StoreError(
                    nn=f"{shown(db)} har alt ein journal, og journalar kan berre veksa; "
                    "køyr demoen i eit nytt skjema eller ein ny database",
                    en=f"{shown(db)} holds a record already, and records are insert-only; "
                    "run the demo in a new schema or database",
                )
        return
    path = pathlib.Path(db)
    if not path.exists():
        return
    with sg.open_store(path, read_only=True) as old:
        if old.keys() != [sogn.KEY]:
            raise sg.StoreError(
                nn=f"{db!r} har andre utgreiingar; vel --db",
                en=f"{db!r} holds other investigations; choose --db",
            )
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)


def _listed(names: Sequence[str], lang: str) -> str:
    """Names as a sentence lists them: "A, B og C" / "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {'and' if lang == 'en' else 'og'} {names[-1]}"
