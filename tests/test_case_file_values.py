"""The case file's values: exemptions and their catalogue, references, documents as given,
and how their bytes are staged (read once, read again, never kept whole)."""

from __future__ import annotations

import errno
import io
import os
import pathlib
from typing import Any

import pytest

import stepgate as sg
from stepgate.api.documents import Staging
from stepgate.cli import files
from stepgate.store import documents as stored
from stepgate.testing import Scenario

PDF = b"%PDF-1.4\n" + bytes(300)


@pytest.mark.parametrize(
    ("given", "cited"),
    [
        ("§ 14", "offl. § 14"),
        ("Offl §14", "offl. § 14"),
        ("offentleglova § 25", "offl. § 25"),
        ("offl. § 23, 1. ledd", "offl. § 23 første ledd"),
        ("offl. § 24 andre ledd", "offl. § 24 andre ledd"),
        ("offl. § 13 jf. fvl. § 13 nr. 1", "offl. § 13 jf. fvl. § 13 nr. 1"),
        ("offl. § 13 jfr. hpl. § 21", "offl. § 13 jf. hpl. § 21"),
    ],
)
def test_an_exemption_is_read_in_the_ways_it_is_written(given: str, cited: str) -> None:
    """Citations as journals write them are read, and stored one way (the act's words)."""
    found = sg.Exemption.parse(given)
    assert str(found) == cited
    assert sg.Exemption.parse(found) is found
    assert found.heading == sg.EXEMPTION_GROUNDS[found.ground].heading


@pytest.mark.parametrize("given", ["offl. § 14 tull", "§ 99", "sensitivt", 14, "offl. § 17"])
def test_what_names_no_ground_is_refused_with_the_list(given: Any) -> None:
    """A citation of no ground of the catalogue is InvalidValue listing every ground."""
    with pytest.raises(sg.InvalidValue) as caught:
        sg.Exemption.parse(given)
    for ground in sg.EXEMPTION_GROUNDS.values():
        assert ground.citation in caught.value.message("en")
        assert ground.citation in caught.value.message("nn")


def test_the_catalogue_says_which_headings_were_checked() -> None:
    """Each ground says where its heading was read; § 13 asks for the statute it points to."""
    checked = {g.section: g.checked for g in sg.EXEMPTION_GROUNDS.values()}
    assert checked["13"] == checked["14"] == checked["15"] == "statute"
    assert checked["24"] == checked["26"] == ""  # descriptions, not yet the act's words
    assert sg.EXEMPTION_GROUNDS["13"].needs_statute
    assert sg.Exemption("offl. § 13", statute="fvl. § 13").statute == "fvl. § 13"
    assert str(sg.Exemption("14")) == str(sg.Exemption("offl. § 14")) == "offl. § 14"


def test_a_registry_entry_names_its_case() -> None:
    """A registry entry is a document of a case; a meeting item says itself with its meeting."""
    assert sg.RegistryEntry("24/112-3").case == sg.CaseNumber("24/112")
    item = sg.MeetingItem(body="formannskap", on="2024-02-29", item="ps15/24")
    assert str(item) == "PS 15/24 (formannskap 2024-02-29)"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: sg.Document("T", "notat", 12, filename="t.txt"), "content"),
        (lambda: sg.Document("T", "notat", b"x"), "filename"),
        (lambda: sg.Document("T", "notat", b"x", filename="t.txt", replaces="abc"), "replaces"),
        (lambda: sg.Document("T", "notat", b"x", filename="t.txt", media_type="pdf"), "media_type"),
    ],
)
def test_a_document_checks_what_it_can_before_its_bytes_are_read(make: Any, field: str) -> None:
    """Content of no kind, no file name for bare bytes, a bad checksum or media type: refused."""
    with pytest.raises(sg.InvalidValue, match=field):
        make()


def test_a_document_takes_its_name_and_type_from_its_file(tmp_path: pathlib.Path) -> None:
    """A path (or a stream opened from one) gives the file name; the name gives the media type."""
    path = tmp_path / "vedtak.pdf"
    path.write_bytes(PDF)
    made = sg.Document("V", "vedtak", path)
    assert (made.filename, made.media_type) == ("vedtak.pdf", "application/pdf")
    with path.open("rb") as stream:
        assert sg.Document("V", "vedtak", stream).filename == "vedtak.pdf"
    unknown = sg.Document("V", "other", b"x", filename="x.zzz")
    assert unknown.media_type == "application/octet-stream"


def test_staging_reads_each_content_once_and_lets_go() -> None:
    """The same bytes staged twice are kept once, until the last command that needs them is done."""
    staging = Staging()
    one = staging.file(sg.Document("A", "notat", b"same", filename="a.txt"))
    two = staging.file([sg.Document("B", "notat", b"same", filename="b.txt")])
    assert one[0].sha256 == two[0].sha256
    staging.let_go(one)
    assert set(staging.staged(two)) == {two[0].sha256}
    staging.let_go(two)
    assert staging.staged(two) == {}
    assert staging.file(one) == one  # a filed document passes as it is
    staging.close()


@pytest.mark.parametrize("given", ["a text", [1], b"bytes"])
def test_staging_takes_documents_only(given: Any) -> None:
    """Anything but stepgate.Document values is refused, naming documents."""
    with pytest.raises(sg.InvalidValue, match="documents"):
        Staging().file(given)


class Unseekable(io.RawIOBase):
    """A stream that can be read once, as from a socket."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        block = self.data.read(len(target))
        target[: len(block)] = block
        return len(block)


def test_a_stream_that_cannot_seek_is_spooled(clock: sg.FixedClock) -> None:
    """A stream read once is kept in a spool, and filed from it."""
    store = sg.open_store(clock=clock)
    run = Scenario(store)
    data = "frå ein straum".encode() * 100_000
    run.inv.add_document(sg.Document("S", "other", Unseekable(data), filename="s.bin"))
    (placed,) = run.inv.documents()
    with store.open_document(placed.document.sha256) as stream:
        assert stream.read() == data


def test_a_file_that_changes_before_it_is_written_is_refused(tmp_path: pathlib.Path) -> None:
    """A file changed (or removed) between reading and writing: refused, nothing stored."""
    path = tmp_path / "s.bin"
    path.write_bytes(b"first")
    staged = stored.stage(path)
    path.write_bytes(b"other")
    conn = sg.open_store().backend.link().conn
    with pytest.raises(sg.StorageUnavailable, match="changed while it was being stored"):
        stored.write(conn, staged)
    path.unlink()
    with pytest.raises(sg.InvalidValue, match="cannot be read any more"):
        list(staged.chunks())


def test_a_document_the_store_does_not_hold_is_refused(clock: sg.FixedClock) -> None:
    """open_document of an unknown checksum is a LookupError naming it."""
    with pytest.raises(LookupError, match="holds no document"):
        sg.open_store(clock=clock).open_document("a" * 64)


def test_output_without_hard_links_still_never_writes_over_a_file(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links the new file is renamed into place instead."""

    def no_links(*_: Any) -> None:
        raise OSError(errno.EPERM, "no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "r.md"
    files.write_text(str(target), "tekst\n", force=False, records=[])
    assert target.read_text() == "tekst\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({}, "no documents are given"),
        ({"municipality": "4640"}, "a position belongs to a step"),
    ],
)
def test_add_document_says_where_it_goes(
    clock: sg.FixedClock, fields: dict[str, Any], words: str
) -> None:
    """No document, or a position without its step: refused, naming what is missing."""
    run = Scenario(sg.open_store(clock=clock))
    run.start()
    given = [] if not fields else [sg.Document("N", "notat", b"n", filename="n.txt")]
    with pytest.raises(sg.CommandRefused, match=words):
        run.inv.add_document(given, **fields)


def test_a_case_number_is_set_once_given(clock: sg.FixedClock) -> None:
    """set_case_number records the archive's case; a bad one is refused as written."""
    run = Scenario(sg.open_store(clock=clock))
    run.inv.set_case_number("24/118")
    assert run.inv.state.case_number == "2024/118"
    with pytest.raises(sg.InvalidValue, match="case_number"):
        run.inv.set_case_number("24-118")
