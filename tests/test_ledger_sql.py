"""The ledger hash has one home: PostgreSQL computes the SQL made from the same definition as
the Python, and the shared SQL reaches psycopg with nothing rewritten but its placeholders."""

from __future__ import annotations

import ast
import hashlib
import pathlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stepgate
from stepgate.store import pg_schema, postgres
from stepgate.store.record import LEDGER_PARTS, ledger_hash, ledger_hash_sql
from tests._db import need_postgres

STORE = pathlib.Path(stepgate.__file__).parent / "store"
HASHES = st.binary(min_size=32, max_size=32)
POSITIONS = st.integers(min_value=1, max_value=(1 << 63) - 1)


def evaluate(sql: str, values: dict[str, bytes | int]) -> bytes:
    """The value of a ``sha256(a || int8send(b) || c)`` expression, as PostgreSQL defines its
    functions: ``sha256`` of the concatenated ``bytea``, ``int8send`` 8 bytes big-endian."""
    found = re.fullmatch(r"sha256\((.*)\)", sql)
    assert found, sql
    data = b""
    for term in found[1].split(" || "):
        sent = re.fullmatch(r"int8send\((\w+)\)", term)
        if sent:
            number = values[sent[1]]
            assert isinstance(number, int)
            data += number.to_bytes(8, "big", signed=True)
        else:
            value = values[term]
            assert isinstance(value, bytes)
            data += value
    return hashlib.sha256(data).digest()


@given(before=st.one_of(st.just(b""), HASHES), position=POSITIONS, head=HASHES)
def test_the_sql_computes_what_the_python_computes(
    before: bytes, position: int, head: bytes
) -> None:
    """For any row, the SQL expression made from ``LEDGER_PARTS`` gives the bytes
    ``ledger_hash`` gives (the first row's ``before`` is empty)."""
    sql = ledger_hash_sql("before", "position", "head")
    values = {"before": before, "position": position, "head": head}
    assert evaluate(sql, values) == ledger_hash(before, position, head)


def test_postgres_commits_with_the_expression_made_here() -> None:
    """The function every PostgreSQL command's ledger row is made by holds the generated
    expression, and the Python covers the parts in the declared order."""
    assert LEDGER_PARTS == ("before", "position", "head")
    made = ledger_hash_sql(pg_schema._BEFORE, "at", "head")
    assert made in pg_schema.COMMIT_FUNCTION
    assert "sha256(" not in pg_schema.COMMIT_FUNCTION.replace(made, "")
    assert "stepgate_commit(" in postgres._COMMIT


SHARED = ("backend.py", "audit.py", "verify.py", "documents.py", "record.py", "connections.py")
"""The store's modules whose SQL both backends run (``sqlite``/``schema`` are SQLite's own,
``postgres``/``pg_schema`` PostgreSQL's)."""


def _sql_strings() -> list[tuple[str, str]]:
    """Every string in the shared modules that reads as an SQL statement, with where it is."""
    found = []
    for path in (STORE / name for name in SHARED):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip().upper()
                if text.startswith(("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH ")):
                    found.append((f"{path.name}:{node.lineno}", node.value))
    return found


def test_no_shared_statement_has_a_placeholder_or_percent_of_its_own() -> None:
    """No quoted literal in the store's SQL holds a ``?`` or a ``%``, so writing ``?`` as
    ``%s`` (and ``%`` as ``%%``) is all psycopg needs; nothing else is rewritten."""
    statements = _sql_strings()
    assert len(statements) > 20
    for where, sql in statements:
        for literal in re.findall(r"'[^']*'", sql):
            assert "?" not in literal, where
            assert "%" not in literal, where
    assert postgres._sql("SELECT CAST(body AS BLOB) FROM events WHERE id = ?", True) == (
        "SELECT CAST(body AS BLOB) FROM events WHERE id = %s"
    )


@pytest.mark.parametrize(
    ("before", "position", "head"),
    [
        (b"", 1, bytes(32)),
        (bytes(range(32)), 96, b"\xff" * 32),
        (b"\x01" * 32, (1 << 63) - 1, bytes(range(32, 64))),
    ],
)
def test_postgresql_itself_computes_what_the_python_computes(
    before: bytes, position: int, head: bytes
) -> None:
    """On a real server, the generated expression gives ``ledger_hash``'s bytes, byte for byte."""
    import psycopg  # noqa: PLC0415 - the postgres extra

    sql = ledger_hash_sql("%(before)s::bytea", "%(position)s::bigint", "%(head)s::bytea")
    with psycopg.connect(need_postgres()) as conn:
        row = conn.execute(
            f"SELECT {sql}",
            {"before": before, "position": position, "head": head},
        ).fetchone()
    assert row is not None
    assert bytes(row[0]) == ledger_hash(before, position, head)
