"""Both backends for the store tests: a fresh record's location, and a raw connection to it.

``BACKENDS`` parametrises the ``location`` fixture (``conftest.py``): an SQLite
file, or a PostgreSQL schema of its own on the server ``STEPGATE_PG_URL``
names (``.ci/run`` starts one). Without that server the PostgreSQL cases skip
with one line, except in CI (``STEPGATE_CI=1``), where they fail. ``Raw`` is
what a tamperer or a test reaches for: the tables, with plain SQL in ``?``
placeholders and bodies as text, on either backend.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

PG_URL = os.environ.get("STEPGATE_PG_URL", "")
IN_CI = os.environ.get("STEPGATE_CI") == "1"
BACKENDS = ["sqlite", "postgres"]


def is_postgres(location: str) -> bool:
    """True when ``location`` is a PostgreSQL URL."""
    return location.startswith(("postgresql://", "postgres://"))


def need_postgres() -> str:
    """The server's URL; skip (fail in CI) where there is none."""
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL tests: STEPGATE_PG_URL is not set")
        pytest.skip("no PostgreSQL server here: set STEPGATE_PG_URL (.ci/run starts one)")
    try:
        import psycopg  # noqa: PLC0415 - the postgres extra

        psycopg.connect(PG_URL, connect_timeout=5).close()
    except Exception as error:  # any failure to reach it is the same one line
        if IN_CI:
            pytest.fail(f"CI must run the PostgreSQL tests: {error}")
        pytest.skip(f"the PostgreSQL server at STEPGATE_PG_URL is not reachable: {error}")
    return PG_URL


def in_schema(url: str, schema: str) -> str:
    """``url`` with its tables in ``schema`` (libpq's ``options``)."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def fresh_schema_url() -> Iterator[str]:
    """A PostgreSQL schema of its own for one test (dropped after it), as a store URL."""
    import psycopg  # noqa: PLC0415 - the postgres extra

    url = need_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield in_schema(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


class Raw:
    """A plain connection to a record's tables, as a tamperer (or a test) has one.

    SQL uses ``?`` placeholders on both backends; ``body(text)`` is what the
    ``body`` column takes; ``text(value)`` reads one back. ``events`` names the
    table the events are stored in: on SQLite that is ``event_bodies`` (``events``
    is a view over it), so a statement that writes ``events`` writes that table.
    """

    _WRITES = ("UPDATE events ", "DELETE FROM events", "INSERT INTO events ")

    def __init__(self, location: str) -> None:
        self.postgres = is_postgres(location)
        if self.postgres:
            import psycopg  # noqa: PLC0415 - the postgres extra

            self.conn: Any = psycopg.connect(location, autocommit=True)
        else:
            self.conn = sqlite3.connect(location, isolation_level=None)

    def execute(self, sql: str, params: Any = ()) -> Any:
        """Run one statement; its cursor."""
        if not self.postgres:
            for write in self._WRITES:
                sql = sql.replace(write, write.replace("events", "event_bodies"))
            return self.conn.execute(sql, params)
        from stepgate.store.postgres import _sql  # noqa: PLC0415 - the same translation

        return self.conn.execute(_sql(sql, bool(params)), params or None)

    def body(self, text: str) -> Any:
        """A body for the ``body`` column."""
        return text.encode() if self.postgres else text

    @staticmethod
    def text(value: Any) -> str:
        """A ``body`` value as text."""
        return bytes(value).decode() if isinstance(value, bytes | memoryview) else str(value)

    def drop_guards(self) -> None:
        """Lift the insert-only guards, as a tamperer with the rights to would."""
        if self.postgres:
            for table in ("events", "ledger"):
                self.conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            return
        for table in ("event_bodies", "ledger"):
            for verb in ("update", "delete"):
                self.conn.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only_{verb}")

    def restore_guards(self) -> None:
        """Put the guards back exactly as stepgate makes them."""
        if self.postgres:
            for table in ("events", "ledger"):
                self.conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        from stepgate.store.schema import fresh_schema  # noqa: PLC0415 - SQLite's own

        made = fresh_schema().execute(  # the guards drop_guards lifts
            "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name IN ('event_bodies', 'ledger')"
        )
        for (sql,) in made:
            self.conn.execute(sql)

    def add_trigger(self, name: str) -> None:
        """Add a trigger of one's own on the events."""
        if self.postgres:
            self.conn.execute(
                f"CREATE TRIGGER {name} AFTER INSERT ON events"
                " FOR EACH ROW EXECUTE FUNCTION stepgate_insert_only()"
            )
        else:
            self.conn.execute(
                f"CREATE TRIGGER {name} AFTER INSERT ON event_bodies BEGIN SELECT 1; END"
            )

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class TempRecord:
    """A new record of ``kind`` for code that cannot take a fixture (a Hypothesis machine).

    ``location`` is where it is; ``close()`` removes it.
    """

    def __init__(self, kind: str) -> None:
        self._folder: Any = None
        self._schema: Iterator[str] | None = None
        if kind == "sqlite":
            import tempfile  # noqa: PLC0415 - only here

            self._folder = tempfile.TemporaryDirectory()
            self.location = f"{self._folder.name}/record.db"
        else:
            self._schema = fresh_schema_url()
            self.location = next(self._schema)

    def close(self) -> None:
        """Remove the record."""
        if self._folder is not None:
            self._folder.cleanup()
        if self._schema is not None:
            next(self._schema, None)


def server_control() -> tuple[str, str, str]:
    """The test server's folder, binaries and user (``.ci/postgres.sh`` exports them).

    Tests that restart the server need them; skip (fail in CI) where they are not set.
    """
    need_postgres()
    home, binaries, user = (os.environ.get(n, "") for n in ("PG_HOME", "PG_BIN", "PG_USER"))
    if not (home and binaries and user):
        if IN_CI:
            pytest.fail("CI must run the server restart tests: PG_HOME, PG_BIN, PG_USER unset")
        pytest.skip("the PostgreSQL server is not ours to restart (set PG_HOME, PG_BIN, PG_USER)")
    return home, binaries, user


def pg_ctl(*args: str) -> None:
    """Run ``pg_ctl`` on the test server as its own user (PostgreSQL refuses to run as root)."""
    import subprocess  # noqa: PLC0415 - only for the restart tests

    home, binaries, user = server_control()
    command = [
        f"{binaries}/pg_ctl",
        "-D",
        f"{home}/data",
        "-l",
        f"{home}/server.log",  # the server's output goes there, never into our pipe
        "-w",
        *args,
    ]
    if os.geteuid() == 0:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(command, cwd="/", check=True, capture_output=True, timeout=60)
