"""Where a command may write: never over a record, and over another file only when asked.

A slip of ``-o`` must never destroy the tamper-evident record. So an output
path is refused — even with ``--force`` — when it is the record being read or
its ``-wal``, ``-shm`` or ``-journal`` file (by any name: a symbolic or hard
link is the same file), any SQLite database, or the write-ahead log of one. An
existing file of any other kind is written over only with ``--force``, and
then whole or not at all: the text goes into a new file beside it, which takes
its place in one step.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pathlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator

import stepgate as sg
from stepgate.cli.app import system_error
from stepgate.store.locations import is_url

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""

WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
"""The first 4 bytes of an SQLite write-ahead log."""

COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database, which belong to it."""


def write_text(path: str, text: str, *, force: bool, records: Iterable[str]) -> None:
    """Write ``text`` to ``path`` (UTF-8), if ``place`` allows it (see the module)."""
    write_bytes(path, [text.encode("utf-8")], force=force, records=records)


def write_bytes(path: str, blocks: Iterable[bytes], *, force: bool, records: Iterable[str]) -> None:
    """Write ``blocks`` to ``path``, whole or not at all, if ``place`` allows it.

    The blocks go into a new file beside the target, which takes its place only
    when the last one is written: an error on the way (a document whose bytes do
    not match, a full disk) leaves nothing behind.
    """
    target = place(path, force=force, records=records)
    if target.exists() and not target.is_file():  # a device or pipe (/dev/null): in place
        with _refused_by_the_system(path), target.open("wb") as out:
            for block in blocks:
                out.write(block)
        return
    with _refused_by_the_system(path):
        made, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(made, "wb") as out:
                for block in blocks:
                    out.write(block)
            if target.exists():
                shutil.copymode(target, name)
                os.replace(name, target)
            else:
                os.chmod(name, 0o666 & ~_umask())  # as a new file would be made
                _put_new(name, target)
        except BaseException:
            pathlib.Path(name).unlink(missing_ok=True)
            raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _put_new(name: str, target: pathlib.Path) -> None:
    """Give the finished file ``name`` the new name ``target``, never over a file made meanwhile."""
    try:
        os.link(name, target)  # refuses an existing target
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the target was checked just before
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.replace(name, target)
        return
    pathlib.Path(name).unlink()


def place(path: str, *, force: bool, records: Iterable[str]) -> pathlib.Path:
    """The file ``path`` names, where output may go; ``InvalidValue`` saying why not.

    ``records`` are the stores the command reads (files or URLs).
    """
    given = pathlib.Path(path)
    target = given.resolve() if given.is_symlink() else given
    if target.is_dir():
        raise _refused(path, "is a folder; give a file name", "er ei mappe; gje eit filnamn")
    if not target.parent.is_dir():
        raise _refused(
            path,
            f"cannot be written: there is no folder {str(target.parent)!r}",
            f"kan ikkje skrivast: det finst inga mappe {str(target.parent)!r}",
        )
    for record in records:
        if not is_url(record) and _belongs_to(target, pathlib.Path(record)):
            raise _refused(
                path,
                "is the record being read (or a file SQLite keeps beside it); "
                "nothing is written over a record",
                "er journalen som vert lesen (eller ei fil SQLite har attmed han); "
                "ingenting vert skrive over ein journal",
            )
    if _is_database(target):
        raise _refused(
            path,
            "is an SQLite database (or a file that belongs to one); "
            "nothing is written over a database, not even with --force",
            "er ein SQLite-database (eller ei fil som høyrer til ein); "
            "ingenting vert skrive over ein database, heller ikkje med --force",
        )
    if target.exists() and not force:
        raise _refused(
            path,
            "exists already; add --force to write over it",
            "finst alt; legg til --force for å skrive over ho",
        )
    return target


def _belongs_to(target: pathlib.Path, record: pathlib.Path) -> bool:
    """True when ``target`` is ``record`` or one of its companion files, by any name."""
    for suffix in ("", *COMPANIONS):
        companion = pathlib.Path(f"{record}{suffix}")
        if target.resolve() == companion.resolve():
            return True
        with contextlib.suppress(OSError):
            if target.exists() and companion.exists() and os.path.samefile(target, companion):
                return True
    return False


def _is_database(target: pathlib.Path) -> bool:
    """True for an SQLite database, its write-ahead log, or a companion file of a database."""
    if _starts_with(target, (SQLITE_HEADER, *WAL_MAGIC)):
        return True
    for suffix in COMPANIONS:
        if target.name.endswith(suffix):
            owner = target.with_name(target.name[: -len(suffix)])
            if _starts_with(owner, (SQLITE_HEADER,)):
                return True
    return False


def _starts_with(path: pathlib.Path, heads: tuple[bytes, ...]) -> bool:
    try:
        if not path.is_file():
            return False
        with path.open("rb") as found:
            first = found.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return any(first.startswith(head) for head in heads)


def _refused(path: str, why: str, kvifor: str) -> sg.InvalidValue:
    return sg.InvalidValue(nn=f"{path!r} {kvifor}", en=f"{path!r} {why}")


@contextlib.contextmanager
def _refused_by_the_system(path: str) -> Iterator[None]:
    """The operating system's refusal (no such folder, no permission, a full disk), said."""
    try:
        yield
    except OSError as error:
        raise system_error(
            error, f"cannot write {path!r}", f"kan ikkje skrive {path!r}", named=True
        ) from None
