"""Documents a user files: ``stepgate.Document``, and how the store stages their bytes.

A ``Document`` is what a case worker hands over — a title, a kind, the bytes
(``bytes``, a file path or a binary stream), a file name, a media type, and
its screening. It is checked when it is made (all but the bytes); when a
command files it, the store reads the bytes once (``Staging.file``), hashing
and spooling them, and the command carries the ``FiledDocument`` — what the
record holds of it — while the bytes wait to be written in the command's own
transaction. Nothing is kept in memory whole.
"""

from __future__ import annotations

import mimetypes
import os
import pathlib
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import documents as d
from stepgate.model import fields as f
from stepgate.model.documents import FiledDocument
from stepgate.model.exemptions import citation
from stepgate.store.documents import Staged, stage


def _content(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview | str | os.PathLike):
        return value
    if callable(getattr(value, "read", None)):
        return value
    raise f.refuse(
        "content",
        value,
        nn="byte, ei filsti eller ein binær straum",
        en="bytes, a file path or a binary stream",
    )


def _exemption(value: Any) -> str | None:
    return None if value is None else citation(value)


def _replaces(value: Any) -> str | None:
    if isinstance(value, FiledDocument):
        return value.sha256
    return d.optional_checksum(value)


@attrs.frozen
class Document:
    """A document to file with a command: ``Document("Saksframlegg", "saksframlegg", path)``.

    ``filename`` defaults to the path's base name (a path is given as its base
    name only); ``media_type`` to what the file name says (``application/pdf``).
    ``exemption`` screens it (``Exemption("offl. § 13", statute="fvl. § 13")``
    or its citation); ``public_title`` is its title for the public journal
    when the title itself must be screened. ``replaces`` names the document
    (or its SHA-256) that this one is a new version of.
    """

    title: str = attrs.field(validator=f.is_text(required=True, what="title"))
    kind: str = attrs.field(converter=d.kind)
    content: Any = attrs.field(converter=_content, repr=False)
    filename: str = attrs.field(default="", validator=f.is_text(what="filename"))
    media_type: str = attrs.field(default="", validator=f.is_text(what="media_type"))
    exemption: str | None = attrs.field(default=None, converter=_exemption)
    public_title: str = attrs.field(default="", validator=f.is_text(what="public_title"))
    replaces: str | None = attrs.field(default=None, converter=_replaces)

    def __attrs_post_init__(self) -> None:
        name = self.filename or _name_of(self.content)
        if not name:
            raise InvalidValue(
                nn="filename: gje filnamnet til dokumentet (t.d. 'saksframlegg.pdf'); "
                "innhaldet har ikkje noko",
                en="filename: give the document's file name (e.g. 'saksframlegg.pdf'); its "
                "bytes carry none",
            )
        object.__setattr__(self, "filename", d.filename(name))
        guessed = self.media_type or mimetypes.guess_type(self.filename)[0]
        object.__setattr__(self, "media_type", d.media_type(guessed or "application/octet-stream"))

    def filed(self, staged: Staged) -> FiledDocument:
        """What the record holds of this document, its bytes read as ``staged``."""
        wrong = d.contradiction(self.media_type, staged.head)
        if wrong is not None:
            raise wrong
        return FiledDocument(
            staged.sha256,
            staged.size,
            self.title,
            self.kind,
            self.filename,
            self.media_type,
            self.exemption,
            self.public_title,
            self.replaces,
        )


def _name_of(content: Any) -> str:
    """The base name of a path, or of a stream opened from one (``open(path, 'rb')``)."""
    if isinstance(content, str | os.PathLike):
        return pathlib.Path(content).name
    name = getattr(content, "name", None)
    return pathlib.Path(name).name if isinstance(name, str) else ""


class Staging:
    """The bytes of documents read for commands that have not written them yet, by SHA-256.

    One per store, shared by its threads. ``file`` reads; the command's write
    takes the bytes (``staged``); ``let_go`` closes what a command no longer
    needs (spools in temporary files are removed).
    """

    def __init__(self) -> None:
        self._staged: dict[str, Staged] = {}
        self._users: dict[str, int] = {}
        self._lock = threading.Lock()

    def file(self, documents: Any) -> tuple[FiledDocument, ...]:
        """Read each ``Document``'s bytes once and keep them; what the record will hold."""
        given = [documents] if isinstance(documents, Document | FiledDocument) else documents
        if not isinstance(given, Sequence) or isinstance(given, str | bytes):
            raise f.refuse(
                "documents",
                documents,
                nn="ei liste av stepgate.Document",
                en="a list of stepgate.Document",
            )
        filed: list[FiledDocument] = []
        try:
            for document in given:
                filed.append(self._file_one(document))
        except BaseException:
            self.let_go(filed)
            raise
        return tuple(filed)

    def _file_one(self, document: Any) -> FiledDocument:
        if isinstance(document, FiledDocument):  # its bytes are in the store already (or not)
            return document
        if not isinstance(document, Document):
            raise f.refuse(
                "each of documents", document, nn="eit stepgate.Document", en="a stepgate.Document"
            )
        staged = stage(document.content)
        try:
            filed = document.filed(staged)
        except BaseException:
            staged.close()
            raise
        with self._lock:
            kept = self._staged.setdefault(staged.sha256, staged)
            self._users[staged.sha256] = self._users.get(staged.sha256, 0) + 1
        if kept is not staged:
            staged.close()
        return filed

    def staged(self, documents: Iterable[FiledDocument]) -> dict[str, Staged]:
        """The bytes kept for ``documents``, by SHA-256 (those not kept are the store's already)."""
        with self._lock:
            return {x.sha256: self._staged[x.sha256] for x in documents if x.sha256 in self._staged}

    def let_go(self, documents: Iterable[FiledDocument]) -> None:
        """A command is done with ``documents``: close the bytes nobody else waits for."""
        with self._lock:
            for document in documents:
                left = self._users.get(document.sha256, 0) - 1
                if left > 0:
                    self._users[document.sha256] = left
                    continue
                self._users.pop(document.sha256, None)
                found = self._staged.pop(document.sha256, None)
                if found is not None:
                    found.close()

    def close(self) -> None:
        """Let go of everything (the store closes)."""
        with self._lock:
            staged, self._staged, self._users = list(self._staged.values()), {}, {}
        for found in staged:
            found.close()
