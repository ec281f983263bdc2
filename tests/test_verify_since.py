"""``verify --since``: the record still extends a checkpoint, and all written after it holds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli as main
from stepgate.store import backend as _store
from stepgate.testing import Scenario
from tests._db import Raw
from tests.test_tamper import ATTACKS, KEY, OTHER, attacker, edit_body, number_of, rechain, reledger

ZERO = sg.Checkpoint(0, "0" * 64)
"""The checkpoint of an empty record: ``since`` it, everything is new."""

ENGLISH = {"STEPGATE_LANG": "en"}


@pytest.fixture
def grown(location: str, monkeypatch: pytest.MonkeyPatch, clock: sg.FixedClock) -> tuple[str, str]:
    """A record verified and checkpointed, then grown: more events in one investigation, a new
    one. Snapshots every 10 events."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 10)
    with sg.open_store(location, clock=clock) as store:
        run = Scenario(store)
        run.start(joined=["4639", "4640", "4642", "4643", "4644"]).close().anchor()
        Scenario(store, key=OTHER, title="NAV").start()
        checkpoint = store.verify().checkpoint
        assert checkpoint is not None
        for n in range(12):
            run.inv.record_fact(f"etter-{n}", "ja")
        Scenario(store, key="ny-2024", title="Ny").start()
    return location, str(checkpoint)


def since(path: str, checkpoint: str | sg.Checkpoint) -> sg.Verification:
    """What a verifier sees of what is new since ``checkpoint``."""
    with sg.open_store(path, read_only=True) as store:
        return store.verify(since=checkpoint)


def test_what_is_new_is_checked_and_holds(grown: tuple[str, str]) -> None:
    """Since the checkpoint, the investigations that moved are checked; their heads are those a
    full verify computes, and the new checkpoint is the full verify's."""
    path, checkpoint = grown
    new = since(path, checkpoint)
    with sg.open_store(path, read_only=True) as store:
        full = store.verify()
    assert new.ok, new.breaks
    assert sorted(new.heads) == sorted([KEY, "ny-2024"])
    assert {k: full.heads[k] for k in new.heads} == new.heads
    assert new.checkpoint == full.checkpoint
    assert new.since == sg.Checkpoint.parse(checkpoint)


def _edit_new_event(conn: Raw) -> None:
    """Change a fact recorded after the checkpoint, hash left as it was."""
    last = conn.execute(
        "SELECT max(id) FROM events WHERE id >> 32 = ?", [number_of(conn, KEY)]
    ).fetchone()[0]
    edit_body(conn, last - 2, "ja", "nei")


def _ledger_after(conn: Raw) -> None:
    """Overwrite the hash of the ledger's last row (written after the checkpoint)."""
    last = conn.execute("SELECT max(position) FROM ledger").fetchone()[0]
    conn.execute("UPDATE ledger SET hash = ? WHERE position = ?", [bytes(32), last])


def _forge_new_snapshot(conn: Raw) -> None:
    """Replace the snapshot of the investigation that moved with other bytes."""
    conn.execute("UPDATE snapshots SET state = ? WHERE investigation = ?", [b"forged", KEY])


NEW_ATTACKS: list[tuple[str, Callable[[Raw], None], str]] = [
    ("new-event-edited", _edit_new_event, "chain"),
    (
        "moved-row-edited",
        lambda c: c.execute("UPDATE investigations SET title = 'Noko anna' WHERE key = ?", [KEY]),
        "row",
    ),
    ("ledger-after-edited", _ledger_after, "ledger"),
    ("new-snapshot-forged", _forge_new_snapshot, "snapshot"),
    (
        "unmoved-row-says-it-moved",
        lambda c: c.execute("UPDATE investigations SET position = 10000 WHERE key = ?", [OTHER]),
        "ledger",
    ),
]


@pytest.mark.parametrize(("name", "attack", "part"), NEW_ATTACKS, ids=[a[0] for a in NEW_ATTACKS])
def test_a_break_after_the_checkpoint_is_named_as_a_full_verify_names_it(
    grown: tuple[str, str], name: str, attack: Callable[[Raw], None], part: str
) -> None:
    """A tampering with what was written after the checkpoint is named by ``--since`` where a full
    verify names it: the same part of the same investigation (a full verify may say more of a
    snapshot: that its content is not the fold)."""
    path, checkpoint = grown
    attack(attacker(path))
    new = since(path, checkpoint)
    with sg.open_store(path, read_only=True) as store:
        full = store.verify()
    named = [b for b in new.breaks if b.part == part]
    assert named, new.breaks
    assert (named[0].investigation, named[0].part) in {
        (b.investigation, b.part) for b in full.breaks
    }


def test_a_rewrite_before_the_checkpoint_does_not_extend_it(grown: tuple[str, str]) -> None:
    """An early event edited and every hash recomputed (chains, ledger) is named: the record does
    not extend the checkpoint; nothing after it is taken as checked."""
    path, checkpoint = grown
    conn = attacker(path)
    edit_body(conn, (number_of(conn, OTHER) << 32) | 1, "NAV", "VAN")
    rechain(conn, OTHER)
    reledger(conn)
    new = since(path, checkpoint)
    assert not new.ok
    assert [b.part for b in new.breaks if b.part != "schema"] == ["checkpoint"]
    assert new.checkpoint is None


@pytest.mark.parametrize(("name", "attack", "part", "words"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_since_the_empty_record_every_tampering_is_named(  # noqa: PLR0917 - fixtures
    location: str,
    monkeypatch: pytest.MonkeyPatch,
    clock: sg.FixedClock,
    name: str,
    attack: Callable[[Raw], None],
    part: str,
    words: str,
) -> None:
    """Since the empty record everything is new: every tampering the suite knows is named (an
    event of no investigation's record is named by the ledger or as a chain break)."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 10)
    with sg.open_store(location, clock=clock) as store:
        run = Scenario(store)
        run.start(joined=["4639", "4640", "4642", "4643", "4644"]).close().anchor()
        Scenario(store, key=OTHER, title="NAV").start()
        run.inv.record_fact("etter", "ja")
    attack(attacker(location))
    new = since(location, ZERO)
    assert not new.ok
    expected = {"events": {"ledger", "row", "chain"}}.get(part, {part})
    assert expected & {b.part for b in new.breaks}, new.breaks


@pytest.mark.parametrize(
    "checkpoint",
    [
        "stepgate:999999:" + "ab" * 32,  # from the future
        "stepgate:3:" + hashlib.sha256(b"another record").hexdigest(),  # another record's
    ],
    ids=["from-the-future", "another-record"],
)
def test_a_checkpoint_the_record_does_not_extend_fails_the_run(
    grown: tuple[str, str], checkpoint: str
) -> None:
    """``--since`` a checkpoint from the future or from another record exits 1 naming the break:
    never a silent pass."""
    path, _ = grown
    result = CliRunner().invoke(main, ["verify", path, "--since", checkpoint], env=ENGLISH)
    assert result.exit_code == 1, result.output
    assert "checkpoint" in result.output.lower() or "record" in result.output
    assert (
        "does not" in result.output
        or "ends at position" in result.output
        or ("rewritten" in result.output)
    )


def test_the_cli_says_only_what_is_new_was_checked(grown: tuple[str, str]) -> None:
    """``stepgate verify --since`` exits 0 on a sound record and says that only the new was
    checked, and how many investigations moved."""
    path, checkpoint = grown
    result = CliRunner().invoke(main, ["verify", path, "--since", checkpoint], env=ENGLISH)
    assert result.exit_code == 0, result.output
    assert f"Only what is new was checked (--since {checkpoint}): 2 investigations" in result.output


def test_since_and_against_together_are_refused(grown: tuple[str, str]) -> None:
    """``since`` and ``against`` ask for two different verifies: giving both is refused."""
    path, checkpoint = grown
    with sg.open_store(path, read_only=True) as store, pytest.raises(sg.InvalidValue):
        store.verify(since=checkpoint, against=checkpoint)


def test_each_tier_is_named_for_what_it_proves(grown: tuple[str, str]) -> None:
    """A verification says its tier: ``full`` by default, ``chain`` without a replay, ``since``
    from a checkpoint; ``--json`` carries it."""
    path, checkpoint = grown
    with sg.open_store(path, read_only=True) as store:
        tiers = [
            store.verify().tier,
            store.verify(chain_only=True).tier,
            store.verify(since=checkpoint).tier,
        ]
    assert tiers == ["full", "chain", "since"]
    result = CliRunner().invoke(main, ["verify", path, "--chain-only", "--json"], env=ENGLISH)
    assert '"tier": "chain"' in result.output
