"""Documents' bytes in the store: staged, written once per content, read back as a stream.

A document's bytes are stored in ``document_chunks`` (1 MiB each, numbered
from 0) under its SHA-256 (hex), with one row in ``documents`` giving its size
and number of chunks; both tables are insert-only. Content is written once:
a second document with the same bytes names the same rows. Nothing is ever
held whole in memory: ``stage`` reads a source (bytes, a file path or a binary
stream) once, hashing it and spooling it to a temporary file; ``write`` copies
the spool into the database chunk by chunk, inside the transaction of the
command that files the document; ``DocumentReader`` reads the chunks back one
at a time and checks the SHA-256 and size at the end; ``check`` re-hashes a
stored document for ``verify``.
"""

from __future__ import annotations

import hashlib
import io
import os
import pathlib
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from stepgate.errors import InvalidValue, RecordBroken, StorageUnavailable

CHUNK = 1 << 20
"""The size of one stored chunk (the last one of a document may be shorter)."""

BATCH = 4
"""Chunks read per query when a document is read back (memory: BATCH × CHUNK at most)."""

SPOOL = 1 << 20
"""Up to this many bytes a staged document stays in memory; beyond, in a temporary file."""

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO
"""What a document's bytes come from."""


class Staged:
    """A document's bytes read once: their SHA-256, size, first bytes, and how to read them again.

    Bytes are read again from memory, a file from its path, a seekable stream
    from where it started; only a stream that cannot seek is spooled (in memory
    up to ``SPOOL`` bytes, beyond that in a temporary file). ``write`` hashes what
    it reads again, so a file changed in between is refused, never stored.
    """

    __slots__ = ("_again", "_spool", "head", "sha256", "size")

    def __init__(
        self,
        sha256: str,
        size: int,
        head: bytes,
        again: Callable[[], Any],
        spool: BinaryIO | None = None,
    ) -> None:
        self.sha256, self.size, self.head = sha256, size, head
        self._again, self._spool = again, spool

    def chunks(self) -> Iterator[bytes]:
        """The bytes again, a chunk at a time."""
        reading = self._again()
        try:
            while block := reading.read(CHUNK):
                yield block
        finally:
            if reading is not self._spool:
                reading.close()

    def close(self) -> None:
        """Let go of a spool (a temporary file is removed)."""
        if self._spool is not None:
            self._spool.close()


def stage(source: Any, field: str = "content") -> Staged:
    """Read ``source`` once: hash it and measure it. ``InvalidValue`` names what is wrong.

    An empty source, a folder, a file that cannot be read, or something that is
    no bytes at all is refused; nothing is written anywhere (but a spool, for a
    stream that cannot seek).
    """
    again, spool = _again(source, field)
    try:
        digest, size, head = hashlib.sha256(), 0, b""
        with _opened(source, field) as reading:
            while block := reading(CHUNK):
                digest.update(block)
                if spool is not None:
                    spool.write(block)
                if len(head) < 64:
                    head = (head + bytes(block[:64]))[:64]
                size += len(block)
    except BaseException:
        if spool is not None:
            spool.close()
        raise
    if size == 0:
        if spool is not None:
            spool.close()
        raise InvalidValue(
            nn=f"{field}: dokumentet er tomt (0 byte); eit dokument har innhald",
            en=f"{field}: the document is empty (0 bytes); a document has content",
        )
    return Staged(digest.hexdigest(), size, head, again, spool)


def _again(source: Any, field: str) -> tuple[Callable[[], Any], Any]:
    """How to read ``source`` again when it is written, and the spool that needs (if any)."""
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        return (lambda: io.BytesIO(view)), None
    if isinstance(source, str | os.PathLike):
        path = pathlib.Path(source)
        return (lambda: _file(path, field, again=True)), None
    seekable = getattr(source, "seekable", None)
    if callable(seekable) and seekable():
        start = source.tell()

        def rewound() -> _Borrowed:
            source.seek(start)
            return _Borrowed(source)

        return rewound, None
    spool: Any = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - kept open

    def spooled() -> BinaryIO:
        spool.seek(0)
        return spool  # type: ignore[no-any-return]

    return spooled, spool


def _file(path: pathlib.Path, field: str, *, again: bool = False) -> BinaryIO:
    """``path`` opened for reading; ``InvalidValue`` naming the field when it cannot be (read
    ``again`` when it is written: then it could be read a moment ago)."""
    try:
        return path.open("rb")
    except OSError as error:
        more, lenger = (" any more", " lenger") if again else ("", "")
        raise InvalidValue(
            nn=f"{field}: fila {str(path)!r} kan ikkje lesast{lenger}",
            en=f"{field}: the file {str(path)!r} cannot be read{more}",
            detail=f"{type(error).__name__}: {error}",
        ) from None


class _Borrowed(io.RawIOBase):
    """A caller's stream, read again without being closed afterwards (it is theirs)."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return bytes(self.stream.read(size))

    def close(self) -> None:
        """Leave the caller's stream open."""
        super().close()


class _opened:  # noqa: N801 - used as a context manager, like open()
    """The read function of a source, opened for the ``with`` block (a path) or as it is."""

    def __init__(self, source: Any, field: str) -> None:
        self.source, self.field = source, field
        self.file: Any = None

    def __enter__(self) -> Callable[[int], bytes]:
        source, field = self.source, self.field
        if isinstance(source, bytes | bytearray | memoryview):
            return io.BytesIO(bytes(source)).read
        if isinstance(source, str | os.PathLike):
            path = pathlib.Path(source)
            if path.is_dir():
                raise _refused(
                    field,
                    f"{str(path)!r} is a folder, not a file",
                    f"{str(path)!r} er ei mappe, ikkje ei fil",
                )
            self.file = _file(path, field)
            return self._read
        read = getattr(source, "read", None)
        if callable(read):
            return lambda size: _bytes(read(size), field)
        raise _refused(
            field,
            f"bytes, a file path or a binary stream; got {type(source).__name__}",
            f"byte, ei filsti eller ein binær straum; fekk {type(source).__name__}",
        )

    def _read(self, size: int) -> bytes:
        try:
            return self.file.read(size)  # type: ignore[no-any-return]
        except OSError as error:
            raise InvalidValue(
                nn=f"{self.field}: fila kan ikkje lesast til endes",
                en=f"{self.field}: the file cannot be read to its end",
                detail=f"{type(error).__name__}: {error}",
            ) from None

    def __exit__(self, *_: object) -> None:
        if self.file is not None:
            self.file.close()


def _bytes(block: Any, field: str) -> bytes:
    if not isinstance(block, bytes | bytearray | memoryview):
        raise _refused(
            field,
            f"a binary stream (read() gave {type(block).__name__}; open the file with 'rb')",
            f"ein binær straum (read() gav {type(block).__name__}; opne fila med 'rb')",
        )
    return bytes(block)


def _refused(field: str, what: str, kva: str) -> InvalidValue:
    return InvalidValue(nn=f"{field}: {kva}", en=f"{field}: {what}")


# --- in the database ---------------------------------------------------------------------


def write(conn: Any, staged: Staged) -> None:
    """Store ``staged`` in the current transaction, unless its content is stored already.

    The bytes are hashed again as they are written: a spool that changed since
    it was staged is refused, and the transaction with it.
    """
    found = conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", [staged.sha256]).fetchone()
    if found is not None:
        return
    digest, count, size = hashlib.sha256(), 0, 0
    for count, block in enumerate(staged.chunks(), start=1):
        digest.update(block)
        size += len(block)
        conn.execute(
            "INSERT INTO document_chunks (document, n, data) VALUES (?, ?, ?)",
            [staged.sha256, count - 1, block],
        )
    if (digest.hexdigest(), size) != (staged.sha256, staged.size):
        raise StorageUnavailable(
            nn="eit dokument vart endra medan det vart lagra; ingenting vart skrive",
            en="a document changed while it was being stored; nothing was written",
        )
    conn.execute(
        "INSERT INTO documents (sha256, size, chunks) VALUES (?, ?, ?)",
        [staged.sha256, staged.size, count],
    )


def check(conn: Any, sha256: str, size: int, chunks: int) -> tuple[str, str] | None:
    """Why the stored document ``sha256`` is not what its row says, in English and Nynorsk
    (None when it is): every chunk read and hashed."""
    digest, got = hashlib.sha256(), 0
    held = conn.execute(
        "SELECT count(*) FROM document_chunks WHERE document = ?", [sha256]
    ).fetchone()[0]
    for n in range(chunks):  # one chunk at a time: memory does not grow with the document
        data = read_chunk(conn, sha256, n)
        if data is None:
            return f"chunk {n} is missing", f"bit {n} manglar"
        digest.update(data)
        got += len(data)
    if held != chunks or got != size:
        return (
            f"it holds {got} bytes in {held} chunk(s); it was stored with {size} (cut)",
            f"det har {got} byte i {held} bit; det vart lagra med {size} (skore av)",
        )
    if digest.hexdigest() != sha256:
        return (
            "its bytes do not have its SHA-256 (changed)",
            "bytane har ikkje SHA-256-en sin (endra)",
        )
    return None


def read_chunk(conn: Any, sha256: str, n: int) -> bytes | None:
    """Chunk ``n`` of the stored document ``sha256`` (None when there is none)."""
    found = conn.execute(
        "SELECT data FROM document_chunks WHERE document = ? AND n = ?", [sha256, n]
    ).fetchone()
    return None if found is None else bytes(found[0])


def read_chunks(conn: Any, sha256: str, first: int, count: int) -> dict[int, bytes]:
    """Chunks ``first`` to ``first + count - 1`` of a stored document, by number."""
    rows = conn.execute(
        "SELECT n, data FROM document_chunks WHERE document = ? AND n BETWEEN ? AND ?",
        [sha256, first, first + count - 1],
    ).fetchall()
    return {n: bytes(data) for n, data in rows}


def copy(source: Any, target: Any) -> None:
    """Every stored document from ``source`` into ``target``, a chunk at a time."""
    rows = source.execute("SELECT sha256, size, chunks FROM documents ORDER BY sha256").fetchall()
    for sha256, size, chunks in rows:
        for n in range(chunks):
            data = read_chunk(source, sha256, n)
            if data is not None:
                target.execute(
                    "INSERT INTO document_chunks (document, n, data) VALUES (?, ?, ?)",
                    [sha256, n, data],
                )
        target.execute(
            "INSERT INTO documents (sha256, size, chunks) VALUES (?, ?, ?)", [sha256, size, chunks]
        )


class DocumentReader(io.RawIOBase):
    """A stored document, read a chunk at a time; at its end the SHA-256 and size are checked.

    ``read_chunk(n)`` gives chunk ``n`` (None past the last). A document whose
    bytes do not match raises ``RecordBroken`` instead of ending quietly.
    """

    def __init__(self, sha256: str, size: int, read_chunk: Callable[[int], bytes | None]) -> None:
        super().__init__()
        self.sha256, self.size, self._chunk = sha256, size, read_chunk
        self._digest, self._read, self._n = hashlib.sha256(), 0, 0
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        """A document can be read."""
        return True

    def readinto(self, target: Any) -> int:
        """Fill ``target`` from the document; 0 at its (checked) end."""
        if not self._buffer and not self._done:
            self._next()
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count

    def _next(self) -> None:
        block = self._chunk(self._n)
        if block is None:
            self._done = True
            if (self._digest.hexdigest(), self._read) != (self.sha256, self.size):
                raise RecordBroken(
                    nn=f"dei lagra bytane til dokumentet {self.sha256[:12]}… stemmer ikkje med "
                    "SHA-256 og storleik: køyr verify",
                    en=f"the stored bytes of document {self.sha256[:12]}… do not match its "
                    "SHA-256 and size: run verify",
                )
            return
        self._n += 1
        self._digest.update(block)
        self._read += len(block)
        self._buffer = block
