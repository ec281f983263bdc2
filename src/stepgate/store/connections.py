"""A store's connections: one per thread, transactions that nest, driver errors translated.

A database driver binds a connection to one thread at a time, so each thread
of a host app gets its own; an in-memory SQLite store has one connection,
which threads take in turns (its data lives in that connection). After
``fork()`` a child opens its own connections and never touches its parent's.
``writing()`` groups commands into one transaction (each command a
savepoint); ``Write`` is one command's transaction. A subclass connects to its
database (``sqlite``, ``postgres``): how to open a connection, begin a
transaction, and what the driver's errors mean. Those errors become
stepgate's at this boundary.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pathlib
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from stepgate.errors import (
    StorageUnavailable,
    StoreError,
)

log = logging.getLogger(__name__)

_forks = 0
"""How many times this process was forked into (in the child); read where a link is taken."""


def _forked() -> None:
    global _forks  # noqa: PLW0603 - one counter for the process, moved only by fork()
    _forks += 1


os.register_at_fork(after_in_child=_forked)


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

    __slots__ = ("__weakref__", "buffered", "conn", "depth", "heads", "order", "undo")

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.heads: dict[str, Any] = {}  # key -> the store's Head
        self.depth = 0
        self.undo: list[Callable[[], None]] = []
        # inside writing(): commands waiting to be written (the backend's), in order
        self.order: list[Any] = []  # the backend's Waiting commands
        self.buffered: dict[str, Any] = {}  # key -> (the head the scope first found, version now)


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
                backend.begin_write(conn)
            if link.depth:
                conn.execute("SAVEPOINT command")
                self.savepoint = True
        except BaseException as error:
            self._release()
            if isinstance(error, backend.driver_errors):
                raise backend.translate(error) from error
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
        conn, errors = self.link.conn, self.backend.driver_errors
        try:
            if ok:
                conn.execute("RELEASE command" if self.savepoint else "COMMIT")
                return
        except errors as failed:
            error = failed
        # the database may have rolled back already (SQLite on a full disk does):
        # never mask the cause
        if conn.in_transaction:
            with contextlib.suppress(*errors):
                if self.savepoint:
                    conn.execute("ROLLBACK TO command")
                    conn.execute("RELEASE command")
                else:
                    conn.execute("ROLLBACK")
        if isinstance(error, errors):
            raise self.backend.translate(error) from error

    def _release(self) -> None:
        if self.backend.memory:
            self.backend.mutex.release()


class Connections:
    """The connections of one store (see the module); a subclass connects and prepares."""

    driver_errors: tuple[type[Exception], ...] = ()
    """The driver's own errors: what ``translate`` turns into stepgate's."""

    def __init__(self, path: str | pathlib.Path, *, read_only: bool = False) -> None:
        self.path = str(path)  # as messages show it: a URL comes without its password
        self.read_only = read_only
        self.memory = self.path in (":memory:", "")
        self.mutex = threading.RLock()  # an in-memory store's one connection, taken in turns
        self._pid = os.getpid()
        self._forks = _forks  # how many forks the process had: a child must not use our links
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
            raise StorageUnavailable(
                nn=f"lageret {self.path!r} er lukka; opne det på nytt",
                en=f"the store {self.path!r} is closed; open it again",
            )
        if _forks != self._forks:
            self._after_fork()
        if self._shared is not None:
            return self._shared
        link: Link | None = getattr(self._local, "link", None)
        if link is None:
            link = self._local.link = self._open_link(prepare=False)
        elif link.depth == 0 and self.lost(link.conn):
            self._reconnect(link)
        return link

    def _reconnect(self, link: Link) -> None:
        """A new connection in place of one the database dropped (a restart, a failover).

        Only between transactions: nothing of a command is lost by it. If the
        database cannot be reached yet, this says so, and the next call tries again.
        """
        log.warning("the connection to %s was lost; connecting again", self.path)
        with contextlib.suppress(Exception):
            link.conn.close()
        with self.translated():
            link.conn = self._connect()
        link.heads.clear()

    def _after_fork(self) -> None:
        if self.memory:
            raise StoreError(
                nn="eit lager i minnet kan ikkje brukast i ein barneprosess etter fork(): "
                "dataa ligg i forelderen; opne eit lager i barnet",
                en="an in-memory store cannot be used in a child process after fork(): "
                "its data lives in the parent; open a store in the child",
            )
        with self.mutex:
            if os.getpid() != self._pid:
                # SQLite forbids using a connection across fork(); keep the parent's
                # objects alive (closing them here could disturb the parent's locks)
                self._inherited += list(self._links)
                self._links = weakref.WeakSet()
                self._local = threading.local()
                self._pid = os.getpid()
            self._forks = _forks

    def _open_link(self, *, prepare: bool) -> Link:
        with self.translated():
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

    # --- what a subclass says about its database ---------------------------------------

    def _connect(self) -> Any:
        """A new connection to the database (a ``Conn``)."""
        raise NotImplementedError

    def prepare(self, conn: Any) -> None:
        """Check (and, when writable, migrate) a newly opened database; raise if unusable."""
        raise NotImplementedError

    def lost(self, conn: Any) -> bool:  # noqa: ARG002 - a file does not go away
        """True when ``conn`` can no longer be used and a new one must be opened."""
        return False

    def translate(self, error: Exception) -> Exception:
        """The stepgate error a driver error means."""
        raise NotImplementedError

    def begin_write(self, conn: Any, *, lock: bool = False) -> None:
        """Begin a transaction that will write (``lock``: take the write lock now)."""
        raise NotImplementedError

    def begin_read(self, conn: Any) -> None:
        """Begin a transaction that reads one consistent view of the record."""
        raise NotImplementedError

    def flush(self, link: Link) -> None:
        """Write what a ``writing()`` scope's commands left waiting (the backend's)."""

    @contextlib.contextmanager
    def translated(self) -> Iterator[None]:
        """The driver's errors inside become stepgate's."""
        try:
            yield
        except self.driver_errors as error:
            raise self.translate(error) from error

    def close(self) -> None:
        """Close every connection this store opened, in every thread."""
        with self.mutex:
            self._closed = True
            links, self._links = list(self._links), weakref.WeakSet()
        for link in links:
            with contextlib.suppress(*self.driver_errors):
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
                with self.translated():
                    self.begin_write(conn, lock=True)
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
                try:
                    with self.translated():
                        self.flush(link)
                except BaseException:
                    self._roll_back(link)
                    raise
                self._commit(link)
        finally:
            if self.memory:
                self.mutex.release()

    def _commit(self, link: Link) -> None:
        conn = link.conn
        try:
            if conn.in_transaction:
                conn.execute("COMMIT")
        except self.driver_errors as error:
            self._roll_back(link)
            raise self.translate(error) from error
        link.undo.clear()

    def _roll_back(self, link: Link) -> None:
        conn = link.conn
        if conn.in_transaction:
            with contextlib.suppress(*self.driver_errors):
                conn.execute("ROLLBACK")
        link.heads.clear()
        link.order.clear()
        link.buffered.clear()
        undo, link.undo = link.undo, []
        for forget in undo:
            forget()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction around everything read inside: one consistent view.

        Reads inside join it, so a verification and a copy made inside see the
        same record, however much others write meanwhile.
        """
        with self._read():
            yield

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        """One read transaction: a consistent view even while others write."""
        if self.memory:
            self.mutex.acquire()
        try:
            link = self.link()
            conn = link.conn
            with self.translated():
                if conn.in_transaction:  # inside a write scope: read what it sees
                    self.flush(link)  # (its waiting commands written first)
                    yield conn
                    return
                self.begin_read(conn)
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
        finally:
            if self.memory:
                self.mutex.release()
