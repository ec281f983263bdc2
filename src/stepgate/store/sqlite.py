"""The durable record in SQLite: one file (or memory), shared by a process's threads.

``SQLiteBackend`` says how to connect (one connection per thread; read-only
and immutable opens for archive copies), how a transaction begins (``BEGIN
IMMEDIATE`` takes the write lock before anything is read, so commits are
ordered and the ledger's positions follow them), what SQLite's errors mean,
how the schema is checked and migrated, and how a file is copied with
SQLite's online backup. The operations themselves are ``Backend``'s. This
module, the connections and the schema are the only importers of
``sqlite_utils``.
"""

from __future__ import annotations

import functools
import os
import pathlib
import re
import sqlite3
from collections.abc import Iterator

from sqlite_utils import Database

from stepgate.errors import (
    ConcurrencyConflict,
    NotAStepgateDatabase,
    SchemaTooNew,
    SchemaTooOld,
    StorageUnavailable,
    StoreError,
)
from stepgate.model.text import Text
from stepgate.store.backend import Backend
from stepgate.store.record import ChainBreak, schema_break
from stepgate.store.schema import MIGRATIONS, fresh_schema

BUSY_TIMEOUT_S = 10.0
"""How long a writer waits for another writer's lock before it gives up."""


_MEANINGS: tuple[tuple[tuple[str, ...], type[StoreError], Text], ...] = (
    (
        ("readonly", "read-only"),
        StorageUnavailable,
        Text(
            nn="databasen kan berre lesast; ingenting vart skrive",
            en="the database is read-only; nothing was written",
        ),
    ),
    (
        ("full",),
        StorageUnavailable,
        Text(
            nn="databasen eller disken er full; ingenting vart skrive",
            en="the database or disk is full; nothing was written",
        ),
    ),
    (
        ("locked", "busy"),
        StorageUnavailable,
        Text(
            nn=f"databasen var låst av ein annan skrivar i {BUSY_TIMEOUT_S:.0f} s; ingenting "
            "vart skrive",
            en=f"the database stayed locked by another writer for {BUSY_TIMEOUT_S:.0f} s; "
            "nothing was written",
        ),
    ),
    (
        ("not a database", "malformed"),
        NotAStepgateDatabase,
        Text(
            nn="fila er ikkje ein brukande SQLite-database",
            en="the file is not a usable SQLite database",
        ),
    ),
    (("closed",), StorageUnavailable, Text(nn="lageret er lukka", en="the store is closed")),
)
"""What an SQLite error means for stepgate: words in its message, the error, what it means."""


def translate(error: sqlite3.Error) -> Exception:
    """The stepgate error an SQLite error means, said in English and Nynorsk."""
    text = str(error).lower()
    if isinstance(error, sqlite3.IntegrityError) and "unique" in text:
        return ConcurrencyConflict(
            nn="ein annan skrivar la til i denne utgreiinga først; last på nytt og prøv att",
            en="another writer appended to this investigation first; reload and retry",
        )
    for words, kind, meaning in _MEANINGS:
        if any(word in text for word in words):
            return kind(meaning, detail=str(error))
    return StorageUnavailable(
        nn="databasen avviste operasjonen",
        en="the database refused the operation",
        detail=str(error),
    )


class SQLiteBackend(Backend):
    """Investigations in one SQLite file (or ``:memory:``), shared by a process's threads."""

    driver_errors = (sqlite3.Error,)

    def translate(self, error: Exception) -> Exception:
        """The stepgate error an SQLite error means."""
        assert isinstance(error, sqlite3.Error)
        return translate(error)

    def begin_write(self, conn: sqlite3.Connection, *, lock: bool = False) -> None:  # noqa: ARG002
        """``BEGIN IMMEDIATE``: SQLite's write lock, before anything is read (``lock`` or not)."""
        conn.execute("BEGIN IMMEDIATE")

    def begin_read(self, conn: sqlite3.Connection) -> None:
        """A deferred transaction: in WAL mode, one snapshot from its first read."""
        conn.execute("BEGIN")

    def _connect(self) -> sqlite3.Connection:
        if self.read_only and not self.memory:
            conn = self._connect_read_only()
        else:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """A connection that can only read, also to a record in a read-only folder.

        A WAL database needs its ``-shm`` file even to be read. In a folder
        nobody may write to (an archive copy, a read-only mount) that file cannot
        be made; if there is no ``-wal`` file either, every commit is in the
        database file itself and nobody can be writing it, so it is opened as
        immutable. A ``-wal`` file left in such a folder holds commits that only
        a writer can fold in: that is said, not silently skipped.
        """
        path = pathlib.Path(self.path).resolve()
        if not path.is_file():
            raise StorageUnavailable(
                nn=f"det finst inga databasefil på {self.path!r}",
                en=f"there is no database file at {self.path!r}",
            )
        uri = path.as_uri() + "?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            conn.close()
            if "unable to open" not in str(error) or os.access(path.parent, os.W_OK | os.X_OK):
                raise
            if pathlib.Path(f"{path}-wal").exists():
                raise StorageUnavailable(
                    nn=f"{self.path!r} ligg i ei mappe som berre kan lesast, med ein WAL-logg "
                    "som berre ein skrivar kan ta inn; lag kopien med «stepgate backup»",
                    en=f"{self.path!r} is in a read-only folder with a write-ahead log beside it "
                    "that only a writer can fold in; make the copy with 'stepgate backup'",
                ) from error
            conn = sqlite3.connect(
                uri + "&immutable=1",
                uri=True,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        return conn

    @property
    def db(self) -> Database:
        """This thread's connection as a ``sqlite_utils.Database`` (for tools and tests)."""
        return Database(self.link().conn, recursive_triggers=False, execute_plugins=False)

    def prepare(self, conn: sqlite3.Connection) -> None:
        db = Database(conn, recursive_triggers=False, execute_plugins=False)
        tables = set(db.table_names())
        applied = set()
        if MIGRATIONS.migrations_table in tables:
            applied = {m.name for m in MIGRATIONS.applied(db)}
        known = {m.name for m in MIGRATIONS._migrations}
        if tables and not applied:
            shown = ", ".join(sorted(tables)[:5])
            raise NotAStepgateDatabase(
                nn=f"{self.path!r} er ein SQLite-database med andre tabellar ({shown}), men utan "
                "stepgate-skjema; bruk ei ny fil",
                en=f"{self.path!r} is an SQLite database with other tables ({shown}) but no "
                "stepgate schema; use a new file",
            )
        if applied - known:
            raise SchemaTooNew(
                nn=f"{self.path!r} er skriven av ein nyare stepgate (skjemasteg "
                f"{sorted(applied - known)}); oppgrader stepgate for å opne han",
                en=f"{self.path!r} was written by a newer stepgate (schema steps "
                f"{sorted(applied - known)}); upgrade stepgate to open it",
            )
        if self.read_only and not tables:
            raise NotAStepgateDatabase(
                nn=f"{self.path!r} er tom: fila har ingen stepgate-journal (ingenting vart skrive)",
                en=f"{self.path!r} is empty: it holds no stepgate record (nothing was written to "
                "it)",
            )
        if self.read_only and known - applied:
            raise SchemaTooOld(
                nn=f"{self.path!r} treng skjemasteg {sorted(known - applied)} frå denne stepgate;"
                " opne han ein gong for skriving for å ta dei inn",
                en=f"{self.path!r} needs schema steps {sorted(known - applied)} of this stepgate;"
                " open it once without read_only to apply them",
            )
        if not self.read_only:
            if not self.memory:
                conn.execute("PRAGMA journal_mode = WAL")
            if known - applied:
                # the write lock first: processes that open a new file together migrate once
                conn.execute("BEGIN IMMEDIATE")
                try:
                    MIGRATIONS.apply(db)  # reads what is applied again, under the lock
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

    def backup(self, target: str | pathlib.Path) -> None:
        """Copy the whole store, committed WAL pages included, into a new file ``target``."""
        path = pathlib.Path(target)
        if path.exists():
            raise StorageUnavailable(
                nn=f"{str(path)!r} finst alt; ein tryggingskopi går til ei ny fil",
                en=f"{str(path)!r} exists already; a backup goes to a new file",
            )
        with self._read() as conn, self.translated():
            copy = sqlite3.connect(path)
            try:
                conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()

    def schema_breaks(self, conn: sqlite3.Connection) -> Iterator[ChainBreak]:
        """Every object stepgate made that is missing or changed; every trigger or view added."""
        made, found = _expected(), _objects(conn)
        for (kind, name), sql in sorted(made.items()):
            if (kind, name) not in found:
                yield schema_break(kind, name, "missing")
            elif found[(kind, name)] != sql:
                yield schema_break(kind, name, "changed")
        for kind, name in sorted(set(found) - set(made)):
            if kind in ("trigger", "view"):
                yield schema_break(kind, name, "foreign")


_SPACE = re.compile(r"\s+")


def _normal(sql: str | None) -> str:
    return _SPACE.sub(" ", (sql or "").replace('"', "").replace("`", "")).strip()


@functools.cache
def _expected() -> dict[tuple[str, str], str]:
    """The schema objects stepgate makes, as its migrations make them in a new database."""
    return _objects(fresh_schema())


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {(kind, name): _normal(sql) for kind, name, sql in rows}
