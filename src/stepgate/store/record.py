"""The record's format, apart from any database: bodies, hashes, the ledger, checkpoints.

An event is stored as one canonical JSON ``body`` (what its hash covers, all
of it). Each investigation's events form a hash chain:
``hash = sha256(body || the hash of the event before)``. Every commit also appends one row to the
store-wide **ledger**: its ``position`` (how many events the store holds after
it, counted in commit order), the id of its last event, and
``ledger_hash = sha256(prev_ledger_hash || position as 8 bytes || that event's hash)``.
The ledger ties every investigation's chain into one order, so a deleted
investigation, a cut tail or an event moved between investigations is a break,
and a **checkpoint** — a position with its ledger hash, short enough for the
minutes of a meeting — lets anyone prove later that the record still extends
what it was, even against someone who recomputed every hash.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import events as ev
from stepgate.model.serial import (
    BUILDERS,
    canonical_bytes,
    parse_json,
    state_from_dict,
    state_to_dict,
)
from stepgate.model.state import InvestigationState
from stepgate.model.text import Text
from stepgate.model.values import Actor

GENESIS = b""
"""The previous hash of an investigation's first event, and of the ledger's first row."""

LAST_SEQ = (1 << 32) - 1
"""The highest ``seq`` an id has room for (4 294 967 295 events per investigation)."""

SNAPSHOT_FORMAT = 4
"""The layout of a snapshot's state; a snapshot of another layout is never used.

3: the working state (counts and difficulties; no history: issue 14).
4: and the documents filed, and the archive's case number (issue 20).
"""


class Replayer(Protocol):
    """What the store needs from the engine to rebuild a state: a fold."""

    def fold(
        self, state: InvestigationState | None, events: Iterable[ev.Event]
    ) -> InvestigationState:
        """``state`` with the next ``events`` of its log folded in (from nothing when None)."""


def event_id(number: int, seq: int) -> int:
    """The ``events.id`` of event ``seq`` of investigation ``number``: its place in the log.

    Each investigation's events sit together and in order in the rowid B-tree,
    so an investigation is one range of ids and appending writes one B-tree.
    """
    return (number << 32) | seq


def chain_hash(body: bytes, prev: bytes) -> bytes:
    """sha256 of the event's canonical JSON (its UTF-8 bytes) followed by the previous hash."""
    return hashlib.sha256(body + prev).digest()


LEDGER_PARTS = ("before", "position", "head")
"""What a ledger row's hash covers, in this order: the hash of the row before (empty for the
first row), the row's position as 8 bytes (big-endian, signed: PostgreSQL's ``int8send``),
and the hash of the commit's last event. The one definition: ``ledger_hash`` computes it
here, ``ledger_hash_sql`` writes it for a database to compute."""

_IN_ORDER = operator.itemgetter(*(("before", "position", "head").index(p) for p in LEDGER_PARTS))


def ledger_hash(prev: bytes, position: int, head: bytes) -> bytes:
    """The ledger's hash after a commit that ends at ``position`` with event hash ``head``."""
    parts = (prev, position.to_bytes(8, "big", signed=True), head)
    return hashlib.sha256(b"".join(_IN_ORDER(parts))).digest()


def ledger_hash_sql(before: str, position: str, head: str) -> str:
    """``ledger_hash`` as an SQL expression over the SQL expressions given for its parts
    (PostgreSQL: ``sha256``, ``int8send`` and ``||`` on ``bytea``)."""
    parts = {"before": before, "position": f"int8send({position})", "head": head}
    return "sha256(" + " || ".join(parts[p] for p in LEDGER_PARTS) + ")"


@attrs.frozen
class ChainBreak:
    """Where the record first fails, and why.

    ``part`` says what broke: ``chain`` (an event), ``row`` (the investigations
    row), ``snapshot``, ``ledger``, ``events`` (rows that belong nowhere),
    ``schema`` or ``checkpoint``. ``investigation`` is empty for store-wide
    parts; ``seq`` is the event (or ledger position) where it shows, 0 if none.
    ``why`` says why, in Nynorsk and English.
    """

    investigation: str
    seq: int
    why: Text
    part: str = "chain"

    @property
    def reason(self) -> str:
        """Why, in English (``why.en``)."""
        return self.why.en

    @property
    def nn(self) -> str:
        """Why, in Nynorsk (``why.nn``)."""
        return self.why.nn

    def __str__(self) -> str:
        where = self.investigation or self.part
        at = f" {'position' if self.part in _POSITIONED else 'seq'} {self.seq}:" if self.seq else ""
        return f"{where}:{at} {self.reason}"

    def message(self, lang: str = "en") -> str:
        """The break in ``lang``: in Nynorsk, what broke and where, the technical reason after."""
        if lang != "nn":
            return str(self)
        where = _PARTS_NN.get(self.part, self.part)
        at = (
            f" ({'posisjon' if self.part in _POSITIONED else 'hending'} {self.seq})"
            if self.seq
            else ""
        )
        return f"{self.investigation or 'lageret'}: {where}{at}: {self.why.nn}"


_POSITIONED = ("ledger", "checkpoint")
"""The parts whose ``seq`` is a store-wide position, not an event."""

_PARTS_NN = {
    "chain": "kjeda av hendingar er broten",
    "row": "rada i investigations er endra",
    "snapshot": "det lagra biletet av tilstanden stemmer ikkje med kjeda",
    "ledger": "den felles journalen (ledger) stemmer ikkje",
    "events": "hendingar høyrer ikkje til nokon utgreiing",
    "schema": "skjemaet er endra",
    "checkpoint": "journalen byggjer ikkje vidare på kontrollpunktet",
    "document": "eit dokument stemmer ikkje",
}
"""What broke, in Nynorsk, by ``ChainBreak.part``."""


def schema_break(kind: str, name: str, what: str) -> ChainBreak:
    """A schema object stepgate made that is ``missing``, ``changed``, ``disabled`` or ``foreign``
    (not made by stepgate)."""
    said = _SCHEMA_WORDS[what]
    noun = _KINDS_NN.get(kind, kind)
    why = Text(nn=f"{noun} {name} {said.nn}", en=f"{kind} {name} {said.en}")
    return ChainBreak("", 0, why, "schema")


_SCHEMA_WORDS = {
    "missing": Text(nn="manglar", en="is missing"),
    "changed": Text(nn="er endra", en="was changed"),
    "disabled": Text(nn="er slått av", en="is disabled"),
    "foreign": Text(nn="er ikkje laga av stepgate", en="was not made by stepgate"),
}
_KINDS_NN = {
    "table": "tabellen",
    "trigger": "utløysaren",
    "view": "vyen",
    "index": "indeksen",
    "function": "funksjonen",
}


_CHECKPOINT = re.compile(r"stepgate:([0-9]+):([0-9a-f]{64})", re.ASCII | re.IGNORECASE)


@attrs.frozen
class Checkpoint:
    """A store-wide checkpoint: the ledger's position and hash, for the minutes.

    ``str(checkpoint)`` is its printable form, ``stepgate:<position>:<hash>``;
    ``Checkpoint.parse`` reads it back.
    """

    position: int
    hash: str

    def __str__(self) -> str:
        return f"stepgate:{self.position}:{self.hash}"

    @classmethod
    def parse(cls, text: str | Checkpoint) -> Checkpoint:
        """The checkpoint written as ``stepgate:<position>:<64 hex digits>``.

        Case does not matter (minutes are sometimes typed in capitals): the hash
        is kept in lower case, as stepgate prints it.
        """
        if isinstance(text, Checkpoint):
            return text
        found = _CHECKPOINT.fullmatch(text.strip()) if isinstance(text, str) else None
        if found is None:
            raise InvalidValue(
                nn=f"eit kontrollpunkt er skrive 'stepgate:<posisjon>:<64 heksadesimale "
                f"siffer>'; fekk {text!r}",
                en=f"a checkpoint reads 'stepgate:<position>:<64 hex digits>'; got {text!r}",
            )
        return cls(int(found[1]), found[2].lower())


@attrs.frozen
class Verification:
    """The result of verifying a store: breaks (empty when sound), heads, counts.

    ``heads`` are the head hashes as computed from the events, by key.
    ``events`` is how many events the record holds (not how far a walk got).
    ``checkpoint`` is the store's checkpoint now (None when the ledger is broken).
    ``unreplayed`` names the investigations whose process is not known here (by
    key, with the process their first event names): their chains, places, rows,
    snapshots' bindings and the ledger were checked, but their states could not be
    rebuilt, so the verification is not whole. ``chain_only`` says that less was
    asked for (``verify(chain_only=True)``): nothing was replayed, on purpose.
    ``since`` is the checkpoint a ``verify(since=…)`` started from: then only what
    was written after it was checked, and ``heads`` holds the investigations that
    moved since.
    """

    breaks: tuple[ChainBreak, ...]
    heads: dict[str, str]
    events: int
    checkpoint: Checkpoint | None = None
    unreplayed: tuple[str, ...] = ()
    chain_only: bool = False
    unknown: dict[str, str] = attrs.field(factory=dict)
    since: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        """True when everything asked for was checked and nothing is broken."""
        return not self.breaks and not self.unreplayed

    @property
    def intact(self) -> bool:
        """True when nothing checked is broken (some investigations may not be replayed)."""
        return not self.breaks

    @property
    def tier(self) -> str:
        """What was asked for, named for what it proves: ``full`` (every investigation
        replayed, the whole record), ``chain`` (the whole record's hashes, places, rows,
        ledger and documents, no replay) or ``since`` (only what is new since a checkpoint)."""
        if self.since is not None:
            return "since"
        return "chain" if self.chain_only else "full"


@attrs.frozen
class Filed:
    """A document an event files, as its body says: SHA-256, size, title, and the event's seq."""

    sha256: str
    size: int
    title: str
    seq: int


@attrs.frozen
class Audit:
    """An investigation replayed from its verified events: the state and the first break."""

    state: InvestigationState | None
    broken: ChainBreak | None
    events: int
    head: str = ""
    documents: tuple[Filed, ...] = ()  # every document its events file

    @property
    def ok(self) -> bool:
        """True when the whole record of the investigation holds."""
        return self.broken is None


@attrs.frozen
class Summary:
    """One investigation as listed: key, title, state, version, last activity.

    A listing reads the ``investigations`` row, which only the events vouch for.
    ``vouched`` is None when nothing was checked; with ``summaries(checked=True)``
    it says whether the investigation's first event (its hash intact) names the
    row's key, title and process: False means the row was edited (run verify).
    """

    key: str
    title: str
    process: str
    state: str
    version: int
    updated_at: str
    head_hash: str
    vouched: bool | None = None


def vouches(summary: Summary, body: bytes | None, hashed: bytes | None) -> bool:
    """True when ``body`` is a sound first event (``hashed`` is its hash) naming the row's words."""
    if body is None or hashed is None or chain_hash(bytes(body), GENESIS) != bytes(hashed):
        return False
    try:
        doc = parse_json(body)
        data = doc["data"]
        return (
            doc["kind"] == "created"
            and doc["seq"] == 1
            and doc["investigation"] == summary.key
            and (data["title"], data["process"]) == (summary.title, summary.process)
        )
    except (KeyError, TypeError, ValueError):
        return False


@attrs.frozen
class FeedEvent:
    """An event in the store-wide feed: its position, its investigation, the event as recorded.

    ``position`` counts every event of the store in commit order, from 1, with
    no gaps: a consumer that has handled position ``n`` asks for the events
    after ``n``. ``hash`` is the event's chain hash (hex).
    """

    position: int
    investigation: str
    recorded: ev.Recorded
    hash: str

    @property
    def kind(self) -> str:
        """The event's kind, e.g. ``council_decided``."""
        return self.recorded.kind


def pack(state: InvestigationState) -> tuple[bytes, str]:
    """A snapshot as stored (the state's canonical JSON, compressed) and its digest (hex).

    The digest, of the stored bytes, goes into the envelope of the event the
    snapshot is taken at: the chain vouches for the snapshot as it is stored.
    """
    blob = zlib.compress(state_json(state), 1)
    return blob, hashlib.sha256(blob).hexdigest()


def state_json(state: InvestigationState) -> bytes:
    """The state's canonical JSON, as a snapshot holds it."""
    return canonical_bytes(state_to_dict(state))


def unpack(blob: bytes, digest: str | None = None) -> InvestigationState | None:
    """The state in a stored snapshot; None if its bytes do not have ``digest``."""
    try:
        if digest is not None and hashlib.sha256(blob).hexdigest() != digest:
            return None
        return state_from_dict(parse_json(zlib.decompress(blob)))
    except Exception:
        return None


@functools.cache
def _defaults(kind: str) -> tuple[tuple[str, Any], ...]:
    """Each field of an event kind with its default (``attrs.NOTHING`` when it has none)."""
    return tuple((f.name, f.default) for f in attrs.fields(ev.EVENT_TYPES[kind]))


def event_body(key: str, recorded: ev.Recorded, snapshot: str | None = None) -> bytes:
    """The canonical JSON of one recorded event, as UTF-8 bytes: what the hash covers, all of it.

    Fields at their default value are left out (loading puts the default back),
    which keeps the log small without changing what it says. ``acting_for``
    says whom the actor acted for (``secretariat`` or a kommunenummer).
    ``snapshot`` is the sha256 (hex) of the state after this event, when a
    snapshot is taken there: the chain then vouches for the snapshot's content.
    """
    event = recorded.event
    data = {
        name: value
        for name, default in _defaults(event.kind)
        if (value := getattr(event, name)) != default or default is attrs.NOTHING
    }
    envelope: dict[str, Any] = {
        "investigation": key,
        "seq": recorded.seq,
        "kind": event.kind,
        "actor": recorded.actor.id,
        "at": recorded.at,  # orjson writes it exactly as isoformat() does
        "data": data,
    }
    acting_for = recorded.actor.acting_for
    if acting_for is not None:
        envelope["acting_for"] = acting_for
    if snapshot is not None:
        envelope["snapshot"] = snapshot
    return canonical_bytes(envelope)


def envelope(doc: dict[str, Any], event: ev.Event) -> ev.Recorded:
    """``event`` in the envelope its body ``doc`` gives it: seq, actor (as whom), time."""
    actor = Actor.as_recorded(doc["actor"], doc.get("acting_for"))
    return ev.Recorded(doc["seq"], actor, dt.datetime.fromisoformat(doc["at"]), event)


def events_from_bodies(bodies: Iterable[str | bytes]) -> Iterator[ev.Event]:
    """The events in the bodies that ``event_body`` wrote (loading: no envelope)."""
    loads, builders = parse_json, BUILDERS
    for body in bodies:
        doc = loads(body)
        yield builders[doc["kind"]](doc["data"])


def claimed_place(body: bytes) -> tuple[str, str]:
    """The investigation and seq a body says it is (for naming a misplaced event)."""
    try:
        doc = parse_json(body)
        return str(doc.get("investigation")), str(doc.get("seq"))
    except ValueError:
        return "?", "?"
