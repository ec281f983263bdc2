"""Checking a Noark 5 extraction as Arkade would: against Arkivverket's schemas, by checksums.

The schemas are the standard's own files in ``../shared/noark5/`` beside the
project (or where ``STEPGATE_NOARK5`` says). Where they are missing a test that
needs them skips with one line, except in CI (``STEPGATE_CI=1``), where it fails.
The schemas do not check checksums or counts, so ``recount`` recomputes them all
from the files.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pathlib
from typing import Any

import pytest

from tests._db import IN_CI

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = pathlib.Path(os.environ.get("STEPGATE_NOARK5", ROOT.parent / "shared" / "noark5"))
XML_FILES = ("arkivstruktur", "endringslogg", "loependeJournal", "offentligJournal")
N5 = "{http://www.arkivverket.no/standarder/noark5/arkivstruktur}"
ADDML = "{http://www.arkivverket.no/standarder/addml}"
OJ = "{http://www.arkivverket.no/standarder/noark5/offentligJournal}"
RECORD = "{urn:stepgate:record:1}"


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must validate against the Noark 5 schemas: {reason}")
    pytest.skip(reason)


def schemas() -> pathlib.Path:
    """The folder of Arkivverket's schemas (``v5_0/`` and ``addml.xsd``)."""
    if not (SHARED / "v5_0" / "arkivstruktur.xsd").is_file():
        _missing(f"no Noark 5 schemas at {SHARED} (set STEPGATE_NOARK5)")
    return SHARED


def etree() -> Any:
    """lxml's etree (the test extra has it)."""
    try:
        from lxml import etree as found  # noqa: PLC0415 - the test extra
    except ImportError:  # pragma: no cover - the test extra has it
        _missing("lxml is not installed (pip install -e '.[test]')")
    return found


def validate(folder: pathlib.Path) -> None:
    """Every XML file of the package is valid against the standard's own schema."""
    et, where = etree(), schemas()
    for name in XML_FILES:
        schema = et.XMLSchema(et.parse(str(where / "v5_0" / f"{name}.xsd")))
        document = et.parse(str(folder / f"{name}.xml"))
        assert schema.validate(document), (name, [str(e) for e in schema.error_log][:5])
    own = et.XMLSchema(et.parse(str(folder / "stepgate.xsd")))  # stepgate's metadata (M711)
    structure = et.parse(str(folder / "arkivstruktur.xml"))
    found = 0
    for metadata in structure.iter(f"{RECORD}investigation", f"{RECORD}registration"):
        alone = et.ElementTree(copy.deepcopy(metadata))
        assert own.validate(alone), [str(e) for e in own.error_log][:5]
        found += 1
    assert found > sum(1 for _ in structure.iter(f"{N5}mappe"))  # every folder and registration
    addml = et.XMLSchema(et.parse(str(where / "addml.xsd")))
    described = et.parse(str(folder / "arkivuttrekk.xml"))
    assert addml.validate(described), [str(e) for e in addml.error_log][:5]


def sha256(path: pathlib.Path) -> str:
    """The SHA-256 of a file (hex)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recount(folder: pathlib.Path) -> dict[str, int]:
    """Recompute every checksum and count the ADDML and the dokumentobjekts state; the counts.

    Every file the ADDML names exists and has its checksum; every dokumentobjekt's
    file has its checksum and size; ``dokumenter/`` holds exactly the files named;
    the counts of folders, registrations, changes, journal entries and document
    files are what the files hold.
    """
    et = etree()
    described = et.parse(str(folder / "arkivuttrekk.xml"))
    checked = 0
    for file in described.iter(f"{ADDML}property"):
        if file.get("name") != "file":
            continue
        name = file.find(f"{ADDML}properties/{ADDML}property[@name='name']/{ADDML}value").text
        value = file.find(
            f"{ADDML}properties/{ADDML}property[@name='checksum']/{ADDML}properties/"
            f"{ADDML}property[@name='value']/{ADDML}value"
        )
        if value is None:
            assert name == "metadatakatalog.xsd", name  # named again, checksummed at first
            continue
        assert value.text == sha256(folder / name), name
        checked += 1
    structure = et.parse(str(folder / "arkivstruktur.xml"))
    files = set()
    for obj in structure.iter(f"{N5}dokumentobjekt"):
        path = folder / obj.findtext(f"{N5}referanseDokumentfil")
        assert obj.findtext(f"{N5}sjekksum") == sha256(path)
        assert int(obj.findtext(f"{N5}filstoerrelse")) == path.stat().st_size
        assert obj.findtext(f"{N5}format") == path.suffix.lstrip(".")
        files.add(path.name)
    assert files == {p.name for p in (folder / "dokumenter").iterdir()}
    found = {
        "mappe": sum(1 for _ in structure.iter(f"{N5}mappe")),
        "registrering": sum(1 for _ in structure.iter(f"{N5}registrering")),
        "endring": _count(folder / "endringslogg.xml", "endring"),
        "journalregistrering": _count(folder / "loependeJournal.xml", "journalregistrering"),
    }
    assert (
        _count(folder / "offentligJournal.xml", "journalregistrering")
        == found["journalregistrering"]
    )
    assert found["journalregistrering"] == found["registrering"]
    stated: dict[str, list[int]] = {}
    for count in described.iter(f"{ADDML}property"):
        if count.get("name") == "numberOfOccurrences":
            what = count.findtext(f"{ADDML}value")
            n = count.find(f"{ADDML}properties/{ADDML}property[@name='value']/{ADDML}value")
            stated.setdefault(what, []).append(int(n.text))
        elif count.get("name") == "antallDokumentfiler":
            assert int(count.findtext(f"{ADDML}value")) == len(files)
    assert stated == {
        "mappe": [found["mappe"]],
        "registrering": [found["registrering"]],
        "endring": [found["endring"]],
        "journalregistrering": [found["journalregistrering"]] * 2,
    }
    assert checked == 10  # four XML files, their four schemas, the catalogue (once), stepgate's
    return found | {"dokumentfiler": len(files)}


def _count(path: pathlib.Path, tag: str) -> int:
    et = etree()
    return sum(1 for e in et.parse(str(path)).iter() if et.QName(e).localname == tag)


def screened_titles(folder: pathlib.Path) -> set[str]:
    """The titles the package screens: of registrations whose public title differs."""
    et = etree()
    found = set()
    for r in et.parse(str(folder / "arkivstruktur.xml")).iter(f"{N5}registrering"):
        public = r.findtext(f"{N5}offentligTittel")
        if public is not None and r.find(f"{N5}skjerming") is not None:
            found.add(r.findtext(f"{N5}tittel"))
    return found


def tree(folder: pathlib.Path) -> dict[str, bytes]:
    """Every file of a package by its path in it, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
