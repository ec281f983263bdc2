"""The case file: documents in the record, on both backends, covered by the chain.

A document's SHA-256 and size are in the body of the event that files it; its
bytes are stored once per content, streamed both ways, re-hashed by verify, and
carried by backup, copy and the feed. Bad input is refused where it enters,
and nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stepgate as sg
from stepgate import sogn
from stepgate.cli import cli
from stepgate.report.render import json_report, markdown_report
from stepgate.store import audit as _audit
from stepgate.store import documents as _documents
from stepgate.testing import Scenario
from tests._db import Raw, TempRecord

KEY = "barnevern-2024"
PDF = b"%PDF-1.4\n%\xe6\xf8\xe5\n1 0 obj << >> endobj\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def doc(title: str = "Saksframlegg", content: Any = PDF, **fields: Any) -> sg.Document:
    """A document to file (a small PDF unless told)."""
    fields.setdefault("filename", "saksframlegg.pdf")
    return sg.Document(title, fields.pop("kind", "saksframlegg"), content, **fields)


@pytest.fixture
def filed(location: str, clock: sg.FixedClock) -> Iterator[Scenario]:
    """A closed step 1 whose Sogndal position files a saksframlegg and a screened vedtak."""
    store = sg.open_store(location, clock=clock)
    run = Scenario(store)
    run.start().close()
    run.inv.anchor_step(
        "4640",
        body="formannskap",
        on="2024-02-29",
        registry_entry="24/356-2",
        meeting=sg.MeetingItem(body="formannskap", on="2024-02-29", item="PS 12/24"),
        documents=[
            doc(),
            doc(
                "Vedtak om barnevern for barnet",
                b"Vedtak.\n",
                kind="vedtak",
                filename="vedtak.txt",
                exemption=sg.Exemption("offl. § 13", statute="fvl. § 13"),
                public_title="Vedtak om barnevern for *****",
            ),
        ],
    )
    yield run
    store.close()


def stored(location: str) -> dict[str, tuple[int, int]]:
    """The documents table as a tamperer sees it: SHA-256 → (size, chunks)."""
    conn = Raw(location)
    try:
        rows = conn.execute("SELECT sha256, size, chunks FROM documents").fetchall()
    finally:
        conn.close()
    return {sha: (size, chunks) for sha, size, chunks in rows}


# --- filing and reading back ---------------------------------------------------------------


@pytest.mark.parametrize("source", ["bytes", "path", "stream"])
def test_a_document_reads_back_byte_identical(
    location: str, tmp_path: pathlib.Path, source: str
) -> None:
    """Bytes, a path or a binary stream: the stored document reads back the same, and verifies."""
    content = PDF * 200  # about 2 MiB: more than one chunk
    path = tmp_path / "saksframlegg.pdf"
    path.write_bytes(content)
    given: Any = {"bytes": content, "path": path, "stream": io.BytesIO(content)}[source]
    store = sg.open_store(location)
    run = Scenario(store)
    run.start()
    session = run.inv.hold_session(
        "Oppstart", [run.employer["4640"]], documents=[doc("Protokoll", given, kind="protokoll")]
    )
    (placed,) = run.inv.documents()
    assert (placed.place, placed.session, placed.step) == ("session", session, 1)
    assert placed.document.sha256 == hashlib.sha256(content).hexdigest()
    assert placed.document.size == len(content)
    with store.open_document(placed.document.sha256) as stream:
        assert stream.read() == content
    assert store.verify().ok
    chunks = -(-len(content) // _documents.CHUNK)
    assert stored(location)[placed.document.sha256] == (len(content), chunks) != (len(content), 1)


def test_the_chain_covers_a_document(filed: Scenario, location: str) -> None:
    """The event that files a document holds its SHA-256 and size in its hashed body."""
    conn = Raw(location)
    body = conn.execute(
        "SELECT CAST(body AS BLOB) FROM events ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    conn.close()
    data = json.loads(bytes(body))["data"]
    assert [d["sha256"] for d in data["documents"]] == [
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(b"Vedtak.\n").hexdigest(),
    ]
    assert data["registry_entry"] == {"year": 2024, "sequence": 356, "number": 2}
    assert data["meeting"]["item"] == "PS 12/24"


def test_content_is_stored_once(location: str) -> None:
    """The same bytes filed in two investigations are one stored document."""
    store = sg.open_store(location)
    first, second = Scenario(store), Scenario(store, key="nav-2024", title="NAV")
    for run in (first, second):
        run.inv.add_document(doc())
    assert len(stored(location)) == 1
    assert store.verify().ok


def test_a_new_version_names_the_one_it_replaces(filed: Scenario) -> None:
    """A new version is a new document; the old one stays; replacing an unknown one is refused."""
    inv = filed.inv
    old = inv.documents()[0].document
    inv.add_document(
        doc("Saksframlegg (retta)", PDF + b"2", replaces=old), step=1, municipality="4640"
    )
    *_, new = inv.documents()
    assert (new.place, new.step, new.municipality) == ("position", 1, "4640")
    assert new.document.replaces == old.sha256
    assert old in [p.document for p in inv.documents()]
    with pytest.raises(sg.CommandRefused, match="replaces"):
        inv.add_document(doc("Ukjend", PDF + b"3", replaces="0" * 64))
    with pytest.raises(sg.CommandRefused, match="filed in this investigation already"):
        inv.add_document(doc())


def test_the_feed_names_documents(filed: Scenario, location: str) -> None:
    """The feed's event carries the documents it files (stepgate feed --json too)."""
    last = filed.store.events_since(0, limit=100_000)[-1]
    assert [d.title for d in last.recorded.event.documents] == [  # type: ignore[attr-defined]
        "Saksframlegg",
        "Vedtak om barnevern for barnet",
    ]
    result = CliRunner().invoke(cli, ["feed", location, "--json"])
    fed = json.loads(result.output)[-1]
    assert fed["data"]["documents"][1]["exemption"] == "offl. § 13 jf. fvl. § 13"


def test_reports_list_the_case_file_and_as_of_only_what_existed(filed: Scenario) -> None:
    """Markdown and JSON list each document where it belongs; as of before, none."""
    inv = filed.inv
    text = markdown_report(inv, lang="en")
    assert "## Case file" in text
    assert "| 2024-02-29 | Step 1 · Sogndal | Decision | Vedtak om barnevern for barnet" in text
    assert "exempt (offl. § 13 jf. fvl. § 13)" in text
    assert "2024/356-2 · PS 12/24" in text
    data = json.loads(json_report(inv))
    assert [d["public_title"] for d in data["documents"]] == [
        "Saksframlegg",
        "Vedtak om barnevern for *****",
    ]
    before = inv.as_of("2024-02-28")
    assert before.documents() == []
    assert "## Case file\n\nnone" in markdown_report(before, lang="en")


# --- verify covers documents ---------------------------------------------------------------


def tamper(location: str, sql: str, params: list[Any]) -> None:
    """Change the document tables as a tamperer with the rights to lift their guards would."""
    conn = Raw(location)
    if conn.postgres:
        for table in ("documents", "document_chunks"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    else:
        for table in ("documents", "document_chunks"):
            for verb in ("update", "delete"):
                conn.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only_{verb}")
    conn.execute(sql, params)
    conn.close()


def flip_a_byte(location: str, sha256: str) -> None:
    """One byte of the stored document changed, its size kept."""
    conn = Raw(location)
    data = bytearray(
        conn.execute(
            "SELECT data FROM document_chunks WHERE document = ? AND n = 0", [sha256]
        ).fetchone()[0]
    )
    conn.close()
    data[100] ^= 1
    tamper(
        location,
        "UPDATE document_chunks SET data = ? WHERE document = ? AND n = 0",
        [bytes(data), sha256],
    )


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        ("flip", "do not have its SHA-256 (changed)"),
        ("cut", "(cut)"),
        ("delete", "is missing from the store"),
    ],
)
def test_verify_names_a_changed_cut_or_deleted_document(
    filed: Scenario, location: str, tmp_path: pathlib.Path, attack: str, words: str
) -> None:
    """One flipped byte, a cut document or a deleted one: verify names it and exits 1; the
    document command refuses to write it out."""
    sha = hashlib.sha256(PDF).hexdigest()
    if attack == "flip":
        flip_a_byte(location, sha)
    elif attack == "cut":
        tamper(
            location,
            "UPDATE document_chunks SET data = ? WHERE document = ? AND n = 0",
            [PDF[: len(PDF) // 2], sha],
        )
    else:
        tamper(location, "DELETE FROM documents WHERE sha256 = ?", [sha])
        tamper(location, "DELETE FROM document_chunks WHERE document = ?", [sha])
    result = CliRunner().invoke(cli, ["verify", location, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert words in result.output
    target = tmp_path / "ut.pdf"
    result = CliRunner().invoke(cli, ["document", location, KEY, sha[:16], "-o", str(target)])
    assert result.exit_code == 1
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".ut")) == []


@pytest.mark.parametrize("chain_only", [False, True])
def test_a_missing_document_is_named_whichever_look_up_asks_for_it(
    location: str, clock: sg.FixedClock, monkeypatch: pytest.MonkeyPatch, chain_only: bool
) -> None:
    """The sizes of an investigation's documents are looked up many at a time; a deleted
    document is named by its title though its look-up is not the first."""
    monkeypatch.setattr(_audit, "_DOCUMENTS_AT_ONCE", 2)
    store = sg.open_store(location, clock=clock)
    run = Scenario(store)
    run.start().close()
    papers = [doc(f"Vedlegg {n}", PDF + bytes([n]), filename=f"v{n}.pdf") for n in range(5)]
    run.inv.anchor_step(
        "4640", body="formannskap", on="2024-02-29", registry_entry="24/356-2", documents=papers
    )
    assert store.verify(chain_only=chain_only).ok
    gone = hashlib.sha256(PDF + bytes([3])).hexdigest()
    tamper(location, "DELETE FROM documents WHERE sha256 = ?", [gone])
    found = [b for b in store.verify(chain_only=chain_only).breaks if b.investigation]
    assert [(b.part, b.investigation) for b in found] == [("document", KEY)]
    assert "'Vedlegg 3'" in found[0].reason
    assert "is missing from the store" in found[0].reason
    store.close()


def test_a_document_put_there_is_named(filed: Scenario, location: str) -> None:
    """A document no event files (inserted by someone) is a break."""
    conn = Raw(location)
    sha = hashlib.sha256(b"falsk").hexdigest()
    conn.execute("INSERT INTO document_chunks VALUES (?, 0, ?)", [sha, b"falsk"])
    conn.execute("INSERT INTO documents VALUES (?, 5, 1)", [sha])
    conn.close()
    check = filed.store.verify()
    assert any("no event files it" in b.reason for b in check.breaks)


def test_a_read_of_a_changed_document_raises(filed: Scenario, location: str) -> None:
    """Reading a document whose bytes changed ends in RecordBroken, never quietly."""
    sha = hashlib.sha256(PDF).hexdigest()
    flip_a_byte(location, sha)
    with filed.store.open_document(sha) as stream, pytest.raises(sg.RecordBroken):
        stream.read()


def test_the_checkpoint_still_proves_the_record_with_documents(filed: Scenario) -> None:
    """verify --against a checkpoint taken before documents were added still holds after."""
    point = filed.store.checkpoint()
    filed.inv.add_document(doc("Notat", b"Notat.\n", kind="notat", filename="notat.txt"))
    assert filed.store.verify(against=point).ok


# --- copy, backup ------------------------------------------------------------------------


def test_copy_sqlite_to_postgres_and_back_keeps_every_document(
    tmp_path: pathlib.Path, clock: sg.FixedClock
) -> None:
    """SQLite → PostgreSQL → SQLite: every document and the checkpoint come along."""
    pg = TempRecord("postgres")
    try:
        source = str(tmp_path / "a.db")
        store = sg.open_store(source, clock=clock)
        run = Scenario(store)
        run.start()
        run.inv.add_document([doc(), doc("Stor", PDF * 900, filename="stor.pdf")])
        point = store.checkpoint()
        there = store.copy_to(pg.location)
        back = sg.open_store(pg.location).copy_to(str(tmp_path / "b.db"))
        assert there.checkpoint == back.checkpoint == point
        copy = sg.open_store(tmp_path / "b.db", read_only=True)
        for placed in run.inv.documents():
            with copy.open_document(placed.document.sha256) as stream:
                assert hashlib.sha256(stream.read()).hexdigest() == placed.document.sha256
        assert copy.verify().ok
    finally:
        pg.close()


# --- bad input -----------------------------------------------------------------------------


def bad(tmp_path: pathlib.Path) -> dict[str, Any]:
    """Inputs that must be refused, each with the field its error names."""
    (tmp_path / "tom.pdf").write_bytes(b"")
    (tmp_path / "mappe").mkdir(exist_ok=True)
    return {
        "empty bytes": (lambda: doc(content=b""), "content"),
        "empty file": (lambda: doc(content=tmp_path / "tom.pdf"), "content"),
        "a folder": (lambda: doc(content=tmp_path / "mappe"), "content"),
        "a missing file": (lambda: doc(content=tmp_path / "finst-ikkje.pdf"), "content"),
        "a text stream": (lambda: doc(content=io.StringIO("tekst")), "content"),
        "a path as file name": (lambda: doc(filename="../../etc/saksframlegg.pdf"), "filename"),
        "a control character": (lambda: doc(filename="saks\x1bframlegg.pdf"), "filename"),
        "PDF declared, text given": (
            lambda: doc(content=b"ikkje pdf", media_type="application/pdf"),
            "media_type",
        ),
        "PDF given, text declared": (
            lambda: doc(filename="s.txt", media_type="text/plain"),
            "media_type",
        ),
        "an unknown kind": (lambda: doc(kind="brev"), "document kind"),
        "an unknown ground": (lambda: doc(exemption="offl. § 99"), "exemption"),
        "§ 13 without its statute": (lambda: doc(exemption="offl. § 13"), "exemption"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty bytes",
        "empty file",
        "a folder",
        "a missing file",
        "a text stream",
        "a path as file name",
        "a control character",
        "PDF declared, text given",
        "PDF given, text declared",
        "an unknown kind",
        "an unknown ground",
        "§ 13 without its statute",
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_written(
    filed: Scenario, location: str, tmp_path: pathlib.Path, case: str
) -> None:
    """Each bad document is InvalidValue naming its field, in both languages; nothing written."""
    make, field = bad(tmp_path)[case]
    version, documents = filed.inv.version, stored(location)
    with pytest.raises(sg.InvalidValue) as caught:
        filed.inv.add_document(make())
    assert field in caught.value.message("en")
    assert caught.value.message("nn") != caught.value.message("en")
    assert (filed.inv.version, stored(location)) == (version, documents)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"registry_entry": "24-112"}, "registry_entry must be written like '24/112-3'"),
        ({"registry_entry": "24/112"}, "registry_entry must be written like '24/112-3'"),
        ({"meeting": "PS15"}, "meeting must be a stepgate.MeetingItem"),
        ({"exemption": "sensitivt"}, "exemption must be a ground of offentleglova"),
    ],
)
def test_a_bad_reference_is_refused(filed: Scenario, fields: dict[str, Any], words: str) -> None:
    """A reference in the wrong format is InvalidValue naming the field; nothing written."""
    version = filed.inv.version
    with pytest.raises(sg.InvalidValue, match=words):
        filed.inv.anchor_step("4644", body="formannskap", **fields)
    assert filed.inv.version == version


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: sg.MeetingItem(body="formannskap", on="2024-02-29", item="PS15"), "item must be"),
        (lambda: sg.MeetingItem(body="formannskap", on="29/02/2024", item="PS 15/24"), "on must"),
        (lambda: sg.CaseNumber("24-112"), "case_number must be written like '24/112'"),
        (lambda: sg.RegistryEntry("24/112"), "registry_entry must be written like"),
    ],
)
def test_references_check_their_format(make: Any, words: str) -> None:
    """Case numbers, registry entries and meeting items are checked where they are made."""
    with pytest.raises(sg.InvalidValue, match=words):
        make()


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("24/112", "2024/112"),
        ("2024/112", "2024/112"),
        (" 24/7 ", "2024/7"),
    ],
)
def test_a_case_number_is_written_one_way(given: str, shown: str) -> None:
    """A two-digit year is the 2000s; the case number is written with four."""
    assert str(sg.CaseNumber(given)) == shown
    assert str(sg.RegistryEntry(f"{given.strip()}-3")) == f"{shown}-3"


def test_a_step_of_another_investigation_is_refused(filed: Scenario, location: str) -> None:
    """A document for a step this investigation does not have: refused, naming the step."""
    documents = stored(location)
    with pytest.raises(sg.CommandRefused, match="step 7 is not a step of"):
        filed.inv.add_document(doc("Notat", b"x", kind="notat", filename="n.txt"), step=7)
    assert stored(location) == documents


def test_another_municipality_may_not_file_for_sogndal(filed: Scenario, location: str) -> None:
    """An actor of Luster adding a document to Sogndal's position: NotAllowed, nothing written."""
    luster = sg.Actor("luster-arkiv", municipality="4644")
    documents = stored(location)
    with pytest.raises(sg.NotAllowed, match="may not act for Sogndal"):
        filed.inv.add_document(
            doc("Notat", b"x", kind="notat", filename="n.txt"),
            step=1,
            municipality="4640",
            actor=luster,
        )
    assert stored(location) == documents
    sogndal = sg.Actor("sogndal-arkiv", municipality="4640")
    filed.inv.add_document(
        doc("Notat", b"x", kind="notat", filename="n.txt"),
        step=1,
        municipality="4640",
        actor=sogndal,
    )


def test_case_ref_still_works_with_a_deprecation_warning(filed: Scenario) -> None:
    """A free-text case_ref is recorded as written, with a warning naming its replacement."""
    with pytest.warns(DeprecationWarning, match="registry_entry=stepgate.RegistryEntry"):
        filed.inv.anchor_step("4644", body="formannskap", case_ref="24/7")
    assert filed.inv.history().anchorings[-1].case_ref == "24/7"


# --- a council paper of 200 MB -------------------------------------------------------------


class Generated(io.RawIOBase):
    """``size`` deterministic bytes, made as they are read: a large file without the memory."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.left, self.n = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        count = min(len(target), self.left)
        block = bytes((self.n + i) % 251 for i in range(min(count, 4096)))
        block = (block * (count // len(block) + 1))[:count] if block else b""
        target[:count] = block
        self.left -= count
        self.n += count
        return count


def test_a_200_mb_document_works(location: str) -> None:
    """The largest council papers: filed, verified and read back whole, on both backends."""
    size = 200 * 1024 * 1024
    digest, source = hashlib.sha256(), Generated(size)
    while block := source.read(1 << 20):
        digest.update(block)
    store = sg.open_store(location)
    run = Scenario(store)
    run.inv.add_document(
        sg.Document(
            "Saksframlegg med vedlegg", "saksframlegg", Generated(size), filename="vedlegg.bin"
        )
    )
    (placed,) = run.inv.documents()
    assert (placed.document.size, placed.document.sha256) == (size, digest.hexdigest())
    read = hashlib.sha256()
    with store.open_document(placed.document.sha256) as stream:
        while block := stream.read(1 << 20):
            read.update(block)
    assert read.hexdigest() == digest.hexdigest()
    assert store.verify().ok


# --- a property ----------------------------------------------------------------------------

CONTENTS = st.one_of(
    st.binary(min_size=1, max_size=3000).filter(lambda b: not b.startswith(b"%PDF")),
    st.sampled_from([PDF, PDF * 3, b"%PDF-1.7\n" + bytes(200)]),
)
FILING = st.lists(
    st.tuples(
        st.sampled_from(["case", "step", "sogndal", "session"]),
        st.lists(CONTENTS, min_size=1, max_size=3, unique=True),
        st.sampled_from([None, "offl. § 14", "offl. § 13 jf. fvl. § 13"]),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filing=FILING)
def test_every_document_filed_reads_back_and_verifies(backend: str, filing: Any) -> None:
    """Random documents filed by random commands: after store and load every document reads
    back byte-equal, the report lists each once, and verify passes."""
    record = TempRecord(backend)
    try:
        store = sg.open_store(record.location, clock=sg.FixedClock())
        run = Scenario(store)
        run.start()
        session = run.inv.hold_session("Økt", [run.employer["4640"]])
        given: dict[str, bytes] = {}
        for where, contents, ground in filing:
            fresh = [c for c in contents if hashlib.sha256(c).hexdigest() not in given]
            if not fresh:
                continue
            documents = [
                doc(
                    f"Dokument {len(given) + i}",
                    content,
                    filename=f"d{len(given) + i}.bin",
                    media_type="application/octet-stream"
                    if not content.startswith(b"%PDF")
                    else "application/pdf",
                    exemption=ground,
                    kind="notat",
                )
                for i, content in enumerate(fresh)
            ]
            if where == "session":
                run.inv.record_insight(session, "Innsikt", documents=documents)
            else:
                run.inv.add_document(
                    documents,
                    step=None if where == "case" else 1,
                    municipality="4640" if where == "sogndal" else None,
                )
            given |= {hashlib.sha256(c).hexdigest(): c for c in fresh}
        store.close()
        with sg.open_store(record.location, read_only=True) as again:
            inv = again.load(KEY, verified=True)
            listed = [p.document.sha256 for p in inv.documents()]
            assert sorted(listed) == sorted(given)
            for sha, content in given.items():
                with again.open_document(sha) as stream:
                    assert stream.read() == content
            assert again.verify().ok
    finally:
        record.close()


def test_the_document_command_writes_a_document_out(
    filed: Scenario, location: str, tmp_path: pathlib.Path
) -> None:
    """stepgate document DB KEY SHA256 -o FILE writes the bytes as filed; a short checksum too."""
    target = tmp_path / "saksframlegg.pdf"
    sha = hashlib.sha256(PDF).hexdigest()
    result = CliRunner().invoke(
        cli,
        ["document", location, KEY, sha[:12], "-o", str(target), "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{target}: Saksframlegg (saksframlegg.pdf, {len(PDF)} bytes)"
    assert target.read_bytes() == PDF
    for wrong, words in (("0" * 64, "has no document"), ("xyz", "64 hex digits")):
        result = CliRunner().invoke(
            cli,
            [
                "document",
                location,
                KEY,
                wrong,
                "-o",
                str(tmp_path / "x"),
                "--lang",
                "en",
            ],
        )
        assert result.exit_code == 1
        assert words in result.output


def test_the_demo_files_a_complete_case_file(tmp_path: pathlib.Path) -> None:
    """The demo's record holds its papers: every one a PDF, listed, and verified."""
    with sg.open_store(tmp_path / "demo.db", clock=sg.FixedClock()) as store:
        story = sogn.run(store)
        papers = story.inv.documents()
        assert len(papers) == 80
        kinds = {p.document.kind for p in papers}
        assert kinds == {"mandat", "saksframlegg", "vedtak", "protokoll", "avgjerdsgrunnlag"}
        for placed in papers:
            with store.open_document(placed.document.sha256) as stream:
                assert stream.read(5) == b"%PDF-"
        assert story.inv.state.case_number == "2024/118"
        assert store.verify().ok


def test_a_backup_carries_every_document(tmp_path: pathlib.Path, clock: sg.FixedClock) -> None:
    """stepgate backup of an SQLite record: the copy holds every document and verifies."""
    store = sg.open_store(tmp_path / "a.db", clock=clock)
    run = Scenario(store)
    run.inv.add_document([doc(), doc("Notat", b"n", kind="notat", filename="n.txt")])
    check = store.backup(tmp_path / "kopi.db")
    assert check.ok
    with sg.open_store(tmp_path / "kopi.db", read_only=True) as copy:
        for placed in run.inv.documents():
            with copy.open_document(placed.document.sha256) as stream:
                assert hashlib.sha256(stream.read()).hexdigest() == placed.document.sha256
