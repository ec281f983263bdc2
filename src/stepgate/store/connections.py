"""SQLite connections for one store: one per thread, transactions that nest, errors translated.

SQLite binds a connection to the thread that opened it, so each thread of a
host app gets its own; an in-memory store has one connection, which threads
take in turns (its data lives in that connection). After ``fork()`` a child
opens its own connections and never touches its parent's. ``writing()``
groups commands into one transaction (each command a savepoint); ``Write`` is
one command's transaction. SQLite's errors become stepgate's at this boundary.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pathlib
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from sqlite_utils import Database

from stepgate.errors import (
    ConcurrencyConflict,
    NotAStepgateDatabase,
    StorageUnavailable,
    StoreError,
)

BUSY_TIMEOUT_S = 10.0
"""How long a writer waits for another writer's lock before it gives up."""


_MEANINGS: tuple[tuple[tuple[str, ...], type[StoreError], str, str], ...] = (
    (
        ("readonly", "read-only"),
        StorageUnavailable,
        "the database is read-only; nothing was written",
        "databasen kan berre lesast; ingenting vart skrive",
    ),
    (
        ("full",),
        StorageUnavailable,
        "the database or disk is full; nothing was written",
        "databasen eller disken er full; ingenting vart skrive",
    ),
    (
        ("locked", "busy"),
        StorageUnavailable,
        f"the database stayed locked by another writer for {BUSY_TIMEOUT_S:.0f} s; "
        "nothing was written",
        f"databasen var låst av ein annan skrivar i {BUSY_TIMEOUT_S:.0f} s; ingenting vart skrive",
    ),
    (
        ("not a database", "malformed"),
        NotAStepgateDatabase,
        "the file is not a usable SQLite database",
        "fila er ikkje ein brukande SQLite-database",
    ),
    (("closed",), StorageUnavailable, "the store is closed", "lageret er lukka"),
)
"""What an SQLite error means for stepgate: words in its message, the error, what it means."""


def translate(error: sqlite3.Error) -> Exception:
    """The stepgate error an SQLite error means, said in English and Nynorsk."""
    text = str(error).lower()
    if isinstance(error, sqlite3.IntegrityError) and "unique" in text:
        return ConcurrencyConflict(
            "another writer appended to this investigation first; reload and retry",
            nn="ein annan skrivar la til i denne utgreiinga først; last på nytt og prøv att",
        )
    for words, kind, meaning, tyding in _MEANINGS:
        if any(word in text for word in words):
            return kind(f"{meaning} ({error})", nn=f"{tyding} ({error})")
    return StorageUnavailable(
        f"the database refused the operation: {error}",
        nn=f"databasen avviste operasjonen: {error}",
    )


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """SQLite's errors inside become stepgate's."""
    try:
        yield
    except sqlite3.Error as error:
        raise translate(error) from error


class QuietCollector:
    """The garbage collector paused while a replay builds its many short-lived objects.

    A replay makes no reference cycles worth collecting mid-way; pausing the
    collector saves it from scanning a growing heap again and again. It is one
    per process, so threads count in and out: the last one out restores it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._inside == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._inside += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._inside -= 1
            if self._inside == 0 and self._was_enabled:
                gc.enable()


quiet_gc = QuietCollector()


class Link:
    """One connection and what it knows: cached heads, and the scope of an outer transaction.

    ``depth`` counts open ``writing()`` scopes; inside one, each command is a
    savepoint of one transaction that the outermost scope commits or rolls
    back. ``undo`` holds what to call when that transaction rolls back.
    """

    __slots__ = ("__weakref__", "conn", "depth", "heads", "undo")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.heads: dict[str, Any] = {}  # key -> the store's Head
        self.depth = 0
        self.undo: list[Callable[[], None]] = []


class Write:
    """One command's write: a transaction of its own, or a savepoint inside ``writing()``.

    SQLite errors come out translated; any error leaves nothing of the command.
    A class rather than a generator-based context manager: every command enters one.
    """

    __slots__ = ("backend", "link", "savepoint")

    def __init__(self, backend: Connections) -> None:
        self.backend = backend
        self.savepoint = False

    def __enter__(self) -> Link:
        backend = self.backend
        if backend.memory:
            backend.mutex.acquire()
        try:
            self.link = link = backend.link()
            conn = link.conn
            if not conn.in_transaction:
                conn.execute("BEGIN IMMEDIATE")
            if link.depth:
                conn.execute("SAVEPOINT command")
                self.savepoint = True
        except BaseException as error:
            self._release()
            if isinstance(error, sqlite3.Error):
                raise translate(error) from error
            raise
        return link

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: object
    ) -> None:
        try:
            self._finish(kind is None, error)
        finally:
            self._release()

    def _finish(self, ok: bool, error: BaseException | None) -> None:
        conn = self.link.conn
        try:
            if ok:
                conn.execute("RELEASE command" if self.savepoint else "COMMIT")
                return
        except sqlite3.Error as failed:
            error = failed
        # SQLite may have rolled back already (a full disk does): never mask the cause
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                if self.savepoint:
                    conn.execute("ROLLBACK TO command")
                    conn.execute("RELEASE command")
                else:
                    conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise translate(error) from error

    def _release(self) -> None:
        if self.backend.memory:
            self.backend.mutex.release()


class Connections:
    """The connections of one store (see the module); a subclass prepares a new database."""

    def __init__(self, path: str | pathlib.Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.memory = self.path in (":memory:", "")
        self.mutex = threading.RLock()  # an in-memory store's one connection, taken in turns
        self._pid = os.getpid()
        self._local = threading.local()
        # held weakly: a thread's connection closes when the thread ends and its local goes
        self._links: weakref.WeakSet[Link] = weakref.WeakSet()
        self._inherited: list[Link] = []  # a parent's connections after fork: kept, never used
        self._closed = False
        self._shared: Link | None = None
        first = self._open_link(prepare=True)
        if self.memory:
            self._shared = first
        else:
            self._local.link = first

    # --- connections -----------------------------------------------------------------

    def link(self) -> Link:
        """This thread's connection (opened on first use; a new one after ``fork()``)."""
        if self._closed:
            raise StorageUnavailable(f"the store {self.path!r} is closed; open it again")
        if os.getpid() != self._pid:
            self._after_fork()
        if self._shared is not None:
            return self._shared
        link: Link | None = getattr(self._local, "link", None)
        if link is None:
            link = self._local.link = self._open_link(prepare=False)
        return link

    def _after_fork(self) -> None:
        if self.memory:
            raise StoreError(
                "an in-memory store cannot be used in a child process after fork(): "
                "its data lives in the parent; open a store in the child"
            )
        with self.mutex:
            if os.getpid() != self._pid:
                # SQLite forbids using a connection across fork(); keep the parent's
                # objects alive (closing them here could disturb the parent's locks)
                self._inherited += list(self._links)
                self._links = weakref.WeakSet()
                self._local = threading.local()
                self._pid = os.getpid()

    def _open_link(self, *, prepare: bool) -> Link:
        with translated():
            conn = self._connect()
            link = Link(conn)
            with self.mutex:
                self._links.add(link)
            if prepare:
                try:
                    self.prepare(conn)
                except BaseException:
                    self.close()
                    raise
        return link

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
                f"there is no database file at {self.path!r}",
                nn=f"det finst inga databasefil på {self.path!r}",
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
                    f"{self.path!r} is in a read-only folder with a write-ahead log beside it "
                    "that only a writer can fold in; make the copy with 'stepgate backup'",
                    nn=f"{self.path!r} ligg i ei mappe som berre kan lesast, med ein WAL-logg "
                    "som berre ein skrivar kan ta inn; lag kopien med «stepgate backup»",
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

    def close(self) -> None:
        """Close every connection this store opened, in every thread."""
        with self.mutex:
            self._closed = True
            links, self._links = list(self._links), weakref.WeakSet()
        for link in links:
            with contextlib.suppress(sqlite3.Error):
                link.conn.close()

    # --- transactions ----------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, *, lock: bool = False) -> Iterator[None]:
        """One transaction around everything written inside (all of it, or none).

        Each command inside is a savepoint: a failed command leaves nothing and
        the rest may go on. ``lock=True`` takes the write lock at once, so what
        is read inside cannot change before it is written (no conflict can occur);
        otherwise the lock is taken by the first write. Nested scopes join the
        outermost one.
        """
        if self.memory:
            self.mutex.acquire()
        try:
            link = self.link()
            conn = link.conn
            outermost = link.depth == 0
            if outermost and lock and not conn.in_transaction:
                with translated():
                    conn.execute("BEGIN IMMEDIATE")
            link.depth += 1
            try:
                yield
            except BaseException:
                link.depth -= 1
                if outermost:
                    self._roll_back(link)
                raise
            link.depth -= 1
            if outermost:
                self._commit(link)
        finally:
            if self.memory:
                self.mutex.release()

    def _commit(self, link: Link) -> None:
        conn = link.conn
        try:
            if conn.in_transaction:
                conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._roll_back(link)
            raise translate(error) from error
        link.undo.clear()

    @staticmethod
    def _roll_back(link: Link) -> None:
        conn = link.conn
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        link.heads.clear()
        undo, link.undo = link.undo, []
        for forget in undo:
            forget()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent view even while others write."""
        if self.memory:
            self.mutex.acquire()
        try:
            conn = self.link().conn
            with translated():
                if conn.in_transaction:  # inside a write scope: read what it sees
                    yield conn
                    return
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
        finally:
            if self.memory:
                self.mutex.release()

    def prepare(self, conn: sqlite3.Connection) -> None:
        """Check (and, when writable, migrate) a newly opened database; raise if unusable."""
