"""The parties: joining by the mandate, opting out, registering representatives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    LIVE,
    PARTY,
    Command,
    Recordable,
    body,
    member,
    optional_body,
    optional_party_ref,
    outcome,
    party_ref,
)
from stepgate.model.text import Text
from stepgate.model.values import AnyBody, Outcome, Role

if TYPE_CHECKING:
    from stepgate.model.context import Context


def _role(value: Any) -> Role:
    return Role.of(value)


def opting_out(ctx: Context, command: Any) -> list[ev.Event]:
    """The opt-out recorded by ``command`` (an opt-out, or an anchoring whose outcome leaves)."""
    chosen = getattr(command, "body", None)
    return [
        ev.OptedOut(
            command.on,
            ctx.municipality or "",
            chosen.value if chosen is not None else None,
            getattr(command, "case_ref", ""),
            getattr(command, "reason", ""),
            getattr(command, "exemption", None),
            **(command.filing() if isinstance(command, Recordable) else {}),
        )
    ]


def _position(ctx: Context, command: Command, ref: str) -> Iterator[Text]:
    """A position names a member; an opt-out, one that has not opted out yet."""
    s, party = ctx.state, ctx.municipality
    yield from member(s, party, ref)
    if party is not None and command.opts_out(ctx) and party in s.opted_out:
        yield Text(
            f"{s.name_of(party)} har alt meldt seg ut",
            f"{s.name_of(party)} has opted out already",
        )


@attrs.frozen
class AnchorMandate(Recordable):
    """A party's body takes a position on the current mandate: it joins when it endorses."""

    action: ClassVar[str] = "anchor_mandate"
    possible: ClassVar[tuple[str, ...]] = (
        "mandate",
        "insight",
        "anchoring",
        "held",
        "planning",
        "decision",
    )
    issued_by: ClassVar[str] = PARTY
    needs: ClassVar[str | None] = "mandate"

    municipality: str = attrs.field(converter=party_ref)
    body: AnyBody = attrs.field(converter=body)
    outcome: Outcome = attrs.field(default=Outcome.ENDORSED, converter=outcome)
    version: int | None = attrs.field(default=None, validator=f.is_whole(1, optional=True))

    def opts_out(self, ctx: Context) -> bool:
        """An anchoring whose outcome is to opt out."""
        return self.outcome == "opted_out"

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The party is a member of the region (and has not opted out, to opt out)."""
        return _position(ctx, self, self.municipality)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The anchoring, with the judgement of whether it joins under the policy."""
        if self.opts_out(ctx):
            return opting_out(ctx, self)
        counts = self.body in ctx.policy.political_bodies and ctx.policy.counts(self.outcome)
        return [
            ev.MandateAnchored(
                self.on,
                ctx.municipality or "",
                ctx.state.mandate_version,
                self.body.value,
                self.outcome.value,
                self.case_ref,
                self.exemption,
                counts,
                **self.filing(),
            )
        ]


@attrs.frozen
class OptOut(Recordable):
    """A party opts out. Always allowed in a non-terminal state (free-to-leave)."""

    action: ClassVar[str] = "opt_out"
    possible: ClassVar[tuple[str, ...]] = LIVE
    issued_by: ClassVar[str] = PARTY
    needs: ClassVar[str | None] = "several"

    municipality: str = attrs.field(converter=party_ref)
    body: AnyBody | None = attrs.field(default=None, converter=optional_body)
    reason: str = attrs.field(default="", validator=f.is_text(what="reason"))

    def opts_out(self, ctx: Context) -> bool:
        """Always."""
        return True

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The party is a member of the region that has not opted out yet."""
        return _position(ctx, self, self.municipality)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The opt-out."""
        return opting_out(ctx, self)


@attrs.frozen
class RegisterRepresentative(Command):
    """Register a person acting for a party (a municipality, or another named party) with a role."""

    action: ClassVar[str] = "register_representative"
    possible: ClassVar[tuple[str, ...]] = LIVE
    issued_by: ClassVar[str] = PARTY

    name: str = attrs.field(validator=f.is_text(required=True, what="representative name"))
    role: Role = attrs.field(converter=_role)
    municipality: str | None = attrs.field(default=None, converter=optional_party_ref)
    party: str = attrs.field(default="", validator=f.is_text(what="party"))

    def __attrs_post_init__(self) -> None:
        if self.municipality is None and not self.party.strip():
            raise InvalidValue(
                nn=f"representanten {self.name!r} handlar for ein kommune eller for ein "
                "namngjeven part (t.d. party='NAV Vestland'); fekk ingen av dei",
                en=f"representative {self.name!r} acts for a municipality or for a named party "
                "(e.g. party='NAV Vestland'); got neither",
            )

    def refs(self, ctx: Context) -> Iterator[Text]:
        """A representative's municipality is a member of the region."""
        if self.municipality is not None:
            yield from member(ctx.state, ctx.municipality, self.municipality)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """Its party's people (another party than a member: the secretariat's to record)."""
        yield (
            (ctx.municipality if self.municipality is not None else None),
            Text("representanten", "the representative"),
        )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The representative, with the next id (R1, R2, …)."""
        return [
            ev.RepresentativeRegistered(
                self.on,
                f"R{len(ctx.state.representatives) + 1}",
                self.name,
                self.role.value,
                ctx.municipality,
                self.party,
            )
        ]
