"""The layers of DESIGN.md §2 hold, and the public facade is sorted and complete."""

from __future__ import annotations

import ast
import pathlib

import pytest

import stepgate
from stepgate import errors as _errors

SRC = pathlib.Path(stepgate.__file__).parent

LAYERS: dict[str, int] = {
    "errors": 0,
    "model": 1,
    "rules": 2,
    "process": 3,
    "engine": 4,
    "store": 5,
    "api": 6,
    "report": 7,
    "sogn": 8,
    "archive": 8,
    "cli": 8,
    "testing": 8,
    "__init__": 8,
    "_facade": 8,
    "__main__": 9,
}
"""Layer of each package (or top-level module) under stepgate. Imports point downward."""


def _module_of(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    return rel.parts[0]


def _stepgate_imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "stepgate" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def _third_party(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
    return roots


SOURCES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_downward(path: pathlib.Path) -> None:
    """A module imports only from its own layer or the layers below it."""
    module = _module_of(path)
    assert module in LAYERS, f"{module} has no layer; add it to LAYERS"
    upward = {m for m in _stepgate_imports(path) if LAYERS[m] > LAYERS[module]}
    assert upward == set(), f"{module} imports upward: {sorted(upward)}"


@pytest.mark.parametrize(
    ("library", "owner"),
    [
        ("transitions", {"engine/machine.py"}),
        ("sqlite_utils", {"store/sqlite.py", "store/schema.py"}),
        ("sqlite3", {"store/sqlite.py", "store/schema.py"}),
        ("jinja2", {"report/render.py"}),
        ("psycopg", {"store/postgres.py"}),
        ("click", {"cli/"}),
        ("pytest_bdd", {"testing/steps.py"}),
    ],
)
def test_each_dependency_has_one_owner(library: str, owner: set[str]) -> None:
    """Only the engine's machine imports transitions, the store its databases, the cli click."""
    importers = {str(p.relative_to(SRC)) for p in SOURCES if library in _third_party(p)}
    strays = {i for i in importers if not any(i == o or i.startswith(o) for o in owner)}
    assert strays == set(), strays


def test_the_core_does_no_io() -> None:
    """Model, rules, process and engine never open files, sockets or read the clock."""
    banned = {"os", "io", "socket", "sqlite3", "pathlib", "time", "subprocess", "random"}
    for path in SOURCES:
        module = _module_of(path)
        if LAYERS[module] <= 4:
            assert _third_party(path) & banned == set(), module
            text = path.read_text(encoding="utf-8")
            for call in (".now(", ".today(", "open("):
                assert call not in text, (module, call)


def test_reports_write_no_file() -> None:
    """The report layer makes strings and writes to streams it is given; it opens no file."""
    banned = {"os", "shutil", "tempfile", "subprocess", "sqlite3", "socket"}
    for path in SOURCES:
        if _module_of(path) == "report":
            assert _third_party(path) & banned == set(), path
            text = path.read_text(encoding="utf-8")
            for call in ("open(", ".write_text(", ".write_bytes(", ".mkdir("):
                assert call not in text, (path, call)


def test_all_is_sorted_and_complete() -> None:
    """``stepgate.__all__`` is sorted and names every public object the package exports."""
    assert stepgate.__all__ == sorted(stepgate.__all__)
    public = {n for n in vars(stepgate) if not n.startswith("_") and n != "annotations"}
    modules = {n for n in public if isinstance(getattr(stepgate, n), type(stepgate))}
    assert set(stepgate.__all__) - {"__version__"} == public - modules
    for name in stepgate.__all__:
        assert hasattr(stepgate, name), name


def test_errors_form_one_rooted_tree() -> None:
    """Every stepgate error derives from StepgateError, and the tree is drawn in the docstring."""
    doc = _errors.__doc__ or ""
    for name in dir(_errors):
        obj = getattr(_errors, name)
        ours = isinstance(obj, type) and obj.__module__ == _errors.__name__
        if ours and issubclass(obj, Exception):
            assert issubclass(obj, stepgate.StepgateError), name
            assert name in doc, f"{name} is not drawn in the errors docstring"


@pytest.mark.parametrize("layer", sorted(n for n in LAYERS if (SRC / n).is_dir()))
def test_every_layer_is_a_folder_that_says_what_it_owns(layer: str) -> None:
    """Each layer's package has a docstring of its own (one paragraph or more)."""
    text = (SRC / layer / "__init__.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert len(doc.split()) >= 20, layer
