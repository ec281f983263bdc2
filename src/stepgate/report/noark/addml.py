"""``arkivuttrekk.xml``: the package described in ADDML 8.3, as Noark 5's template has it.

Every XML file and every schema it names carries its SHA-256 checksum (the
metadata catalogue's only at its first mention, as the template says); each
file says how many folders, registrations, changes or journal entries it holds,
and the package how many document files. Arkade reads these positionally: the
package's own object first, its ``info`` first, ``additionalInfo`` second, and
``arkivstruktur`` as the first file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import attrs

from stepgate.report.noark.structure import NS_XSI, element
from stepgate.report.noark.xml import XmlOut

NS = "http://www.arkivverket.no/standarder/addml"
NAME = "Noark 5-arkivuttrekk"
CATALOGUE = "metadatakatalog.xsd"


@attrs.frozen
class Described:
    """One XML file of the package: its name, its schema, their checksums, what it counts."""

    name: str
    sha256: str
    schema: str
    schema_sha256: str
    counts: tuple[tuple[str, int], ...]
    more: tuple[tuple[str, str], ...] = ()  # further schemas it uses: name, checksum


@attrs.frozen
class Package:
    """What the ADDML says of the whole package."""

    creators: tuple[str, ...]
    archive: str
    start: dt.date
    end: dt.date
    screened: bool
    documents: int
    catalogue_sha256: str
    files: tuple[Described, ...]


@contextmanager
def _property(x: XmlOut, name: str, value: object = None, data_type: str = "") -> Iterator[None]:
    attributes = {"name": name} | ({"dataType": data_type} if data_type else {})
    with element(x, "property", **attributes):
        x.leaf("value", value)
        with element(x, "properties"):
            yield


def _leaf(x: XmlOut, name: str, value: object, data_type: str = "") -> None:
    attributes = {"name": name} | ({"dataType": data_type} if data_type else {})
    with element(x, "property", **attributes):
        x.leaf("value", value)


def _file(x: XmlOut, name: str, sha256: str | None) -> None:
    with _property(x, "file"):
        _leaf(x, "name", name)
        if sha256 is None:  # the metadata catalogue again: named, not checksummed
            return
        with _property(x, "format", "XML"):
            _leaf(x, "version", "1.0")
        with _property(x, "checksum"):
            _leaf(x, "algorithm", "SHA-256")
            _leaf(x, "value", sha256)


def _schema(x: XmlOut, name: str, sha256: str | None, *, main: bool) -> None:
    with _property(x, "schema", "main" if main else None):
        _file(x, name, sha256)
        if sha256 is not None:
            with _property(x, "type", "XML Schema"):
                _leaf(x, "version", "1.0")


def write(out: BinaryIO, package: Package) -> None:
    """Write the ADDML description of ``package`` to ``out``."""
    x = XmlOut(out)
    with (
        element(
            x, "addml", xmlns=NS, xmlns_xsi=NS_XSI, xsi_schemaLocation=f"{NS} addml.xsd", name=NAME
        ),
        element(x, "dataset"),
    ):
        x.leaf("description", NAME)
        _reference(x, package)
        with element(x, "dataObjects"), element(x, "dataObject", name=NAME):
            with element(x, "properties"), _property(x, "info"):
                with _property(x, "type", "Noark 5"):
                    _leaf(x, "version", "5.0")
                _additional(x, package)
            with element(x, "dataObjects"):
                for n, described in enumerate(package.files):
                    _object(x, described, package.catalogue_sha256 if n == 0 else None)


def _reference(x: XmlOut, package: Package) -> None:
    with element(x, "reference"):
        with element(x, "context"), element(x, "additionalElements"):
            with (
                element(x, "additionalElement", name="recordCreators"),
                element(x, "additionalElements"),
            ):
                for creator in package.creators:
                    with element(x, "additionalElement", name="recordCreator"):
                        x.leaf("value", creator)
            for name, value in (
                ("systemType", "Sakarkiv (Noark-5)"),
                ("systemName", "stepgate"),
                ("archive", package.archive),
            ):
                with element(x, "additionalElement", name=name):
                    x.leaf("value", value)
        with (
            element(x, "content"),
            element(x, "additionalElements"),
            element(x, "additionalElement", name="archivalPeriod"),
            element(x, "properties"),
        ):
            _leaf(x, "startDate", package.start.isoformat())
            _leaf(x, "endDate", package.end.isoformat())


def _additional(x: XmlOut, package: Package) -> None:
    with _property(x, "additionalInfo"):
        with _property(x, "periode"):
            _leaf(x, "inngaaendeSkille", "skarpt")
            _leaf(x, "utgaaendeSkille", "skarpt")
        for name, flag in (
            ("inneholderSkjermetInformasjon", package.screened),
            ("omfatterDokumenterSomErKassert", False),
            ("inneholderDokumenterSomSkalKasseres", False),
            ("inneholderVirksomhetsspesifikkeMetadata", True),
        ):
            _leaf(x, name, "true" if flag else "false", "boolean")
        _leaf(x, "antallDokumentfiler", package.documents, "integer")


def _object(x: XmlOut, described: Described, catalogue_sha256: str | None) -> None:
    with (
        element(x, "dataObject", name=described.name.removesuffix(".xml")),
        element(x, "properties"),
    ):
        _file(x, described.name, described.sha256)
        _schema(x, described.schema, described.schema_sha256, main=True)
        _schema(x, CATALOGUE, catalogue_sha256, main=False)
        for name, sha256 in described.more:
            _schema(x, name, sha256, main=False)
        with _property(x, "info"):
            for what, count in described.counts:
                with _property(x, "numberOfOccurrences", what):
                    _leaf(x, "elementPath", f"//{what}")
                    _leaf(x, "value", count, "integer")
