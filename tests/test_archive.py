"""Into the archive: a Noark 5 extraction and the public journal, from the verified record."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stepgate as sg
from stepgate.archive.package import SCHEMAS
from stepgate.cli import cli
from stepgate.testing import Scenario
from tests import _noark
from tests._db import Raw, TempRecord
from tests.test_documents import PDF, doc, flip_a_byte

NAMES = sg.Archive(
    creator_id="964968519",
    creator="Sogn regionråd",
    title="Sogn regionråd – sakarkiv",
    series="Interkommunale utgreiingar",
    classification=sg.Classification("K-kodar", "026", "Interkommunalt samarbeid"),
)
ARCHIVE_OPTIONS = [
    "--creator-id",
    "964968519",
    "--creator",
    "Sogn regionråd",
    "--archive",
    "Sogn regionråd – sakarkiv",
    "--series",
    "Interkommunale utgreiingar",
]
SCREENED_DOC = "Vedtak om barnevern for barnet Ola"
SCREENED = "Sogndal: kommunestyret godkjent – Felles barnevern i Sogn"


def closed(
    store: sg.Store,
    key: str,
    number: str | None,
    *,
    stop: bool = False,
    process: sg.Process | None = None,
) -> Scenario:
    """An investigation taken to its decision and concluded (or stopped), with screened parts."""
    run = Scenario(store, process=process, key=key)
    if number is not None:
        run.inv.set_case_number(number)
    run.start().to_decision()
    run.inv.add_document(
        [
            doc(
                SCREENED_DOC,
                b"Vedtak.\n",
                kind="vedtak",
                filename="vedtak.txt",
                media_type="text/plain",
                exemption=sg.Exemption("offl. § 13", statute="fvl. § 13"),
                public_title="Vedtak om barnevern for *****",
            )
        ],
        on="2024-04-10",
    )
    if stop:
        run.inv.steering_decision("stop", on="2024-04-20", documents=[doc("Protokoll", PDF * 2)])
        return run
    run.inv.steering_decision("approve", on="2024-04-20")
    for n in run.numbers:
        screened = {"exemption": "offl. § 14"} if n == "4640" else {}
        run.inv.council_decision(n, "approve", on="2024-05-20", **screened)
    return run


@pytest.fixture
def record(location: str, clock: sg.FixedClock) -> Iterator[str]:
    """A record of two closed investigations (one concluded, one stopped) and an open one."""
    with sg.open_store(location, clock=clock) as store:
        closed(store, "barnevern-2024", "2024/118")
        clock.advance(days=30)
        closed(store, "nav-2024", "24/131", stop=True)
        Scenario(store, key="open-2024").start()
    return location


def extract(location: str, folder: pathlib.Path, **kw: Any) -> sg.Extraction:
    """An extraction of the record at ``location``, read-only."""
    with sg.open_store(location, read_only=True) as store:
        return sg.extract(store, folder, NAMES, **kw)


def test_the_extraction_is_valid_and_every_checksum_holds(
    record: str, tmp_path: pathlib.Path
) -> None:
    """Every XML file validates against Arkivverket's schemas; every checksum and count holds."""
    done = extract(record, tmp_path / "out")
    _noark.validate(done.folder)
    counts = _noark.recount(done.folder)
    assert counts["mappe"] == done.cases == 2
    assert counts["registrering"] == done.registrations
    assert counts["dokumentfiler"] == done.documents
    assert counts["endring"] == done.changes
    assert set(done.heads) == {"barnevern-2024", "nav-2024"}  # the open one is not archived


def test_the_package_holds_the_checkpoint_and_each_head(
    record: str, tmp_path: pathlib.Path
) -> None:
    """The archive names the record's checkpoint and each saksmappe its head hash, which verify."""
    done = extract(record, tmp_path / "out")
    text = (done.folder / "arkivstruktur.xml").read_text(encoding="utf-8")
    assert done.checkpoint in text
    for head in done.heads.values():
        assert f"<sg:headHash>{head}</sg:headHash>" in text
    with sg.open_store(record, read_only=True) as store:
        check = store.verify(against=done.checkpoint)
        assert check.ok
        assert all(check.heads[key] == head for key, head in done.heads.items())


def test_two_exports_of_one_record_are_byte_identical(record: str, tmp_path: pathlib.Path) -> None:
    """The same record gives the same bytes: ids are derived from the record, not drawn."""
    first = extract(record, tmp_path / "a").folder
    second = extract(record, tmp_path / "b").folder
    assert _noark.tree(first) == _noark.tree(second)


def test_the_public_journal_never_shows_a_screened_title(
    record: str, tmp_path: pathlib.Path
) -> None:
    """Screened titles are in the running journal, never in the public one, nor in `journal`."""
    folder = extract(record, tmp_path / "out").folder
    secret = _noark.screened_titles(folder)
    assert SCREENED_DOC in secret
    assert SCREENED in secret
    running = (folder / "loependeJournal.xml").read_text(encoding="utf-8")
    public = (folder / "offentligJournal.xml").read_text(encoding="utf-8")
    printed = [
        CliRunner().invoke(
            cli, ["journal", record, "--from", "2024-01-01", "--to", "2024-12-31", *f]
        )
        for f in (
            [],
            ["--format", "json"],
            ["--format", "xml", "--creator-id", "1", "--creator", "K"],
        )
    ]
    assert all(p.exit_code == 0 for p in printed), [p.output for p in printed]
    for title in secret:
        assert title in running
        assert title not in public
        for shown in printed:
            assert title not in shown.output
    assert "offl. § 14" in public  # a screened entry shows its legal ground
    assert "Sogndal: kommunestyret ****** – Felles barnevern i Sogn" in public
    assert public.count("<tittel>") == public.count("<klasse>")  # the class's title only


def test_the_journal_command_prints_xml_that_validates(record: str, tmp_path: pathlib.Path) -> None:
    """`stepgate journal --format xml` is an offentligJournal.xml of the period."""
    et, where = _noark.etree(), _noark.schemas()
    out = tmp_path / "oj.xml"
    done = CliRunner().invoke(
        cli,
        [
            "journal", record, "--from", "2024-01-01", "--to", "2024-12-31",
            "--format", "xml", "--creator-id", "964968519", "--creator", "Sogn regionråd",
            "-o", str(out),
        ],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    schema = et.XMLSchema(et.parse(str(where / "v5_0" / "offentligJournal.xsd")))
    assert schema.validate(et.parse(str(out))), schema.error_log


def test_the_journal_lists_the_period_in_the_order_it_was_written(record: str) -> None:
    """A period's public journal: registrations of that period only, journal numbers rising."""
    with sg.open_store(record, read_only=True) as store:
        whole = sg.public_journal(store, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        later = sg.public_journal(store, dt.date(2024, 2, 1), dt.date(2024, 12, 31))
    numbers = [e.registration.position for e in whole]
    assert numbers == sorted(set(numbers))
    assert {e.case.number for e in whole} == {"2024/118", "2024/131"}
    assert later
    assert all(e.day >= dt.date(2024, 2, 1) for e in later)
    assert {e.case.number for e in later} == {"2024/131"}
    data = json.loads(CliRunner().invoke(
        cli, ["journal", record, "--from", "2024-02-01", "--to", "2024-12-31", "--format", "json"]
    ).output)  # fmt: skip
    assert [d["journalsekvensnummer"] for d in data] == [e.registration.position for e in later]


def test_the_journal_numbers_in_the_package_are_those_of_the_journal(
    record: str, tmp_path: pathlib.Path
) -> None:
    """A registration has one journal number: the same in the package and in `journal`."""
    folder = extract(record, tmp_path / "out").folder
    et = _noark.etree()
    packaged = {
        r.findtext(f"{_noark.N5}systemID"): int(r.findtext(f"{_noark.N5}journalsekvensnummer"))
        for r in et.parse(str(folder / "arkivstruktur.xml")).iter(f"{_noark.N5}registrering")
    }
    with sg.open_store(record, read_only=True) as store:
        listed = sg.public_journal(store, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert {e.registration.system_id: e.registration.position for e in listed} == packaged


@pytest.mark.parametrize(
    ("kw", "keys"),
    [
        ({"keys": ["nav-2024"]}, {"nav-2024"}),
        ({"start": dt.date(2024, 4, 20), "end": dt.date(2024, 4, 20)}, {"nav-2024"}),
        ({"start": dt.date(2024, 5, 1)}, {"barnevern-2024"}),
        ({}, {"barnevern-2024", "nav-2024"}),
    ],
)
def test_the_investigations_are_chosen_by_key_or_by_period(
    record: str, tmp_path: pathlib.Path, kw: dict[str, Any], keys: set[str]
) -> None:
    """By key, by the day it was concluded or stopped, or every closed one."""
    done = extract(record, tmp_path / "out", **kw)
    assert set(done.heads) == keys
    _noark.validate(done.folder)
    _noark.recount(done.folder)


def test_the_changes_name_what_they_changed(record: str, tmp_path: pathlib.Path) -> None:
    """Each change names a unit of arkivstruktur.xml: the case closed, a position superseded."""
    folder = extract(record, tmp_path / "out").folder
    et, n5 = _noark.etree(), _noark.N5
    ids = {e.text for e in et.parse(str(folder / "arkivstruktur.xml")).iter(f"{n5}systemID")}
    log = et.parse(str(folder / "endringslogg.xml")).getroot()
    changes = [[c.text for c in change] for change in log]
    assert all(change[0] in ids for change in changes)
    assert {c[1] for c in changes} >= {"saksstatus"}
    assert ["Under behandling", "Avsluttet"] in [c[4:] for c in changes]


def test_a_superseded_position_is_a_change(tmp_path: pathlib.Path, clock: sg.FixedClock) -> None:
    """A position taken again on the same step supersedes the one before; the log says so."""
    location = str(tmp_path / "r.db")
    with sg.open_store(location, clock=clock) as store:
        run = Scenario(store)
        run.inv.set_case_number("2024/7")
        run.start().close()
        run.inv.anchor_step("4640", body="formannskap", outcome="sent_back", on="2024-02-20")
        run.close(on="2024-02-23").anchor(on="2024-02-27")
        run.next_step(phase=run.process.phases[-1].name).close(on="2024-03-08")
        run.anchor(on="2024-03-12")
        run.inv.submit("Modell C", cooperation_model="vertskommune", on="2024-04-04")
        run.inv.steering_decision("stop", on="2024-04-20")
    folder = extract(location, tmp_path / "out").folder
    _noark.validate(folder)
    log = (folder / "endringslogg.xml").read_text(encoding="utf-8")
    assert "<nyVerdi>Avløyst av journalpost 2024/7-" in log
    assert "<sg:supersededBy>2024/7-" in (folder / "arkivstruktur.xml").read_text(encoding="utf-8")


# --- refusals: one line, non-zero exit, nothing left behind ----------------------------------


def leftovers(folder: pathlib.Path) -> list[str]:
    """What an extraction into ``folder`` left beside it (its temporary folder)."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def archive_cli(db: str, out: pathlib.Path, *extra: str) -> Any:
    """Run `stepgate archive` (English)."""
    return CliRunner().invoke(
        cli, ["archive", db, str(out), *ARCHIVE_OPTIONS, *extra, "--lang", "en"]
    )


def test_the_archive_command_writes_the_package(record: str, tmp_path: pathlib.Path) -> None:
    """`stepgate archive` prints what it wrote, the checkpoint and each head hash."""
    done = archive_cli(record, tmp_path / "out", "--class-system", "K", "--class-id", "026",
                       "--class-title", "Interkommunalt samarbeid")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "case folders 2" in done.output
    assert "checkpoint stepgate:" in done.output
    assert "head barnevern-2024 " in done.output
    _noark.validate(tmp_path / "out")


def test_the_archive_command_refuses_a_half_given_class(
    record: str, tmp_path: pathlib.Path
) -> None:
    """A class needs its system, id and title: one missing is refused by name."""
    done = archive_cli(record, tmp_path / "out", "--class-id", "026")
    assert done.exit_code == 1
    assert "class_system" in done.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("not empty", "is not empty"),
        ("the record", "is not a folder"),
        ("no parent", "there is no folder"),
        ("empty period", "no investigation was concluded or stopped in 2025-01-01"),
        ("unknown key", "no investigation with key 'nope'"),
        ("open key", "'open-2024' is still open"),
        ("bad period", "the period ends"),
        ("bad date", "--from"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    record: str, tmp_path: pathlib.Path, case: str, words: str
) -> None:
    """Each refusal is one line on stderr, exit 1, and no package or temporary folder is left."""
    out = tmp_path / "out"
    extra: list[str] = []
    if case == "not empty":
        out.mkdir()
        (out / "keep.txt").write_text("mine")
    elif case == "the record":
        out = pathlib.Path(record) if not record.startswith("postgres") else tmp_path / "f"
        if case == "the record" and not out.exists():
            out.write_text("a file")
    elif case == "no parent":
        out = tmp_path / "missing" / "out"
    extra = {
        "empty period": ["--from", "2025-01-01"],
        "unknown key": ["--key", "nope"],
        "open key": ["--key", "open-2024"],
        "bad period": ["--from", "2024-05-01", "--to", "2024-04-01"],
        "bad date": ["--from", "1. mai"],
    }.get(case, [])
    before = _written(tmp_path)
    done = archive_cli(record, out, *extra)
    assert done.exit_code == 1, done.output
    assert words in done.output
    assert len(done.output.strip().splitlines()) == 1, done.output
    assert _written(tmp_path) == before
    assert leftovers(out) == [] if out.parent.exists() else True


def _written(folder: pathlib.Path) -> dict[str, bytes]:
    """What a folder holds, besides the record and the files SQLite keeps beside it."""
    return {k: v for k, v in _noark.tree(folder).items() if not k.startswith("record.db")}


def test_an_investigation_without_a_case_number_is_refused(
    tmp_path: pathlib.Path, clock: sg.FixedClock
) -> None:
    """A closed investigation with no case number cannot go into the archive: it is named."""
    location = str(tmp_path / "r.db")
    with sg.open_store(location, clock=clock) as store:
        closed(store, "barnevern-2024", None, stop=True)
    with pytest.raises(sg.InvalidValue, match="'barnevern-2024' has no case number"):
        extract(location, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path / "out") == []


def test_a_process_not_registered_is_refused(tmp_path: pathlib.Path, clock: sg.FixedClock) -> None:
    """A record whose process is not known here is refused, unless the process is given."""
    location = str(tmp_path / "r.db")
    own = sg.trust_reform().derive("eigen-prosess")
    with sg.open_store(location, clock=clock, processes=[own]) as store:
        closed(store, "barnevern-2024", "2024/9", stop=True, process=own)
    with pytest.raises(sg.ProcessNotFound, match="'eigen-prosess'"):
        extract(location, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    done = extract(location, tmp_path / "out", processes=[own])
    _noark.validate(done.folder)


def test_a_broken_record_is_refused(record: str, tmp_path: pathlib.Path) -> None:
    """An event changed in the database: the export names the break and writes nothing."""
    conn = Raw(record)
    conn.drop_guards()
    conn.execute(
        "UPDATE events SET body = ? WHERE id = (SELECT min(id) + 3 FROM events)",
        [conn.body('{"kind": "fact_recorded"}')],
    )
    conn.restore_guards()
    conn.close()
    done = archive_cli(record, tmp_path / "out")
    assert done.exit_code == 1
    assert "RecordBroken: the record does not verify; nothing is exported" in done.output
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path / "out") == []


def test_a_document_whose_bytes_changed_is_refused(record: str, tmp_path: pathlib.Path) -> None:
    """A stored document changed: nothing is exported, and nothing is left behind."""
    with sg.open_store(record, read_only=True) as store:
        placed = store.load("nav-2024", verified=True).documents()
    target = next(p.document for p in placed if p.document.size > 200)
    flip_a_byte(record, target.sha256)
    with pytest.raises(sg.RecordBroken, match="nothing is exported"):
        extract(record, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path / "out") == []


def test_an_empty_folder_takes_the_package(record: str, tmp_path: pathlib.Path) -> None:
    """An empty folder made beforehand (by an app, a mount point) takes the package."""
    (tmp_path / "out").mkdir()
    done = extract(record, tmp_path / "out")
    _noark.recount(done.folder)


# --- the demo, the schemas and a property ------------------------------------------------------


def test_the_demo_extraction_is_valid(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stepgate demo` then `stepgate archive`: all 80 documents, every file valid and checked."""
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["demo"]).exit_code == 0
    done = archive_cli("stepgate-demo.db", tmp_path / "arkiv")
    assert done.exit_code == 0, done.output
    _noark.validate(tmp_path / "arkiv")
    counts = _noark.recount(tmp_path / "arkiv")
    assert counts["mappe"] == 1
    assert counts["dokumentfiler"] == 80


def test_the_package_carries_the_standards_schemas_unchanged() -> None:
    """The schemas stepgate puts in each package are Arkivverket's, byte for byte."""
    where = _noark.schemas()
    for name in (*_noark.XML_FILES, "metadatakatalog"):
        assert (SCHEMAS / f"{name}.xsd").read_bytes() == (
            where / "v5_0" / f"{name}.xsd"
        ).read_bytes()
    assert (SCHEMAS / "addml.xsd").read_bytes() == (where / "addml.xsd").read_bytes()


STORY = st.lists(
    st.tuples(
        st.booleans(),  # stopped (else concluded)
        st.sampled_from([None, "offl. § 14", "offl. § 13 jf. fvl. § 13"]),  # a document's ground
        st.sampled_from([None, "offl. § 14"]),  # a council decision's ground
        st.binary(min_size=1, max_size=2000),  # a document's bytes
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
            min_size=1,
            max_size=30,
        ).filter(str.strip),
    ),
    min_size=1,
    max_size=3,
)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(story=STORY)
def test_any_record_gives_a_valid_extraction(backend: str, story: Any) -> None:
    """Random closed investigations with random documents, grounds and titles: the package
    validates, every checksum and count holds, and a second export is byte-identical."""
    record = TempRecord(backend)
    folder = pathlib.Path(record.location).parent if backend == "sqlite" else None
    import tempfile  # noqa: PLC0415 - only here

    with tempfile.TemporaryDirectory() as scratch:
        try:
            clock = sg.FixedClock()
            with sg.open_store(record.location, clock=clock) as store:
                for i, (stop, ground, decided, content, title) in enumerate(story):
                    run = Scenario(store, key=f"u-{i}", title=title)
                    run.inv.set_case_number(f"2024/{i + 1}")
                    run.start().to_decision()
                    run.inv.add_document(
                        [doc(title, content, filename="x", media_type="application/octet-stream",
                             exemption=ground, kind="notat")]
                    )  # fmt: skip
                    if stop:
                        run.inv.steering_decision("stop")
                    else:
                        run.inv.steering_decision("approve")
                        for n in run.numbers:
                            run.inv.council_decision(n, "approve", exemption=decided)
                    clock.advance(days=40)
            first = extract(record.location, pathlib.Path(scratch) / "a")
            _noark.validate(first.folder)
            counts = _noark.recount(first.folder)
            assert counts["mappe"] == len(story)
            second = extract(record.location, pathlib.Path(scratch) / "b")
            assert _noark.tree(first.folder) == _noark.tree(second.folder)
        finally:
            record.close()
    assert folder is None or not folder.exists()


def test_the_xml_shows_control_characters_as_escapes(
    tmp_path: pathlib.Path, clock: sg.FixedClock
) -> None:
    """A title with characters XML cannot hold still gives a valid package (shown as escapes)."""
    location = str(tmp_path / "r.db")
    with sg.open_store(location, clock=clock) as store:
        run = Scenario(store, title="Tittel med \x1b[31m farge")
        run.inv.set_case_number("2024/3")
        run.start().to_decision()
        run.inv.steering_decision("stop")
    folder = extract(location, tmp_path / "out").folder
    _noark.validate(folder)
    assert "Tittel med \\x1b[31m farge" in (folder / "arkivstruktur.xml").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("where", ["document", "journal", "move"])
def test_a_failure_on_the_way_leaves_nothing(
    record: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A disk that fills up while a document, a journal or the move is written: one line,
    and neither the package nor its temporary folder is left behind."""
    from stepgate.archive import package  # noqa: PLC0415 - the parts to break
    from stepgate.report.noark import journal  # noqa: PLC0415

    def full(*_: Any, **__: Any) -> None:
        raise OSError(28, "No space left on device")

    copy = package._Writer._documents

    def copied_then_full(self: Any, case: Any) -> None:
        copy(self, case)  # the case's documents are in the temporary folder by now
        full()

    target = {
        "document": (package._Writer, "_documents", copied_then_full),
        "journal": (journal.Journal, "finish", full),
        "move": (package.os, "rename", full),
    }[where]
    monkeypatch.setattr(*target)
    done = archive_cli(record, tmp_path / "out")
    assert done.exit_code == 1
    assert len(done.output.strip().splitlines()) <= 2, done.output  # the error and its detail
    assert "the disk is full" in done.output or "could not take the extraction" in done.output
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("at", "day"),
    [
        ("2024-03-14T22:59:00+00:00", "2024-03-14"),
        ("2024-03-14T23:30:00+00:00", "2024-03-15"),  # past midnight in Norway (UTC+1)
        ("2024-06-30T22:30:00+00:00", "2024-07-01"),  # summer time (UTC+2)
        ("2024-12-31T23:10:00+00:00", "2025-01-01"),  # a new journal year
    ],
)
def test_a_journal_date_is_the_day_in_norway(at: str, day: str) -> None:
    """A registration's journal date (and year) is the day it was recorded, in Norway."""
    from stepgate.report.noark.mapping import local_day  # noqa: PLC0415 - the one function

    assert local_day(dt.datetime.fromisoformat(at)).isoformat() == day


def test_no_two_investigations_share_a_system_id(tmp_path: pathlib.Path) -> None:
    """Two records with the same key give their cases different ids (from the first event)."""
    found = []
    for n, when in enumerate(("2024-01-15T09:00:00+00:00", "2024-01-16T09:00:00+00:00")):
        location = str(tmp_path / f"r{n}.db")
        clock = sg.FixedClock(dt.datetime.fromisoformat(when))
        with sg.open_store(location, clock=clock) as store:
            closed(store, "barnevern-2024", "2024/5", stop=True)
        folder = extract(location, tmp_path / f"out{n}").folder
        et = _noark.etree()
        found.append({e.text for e in et.parse(str(folder / "arkivstruktur.xml")).iter(
            f"{_noark.N5}systemID")})  # fmt: skip
    shared = found[0] & found[1]
    assert len(shared) == 3  # the arkiv and its class system and class, the host app's; no case
