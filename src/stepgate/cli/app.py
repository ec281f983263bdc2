"""The command line's frame: the group, its shared options, how errors and text are printed.

Every command speaks ``--lang nn|en`` (Nynorsk by default, or ``STEPGATE_LANG``)
and prints JSON with ``--json`` where it prints data. Every error is printed on
stderr in the chosen language, and the exit code is non-zero; never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import sys
from collections.abc import Sequence
from typing import Any

import click

import stepgate as sg
from stepgate.api.reading import Reading, as_of_value
from stepgate.api.registry import given_process
from stepgate.report.safe import printable
from stepgate.store.locations import is_url

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
FORCE = click.option(
    "--force", is_flag=True, help="Write over an existing file (never a database)."
)
AS_OF = click.option(
    "--as-of",
    metavar="DATE|vN",
    help="Show the record as it stood on a business date (2024-03-12) or at a version (v57).",
)


class _Group(click.Group):
    """Turns stepgate's own errors (and the system's) into their message, and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sg.StepgateError as error:
            raise click.ClickException(said(error, ctx.meta.get(LANG_KEY, "nn"))) from None
        except BrokenPipeError:
            raise  # the reader went away (| head): click ends the command quietly
        except OSError as error:
            failed = system_error(error, "the operating system refused", "systemet avviste det")
            raise click.ClickException(said(failed, ctx.meta.get(LANG_KEY, "nn"))) from None


def said(error: sg.StepgateError, lang: str) -> str:
    """An error as printed: its kind and its whole message in ``lang`` (every line of it),
    then what a library or the system said, in its own words, on a line of its own."""
    lines = error.message(lang).splitlines() or [""]
    head = f"{type(error).__name__}: {lines[0]}" if lines[0] else type(error).__name__
    if error.detail:
        lines.append(f"  ({'detail' if lang == 'en' else 'detalj'}: {error.detail})")
    return "\n".join(printable(line) for line in [head, *lines[1:]])


SYSTEM_WORDS = {
    errno.ENOENT: ("no such file or folder", "fila eller mappa finst ikkje"),
    errno.EACCES: ("permission denied", "manglar løyve"),
    errno.EPERM: ("not permitted", "ikkje tillate"),
    errno.ENOSPC: ("the disk is full", "disken er full"),
    errno.EROFS: ("the file system is read-only", "filsystemet kan berre lesast"),
    errno.EISDIR: ("it is a folder", "det er ei mappe"),
    errno.ENOTDIR: ("a part of the path is not a folder", "ein del av stien er ikkje ei mappe"),
    errno.EIO: ("an input/output error", "ein inn/ut-feil"),
    errno.EEXIST: ("it exists already", "det finst alt"),
    errno.EPIPE: ("the reader went away", "lesaren forsvann"),
}
"""What the operating system's errors mean, in English and Nynorsk."""


def system_error(
    error: OSError, what: str, kva: str, *, named: bool = False
) -> sg.StorageUnavailable:
    """``error`` from the operating system as one stepgate error in both languages.

    ``what`` / ``kva`` say what was attempted (``named``: and which file already);
    the system's own words go into the detail line.
    """
    en, nn = SYSTEM_WORDS.get(error.errno or 0, ("the system refused", "systemet sa nei"))
    where = f" ({error.filename})" if error.filename and not named else ""
    return sg.StorageUnavailable(
        nn=f"{kva}{where}: {nn}",
        en=f"{what}{where}: {en}",
        detail=f"{type(error).__name__}: {error}",
    )


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
            nn=f"ingen database på {db!r}; køyr «stepgate demo» for å lage ein",
            en=f"no database at {db!r}; run 'stepgate demo' to make one",
        )
    return sg.open_store(db, read_only=True)


def load(db: str, key: str, process: str | None, as_of: str | None = None) -> Reading:
    """The investigation ``key`` (as of a date or version), rebuilt from its first event, verified.

    Everything is checked on the way; a broken record stops here with one line
    naming the break.
    """
    store = open_existing(db)
    chosen = given_process(process) if process else None
    inv = store.load(key, chosen, verified=True)
    return inv if as_of is None else inv.as_of(as_of_value(as_of, "--as-of"))


def processes(names: Sequence[str]) -> list[sg.Process]:
    """The processes named on the command line (a registered name, or code to import)."""
    return [given_process(name) for name in names]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sg.__version__, prog_name="stepgate")
def cli() -> None:
    """stepgate: stepwise investigations as an explainable state machine.

    insight -> next step -> political anchoring gate, with a tamper-evident
    record in SQLite. Start with 'stepgate demo'.
    """


def _lang_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line (for errors met before a command runs)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return os.environ.get("STEPGATE_LANG", "nn")


def main(argv: Sequence[str] | None = None) -> None:
    """The ``stepgate`` script: run the command line; every error its message on stderr.

    When the reader of the output goes away (``| head -1``), click ends the
    command quietly with exit code 1.
    """
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
