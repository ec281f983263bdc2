"""The case file afterwards: documents added to the investigation, a step or a position, and
the archive's case number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    ANYONE,
    EVERY_STATE,
    SECRETARIAT,
    Command,
    Filing,
    member,
    optional_party_ref,
)
from stepgate.model.references import CaseNumber
from stepgate.model.text import Text

if TYPE_CHECKING:
    from stepgate.model.context import Context


@attrs.frozen
class AddDocument(Filing):
    """File documents afterwards: to the investigation, a step, or a party's position at it.

    A new version of a document is a document that ``replaces`` the old one
    (its SHA-256): the old stays in the record.
    """

    action: ClassVar[str] = "add_document"
    possible: ClassVar[tuple[str, ...]] = EVERY_STATE  # the case file stays open after the end
    issued_by: ClassVar[str] = ANYONE

    step: int | None = attrs.field(default=None, validator=f.is_whole(1, optional=True))
    municipality: str | None = attrs.field(default=None, converter=optional_party_ref)

    def refs(self, ctx: Context) -> Iterator[Text]:
        """Documents are given; the step is one of this investigation's; a position's party is a
        member (the engine checks the documents themselves: ``filed_refs``)."""
        s = ctx.state
        if not self.documents:
            yield Text("ingen dokument er gjevne", "no documents are given")
        if self.step is not None and not 1 <= self.step <= s.step_number:
            yield Text(
                f"steg {self.step} finst ikkje i {s.key} (stega er 1 til {s.step_number})",
                f"step {self.step} is not a step of {s.key!r} (its steps are 1 to {s.step_number})",
            )
        if self.municipality is not None:
            yield from member(s, ctx.municipality, self.municipality)
            if self.step is None:
                yield Text(
                    "ein posisjon høyrer til eit steg: gje step=…",
                    "a position belongs to a step: give step=…",
                )

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """A document to a party's position speaks for that party; any other, for the case."""
        if self.municipality is not None:
            yield (
                ctx.municipality,
                Text(
                    "eit dokument til posisjonen til parten", "a document for the party's position"
                ),
            )
        else:
            yield None, Text("eit dokument til saka", "a document for the case file")

    def events(self, ctx: Context) -> list[ev.Event]:
        """The documents, where they belong."""
        return [ev.DocumentAdded(self.on, self.documents, self.step, ctx.municipality)]


def _case_number(value: Any) -> CaseNumber:
    return value if isinstance(value, CaseNumber) else CaseNumber(value)


def filed_refs(ctx: Context, documents: Any) -> Iterator[Text]:
    """Each document a command files is new to this investigation; one it replaces was filed
    here. The engine asks it of every command that files documents."""
    filed = ctx.state.filed
    for document in documents:
        if document.sha256 in filed:
            yield Text(
                f"dokumentet {document.title!r} ({document.sha256[:12]}…) er alt arkivert i saka",
                f"document {document.title!r} ({document.sha256[:12]}…) is filed in this "
                "investigation already",
            )
        if document.replaces is not None and document.replaces not in filed:
            yield Text(
                f"dokumentet som {document.title!r} skal erstatte ({document.replaces[:12]}…), "
                "er ikkje arkivert i denne saka",
                f"the document {document.title!r} replaces ({document.replaces[:12]}…) is not "
                "filed in this investigation",
            )


@attrs.frozen
class SetCaseNumber(Command):
    """Record the archive's case number for the investigation (its saksmappe)."""

    action: ClassVar[str] = "set_case_number"
    possible: ClassVar[tuple[str, ...]] = EVERY_STATE
    issued_by: ClassVar[str] = SECRETARIAT

    case_number: CaseNumber = attrs.field(converter=_case_number)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The case number."""
        return [ev.CaseNumbered(self.on, self.case_number)]
