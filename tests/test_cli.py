"""The command line: every command works, is documented, and fails in one clear line."""

from __future__ import annotations

import json
import pathlib
import re
import sqlite3

import click
import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import main
from stepgate.testing import SECRETARIAT, SOGN

ROOT = pathlib.Path(__file__).resolve().parents[1]
KEY = "barnevern-2024"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's database, made once for this module."""
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def run(*args: str) -> tuple[int, str]:
    """Run the CLI; the exit code and everything it printed."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_demo_ends_concluded_among_four_and_verifies(tmp_path: pathlib.Path) -> None:
    """`stepgate demo` prints the timeline with refusals and ends with four municipalities."""
    db = str(tmp_path / "d.db")
    code, out = run("demo", "--db", db, "--lang", "en")
    assert code == 0
    assert "REFUSED            close_step: [hardest-topics-first]" in out
    assert "State: concluded" in out
    assert "Established among: Sogndal, Lærdal, Årdal, Luster" in out
    assert "Chain holds: True" in out
    code, again = run("demo", "--db", db, "--lang", "en")
    assert code == 0
    assert again == out
    code, out = run("verify", db)
    assert code == 0
    assert f"ok     {KEY}: head " in out
    *_, count, checkpoint = out.rstrip().splitlines()
    assert count == "96 events in 1 investigation"
    assert re.fullmatch(r"checkpoint stepgate:96:[0-9a-f]{64}", checkpoint)


def test_demo_leaves_a_foreign_database_alone(tmp_path: pathlib.Path) -> None:
    """The demo does not replace a database that holds other investigations."""
    db = str(tmp_path / "other.db")
    store = sg.open_store(db)
    store.create(sg.trust_reform(), key="nav-2024", title="NAV", region=SOGN, actor=SECRETARIAT)
    store.close()
    code, out = run("demo", "--db", db)
    assert code == 1
    assert "holds other investigations" in out
    assert sg.open_store(db).keys() == ["nav-2024"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("status", "{db}"), "barnevern-2024           concluded"),
        (("status", "{db}", KEY), "avslutta (v96)"),
        (("status", "{db}", KEY, "--lang", "en"), "concluded (v96)"),
        (("log", "{db}", KEY, "--lang", "en"), "gate passed        Step 4"),
        (("report", "{db}", KEY), "| Luster | formannskap | slutta seg til | 2024-04-03 |"),
        (("report", "{db}", KEY, "--format", "html"), "<svg"),
        (("diagram",), "stateDiagram-v2"),
        (("diagram", "--db", "{db}", "--key", KEY), "Class concluded s_active"),
        (("explain", "{db}", KEY, "close_step", "--lang", "en"), "lifecycle: 'close_step'"),
        (("--version",), "stepgate, version"),
    ],
)
def test_commands_print_what_they_should(
    demo_db: str, args: tuple[str, ...], expected: str
) -> None:
    """Each command prints its part of the record."""
    code, out = run(*(a.replace("{db}", demo_db) for a in args))
    assert code in (0, 3)
    assert expected in out


def test_status_and_report_speak_json(demo_db: str) -> None:
    """--json and --format json give the same machine-readable data."""
    _, out = run("status", demo_db, "--json")
    assert json.loads(out)[0]["key"] == KEY
    _, out = run("report", demo_db, KEY, "--format", "json")
    data = json.loads(out)
    assert [m["name"] for m in data["decision"]["established_among"]] == [
        "Sogndal",
        "Lærdal",
        "Årdal",
        "Luster",
    ]


def test_report_writes_a_file(demo_db: str, tmp_path: pathlib.Path) -> None:
    """-o writes the report to a file and prints its name."""
    target = tmp_path / "rapport.html"
    code, _ = run("report", demo_db, KEY, "--format", "html", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("status", "missing.db"), "no database at 'missing.db'"),
        (("report", "{db}", "nav-2099"), "UnknownInvestigation: no investigation"),
        (("explain", "{db}", KEY, "fly"), "InvalidValue: unknown action 'fly'"),
        (("explain", "{db}", KEY, "close_step", "--process", "nope"), "unknown process 'nope'"),
        (("diagram", "--db", "{db}"), "give both --db and --key"),
        (("status", "{notdb}"), "NotAStepgateDatabase"),
    ],
)
def test_errors_are_one_line_without_a_traceback(
    demo_db: str, tmp_path: pathlib.Path, args: tuple[str, ...], words: str
) -> None:
    """A bad call prints one error line and exits non-zero."""
    notdb = tmp_path / "notes.txt"
    notdb.write_text("not a database\n" * 50)
    code, out = run(*(a.replace("{db}", demo_db).replace("{notdb}", str(notdb)) for a in args))
    assert code != 0
    assert words in out
    assert "Traceback" not in out
    assert len(out.strip().splitlines()) == 1


def test_verify_fails_on_a_tampered_file(tmp_path: pathlib.Path) -> None:
    """`stepgate verify` exits 1 and names the broken seq."""
    db = str(tmp_path / "t.db")
    run("demo", "--db", db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER events_insert_only_update")
    conn.execute("UPDATE events SET body = replace(body, 'sogn-ko', 'x') WHERE seq = 40")
    conn.close()
    code, out = run("verify", db)
    assert code == 1
    assert f"BROKEN {KEY}: seq 40" in out


def test_every_command_has_help_and_is_documented() -> None:
    """Each command has help text and a section in docs/cli.md."""
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert (command.help or "").strip(), name
        assert f"## `stepgate {name}`" in docs, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"
