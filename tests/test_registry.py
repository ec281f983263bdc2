"""Processes by name (registered: entry points or a host app's own), or code a person names."""

from __future__ import annotations

import importlib.metadata
import pathlib
import sys
import types
from collections.abc import Iterator

import pytest

import stepgate as sg
from stepgate.api import registry
from stepgate.api.registry import given_process
from stepgate.testing import SECRETARIAT, SOGN


@pytest.fixture
def module() -> Iterator[types.ModuleType]:
    """A host module with factories good and bad."""
    made = types.ModuleType("hostprocesses")
    made.good = lambda: sg.trust_reform().derive("host-2025")  # type: ignore[attr-defined]
    made.ready = sg.trust_reform().derive("ready-2025")  # type: ignore[attr-defined]
    made.text = lambda: "not a process"  # type: ignore[attr-defined]
    made.broken = lambda: 1 / 0  # type: ignore[attr-defined]
    sys.modules["hostprocesses"] = made
    yield made
    del sys.modules["hostprocesses"]


def test_stepgate_registers_its_own_processes() -> None:
    """trust-reform and the demo's sogn-2024 are registered; each is what its name says."""
    known = sg.registered_processes()
    assert known["trust-reform"] == "stepgate.process.trust_reform:trust_reform"
    assert known["sogn-2024"] == "stepgate.sogn:sogn_process"
    assert sg.find_process("sogn-2024").name == "sogn-2024"


@pytest.mark.parametrize(
    ("spec", "name"), [("hostprocesses:good", "host-2025"), ("hostprocesses:ready", "ready-2025")]
)
def test_a_factory_or_a_process_is_imported_by_module_and_name(
    module: types.ModuleType, spec: str, name: str
) -> None:
    """import_process("module:factory") calls the factory; module:process takes it as it is."""
    assert sg.import_process(spec).name == name


def test_a_python_file_is_imported_by_its_path(tmp_path: pathlib.Path) -> None:
    """import_process("path/to/file.py:factory") imports the file (its folder joins sys.path)."""
    (tmp_path / "eigen_prosess.py").write_text(
        "import stepgate as sg\n\ndef make():\n    return sg.trust_reform().derive('eigen')\n",
        encoding="utf-8",
    )
    try:
        assert sg.import_process(f"{tmp_path / 'eigen_prosess.py'}:make").name == "eigen"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("eigen_prosess", None)


def test_find_process_looks_up_and_never_imports(module: types.ModuleType) -> None:
    """find_process takes only registered names: module:factory is an unknown process there."""
    with pytest.raises(sg.ProcessNotFound, match="no process 'hostprocesses:good' is registered"):
        sg.find_process("hostprocesses:good")
    own = sg.trust_reform().derive("eigen-2025")
    assert sg.find_process("eigen-2025", among=[own]) is own


@pytest.mark.parametrize(
    ("spec", "en", "nn"),
    [
        ("", "a process is named by", "ein prosess vert gjeven med"),
        (":make", "is not module:factory", "er ikkje modul:fabrikk"),
        ("hostprocesses:", "is not module:factory", "er ikkje modul:fabrikk"),
        ("hostprocesses:missing", "AttributeError", "AttributeError"),
        ("hostprocesses:broken", "(ZeroDivisionError) (division by zero)", "(ZeroDivisionError)"),
        ("hostprocesses:text", "gives str, not a stepgate.Process", "gjev str, ikkje"),
        ("no_such_module_here:make", "ModuleNotFoundError", "ModuleNotFoundError"),
        ("/no/such/file.py:make", "FileNotFoundError", "FileNotFoundError"),
    ],
)
def test_what_cannot_be_imported_is_said_in_one_line(
    module: types.ModuleType, spec: str, en: str, nn: str
) -> None:
    """Every failure is ProcessNotFound with one line in each language (what Python said kept as
    its detail), never a traceback's text."""
    with pytest.raises(sg.ProcessNotFound) as caught:
        sg.import_process(spec)
    assert en in str(caught.value)
    assert nn in caught.value.message("nn")
    assert len(str(caught.value).splitlines()) == 1


@pytest.mark.parametrize(
    ("given", "found"),
    [("sogn-2024", "sogn-2024"), ("hostprocesses:good", "host-2025")],
)
def test_a_person_gives_a_registered_name_or_code(
    module: types.ModuleType, given: str, found: str
) -> None:
    """--process takes a registered name, or module:factory that the person running it names."""
    assert given_process(given).name == found


def test_an_unknown_name_says_what_is_known_in_both_languages() -> None:
    """A name nobody registered is one line naming the known ones and how to give it."""
    with pytest.raises(sg.ProcessNotFound) as caught:
        sg.find_process("nowhere")
    assert caught.value.message("en").startswith(
        "no process 'nowhere' is registered (known: sogn-2024, trust-reform)"
    )
    assert caught.value.message("nn").startswith(
        "ingen prosess 'nowhere' er registrert (kjende: sogn-2024, trust-reform)"
    )


def test_a_process_registered_under_another_name_is_refused(
    module: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registered name must be the process's own, so no record runs under another one."""
    point = importlib.metadata.EntryPoint("wrong-name", "hostprocesses:good", registry.GROUP)
    monkeypatch.setattr(registry.importlib.metadata, "entry_points", lambda group: [point])
    with pytest.raises(sg.ProcessNotFound, match="is named 'host-2025'; register it under its own"):
        sg.find_process("wrong-name")


def test_the_store_loads_and_verifies_with_the_registered_process(tmp_path: pathlib.Path) -> None:
    """Store.load(key) without a process finds it by the record's name; verify replays it."""
    db = tmp_path / "s.db"
    with sg.open_store(db, clock=sg.FixedClock()) as store:
        store.create(
            sg.find_process("sogn-2024"), key="k", title="T", region=SOGN, actor=SECRETARIAT
        )
    with sg.open_store(db, read_only=True) as store:
        assert store.load("k").process.name == "sogn-2024"
        assert store.verify().unreplayed == ()


def test_a_host_app_gives_its_store_its_own_processes(tmp_path: pathlib.Path) -> None:
    """open_store(processes=[…]) is the host app's registry: load(key) and verify() find it."""
    own = sg.trust_reform().derive("heimetenester-2025")
    db = tmp_path / "s.db"
    with sg.open_store(db, clock=sg.FixedClock()) as store:
        store.create(own, key="k", title="T", region=SOGN, actor=SECRETARIAT)
    with sg.open_store(db, read_only=True) as store:
        with pytest.raises(sg.ProcessNotFound, match="'k' was made with the process"):
            store.load("k")
        assert store.verify().unreplayed == ("k",)
    with sg.open_store(db, read_only=True, processes=[own]) as store:
        assert store.load("k").process is own
        assert store.verify().ok


@pytest.mark.parametrize(
    "given",
    [
        sg.trust_reform(),
        "trust-reform",
        [1],
        [sg.trust_reform(), sg.trust_reform(hard_threshold=3)],
    ],
)
def test_a_store_takes_a_list_of_distinct_processes(given: object) -> None:
    """processes= is a list of Process values, one per name; anything else is refused."""
    with pytest.raises(sg.InvalidValue):
        sg.open_store(processes=given)  # type: ignore[arg-type]
