"""The command line: every command works on any record, speaks both languages and JSON,
reads without writing, and fails in one clear line."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli, main
from stepgate.cli.app import SYSTEM_WORDS
from stepgate.testing import SECRETARIAT, SOGN

ROOT = pathlib.Path(__file__).resolve().parents[1]
KEY = "barnevern-2024"
IN_CI = os.environ.get("STEPGATE_CI") == "1"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's database, made once for this module."""
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def run(*args: str) -> tuple[int, str]:
    """Run the CLI as the script does; the exit code and everything it printed."""
    code = 0
    with CliRunner().isolation() as streams:
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        output = b"".join(s.getvalue() for s in streams[:2] if s is not None)
    return code, output.decode()


def test_demo_ends_with_one_sentence_and_what_to_try_next(tmp_path: pathlib.Path) -> None:
    """`stepgate demo` prints the timeline with refusals, one summary sentence and a hint."""
    db = str(tmp_path / "d.db")
    code, out = run("demo", "--db", db, "--lang", "en")
    assert code == 0
    assert "REFUSED            close_step: [hardest-topics-first]" in out
    assert "State: concluded" in out
    *_, sentence, hint = out.rstrip().splitlines()
    assert re.fullmatch(
        r"The cooperation is established among Sogndal, Lærdal, Årdal and Luster; the record "
        r"verifies \(96 events\), and its head hash is [0-9a-f]{16}….",
        sentence,
    )
    assert hint.startswith(f"Try next: 'stepgate report {db} {KEY} --format html")
    code, again = run("demo", "--db", db, "--lang", "en")
    assert (code, again) == (0, out)
    code, out = run("demo", "--db", db)
    assert "Samarbeidet er etablert mellom Sogndal, Lærdal, Årdal og Luster;" in out
    assert "Prøv så:" in out


def test_demo_leaves_a_foreign_database_alone(tmp_path: pathlib.Path) -> None:
    """The demo does not replace a database that holds other investigations."""
    db = str(tmp_path / "other.db")
    store = sg.open_store(db)
    store.create(sg.trust_reform(), key="nav-2024", title="NAV", region=SOGN, actor=SECRETARIAT)
    store.close()
    code, out = run("demo", "--db", db, "--lang", "en")
    assert code == 1
    assert "holds other investigations" in out
    assert sg.open_store(db).keys() == ["nav-2024"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("status", "{db}"), "barnevern-2024           avslutta"),
        (("status", "{db}", KEY), "avslutta (v96)"),
        (("status", "{db}", KEY, "--lang", "en"), "concluded (v96)"),
        (("log", "{db}", KEY, "--lang", "en"), "gate passed        Step 4"),
        (("log", "{db}", KEY), "03.04.2024  port passert"),
        (("report", "{db}", KEY), "| Luster | formannskapet | slutta seg til | 03.04.2024 |"),
        (("report", "{db}", KEY, "--format", "html"), "<svg"),
        (("report", "{db}", KEY, "--date", "2024-06-30"), "Rapportdato: 30.06.2024"),
        (("diagram",), "7. avslutta"),
        (("diagram", "--format", "mermaid"), "stateDiagram-v2"),
        (("diagram", "--db", "{db}", "--key", KEY), "7. avslutta  ← her står saka"),
        (("diagram", "{db}", KEY), "7. avslutta  ← her står saka"),
        (("diagram", "--db", "{db}", "--key", KEY, "--format", "mermaid"), "s_active"),
        (("explain", "{db}", KEY, "close_step", "--lang", "en"), "lifecycle: 'close_step'"),
        (("explain", "{db}", KEY, "opt_out", "--set", "municipality=Vik"), "lifecycle"),
        (("processes",), "sogn-2024"),
        (("--version",), "stepgate, version"),
    ],
)
def test_commands_print_what_they_should(
    demo_db: str, args: tuple[str, ...], expected: str
) -> None:
    """Each command prints its part of the record."""
    code, out = run(*(a.replace("{db}", demo_db) for a in args))
    assert code in (0, 3), out
    assert expected in out


@pytest.mark.parametrize(
    "args",
    [
        ("demo", "--db", "{tmp}"),
        ("status", "{db}"),
        ("status", "{db}", KEY),
        ("log", "{db}", KEY),
        ("explain", "{db}", KEY, "close_step"),
        ("verify", "{db}"),
        ("checkpoint", "{db}"),
        ("backup", "{db}", "{tmp}"),
        ("report", "{db}", KEY, "--format", "json"),
        ("diagram", "--db", "{db}", "--key", KEY),
        ("processes",),
        ("journal", "{db}", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"),
        (
            "archive",
            "{db}",
            "{tmp}",
            "--creator-id",
            "1",
            "--creator",
            "K",
            "--archive",
            "A",
            "--series",
            "S",
        ),
    ],
    ids=lambda a: "-".join(a[:1] + a[-1:]),
)
def test_every_command_that_prints_data_speaks_json(
    demo_db: str, tmp_path: pathlib.Path, args: tuple[str, ...]
) -> None:
    """--json (or --format json) prints one JSON document and nothing else."""
    given = [a.replace("{db}", demo_db).replace("{tmp}", str(tmp_path / "x.db")) for a in args]
    if "--format" not in given:
        given.append("--json")
    code, out = run(*given)
    assert code in (0, 3), out
    assert json.loads(out) is not None


def test_status_and_report_json_carry_the_record(demo_db: str) -> None:
    """status --json and report --format json name the state, the head hash and who decided."""
    _, out = run("status", demo_db, "--json")
    assert json.loads(out)[0]["key"] == KEY
    _, out = run("status", demo_db, KEY, "--json")
    status = json.loads(out)
    assert status["summary"]["established_among"] == ["Sogndal", "Lærdal", "Årdal", "Luster"]
    assert len(status["record"]["head_hash"]) == 64
    _, out = run("report", demo_db, KEY, "--format", "json")
    assert json.loads(out)["decision"]["established_among"] == ["4640", "4642", "4643", "4644"]


def test_every_command_speaks_both_languages_and_is_documented() -> None:
    """Each command has --lang, help text, and a section in docs/cli.md; each option has help."""
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert (command.help or "").strip(), name
        assert f"## `stepgate {name}`" in docs, name
        options = {p.name for p in command.params if isinstance(p, click.Option)}
        assert "lang" in options, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"


def test_report_writes_a_file(demo_db: str, tmp_path: pathlib.Path) -> None:
    """-o writes the report to a file and prints its name."""
    target = tmp_path / "rapport.html"
    code, _ = run("report", demo_db, KEY, "--format", "html", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("status", "missing.db"), "Feil: StorageUnavailable: ingen database på 'missing.db'"),
        (("status", "missing.db", "--lang", "en"), "Error: StorageUnavailable: no database at"),
        (("report", "{db}", "nav-2099"), "UnknownInvestigation: inga utgreiing har nøkkelen"),
        (("report", "{db}", "nav-2099", "--lang", "en"), "no investigation with key 'nav-2099'"),
        (("explain", "{db}", KEY, "fly"), "InvalidValue: ukjend handling 'fly'"),
        (("explain", "{db}", KEY, "opt_out", "--set", "nothing"), "--set tek FELT=VERDI"),
        (("explain", "{db}", KEY, "close_step", "--process", "nope"), "ingen prosess 'nope'"),
        (("status", "{db}", KEY, "--process", "nope:x"), "ProcessNotFound: prosessen 'nope:x'"),
        (("status", "{db}", KEY, "--as-of", "snart"), "InvalidValue: --as-of må vere ein dato"),
        (("report", "{db}", KEY, "--date", "i går"), "InvalidValue: --date må vere ein dato"),
        (("status", "{db}", "--as-of", "v3"), "--as-of og --process les éi utgreiing"),
        (("diagram", "--db", "{db}"), "gje både --db og --key"),
        (("diagram", "--process", "nope"), "ingen prosess 'nope' er registrert"),
        (("status", "{notdb}"), "NotAStepgateDatabase"),
        (("status", "{db}", "--bogus"), "No such option '--bogus'. (stepgate status -h)"),
        (("status", "{db}", "--lang", "de"), "Invalid value for '--lang'"),
        (("backup", "{db}", "{db}"), "er journalen som vert lesen"),
    ],
)
def test_errors_are_one_sentence_in_the_chosen_language(
    demo_db: str, tmp_path: pathlib.Path, args: tuple[str, ...], words: str
) -> None:
    """A bad call prints one sentence in Nynorsk unless asked otherwise (what a library said, on a
    detail line of its own), and exits non-zero."""
    notdb = tmp_path / "notes.txt"
    notdb.write_text("not a database\n" * 50)
    code, out = run(*(a.replace("{db}", demo_db).replace("{notdb}", str(notdb)) for a in args))
    assert code != 0
    assert words in out
    assert "Traceback" not in out
    first, *rest = out.strip().splitlines()
    assert first.startswith(("Feil: ", "Error: ")), out
    assert all(line.startswith(("  (detalj: ", "  (detail: ")) for line in rest), out


def test_verify_speaks_nynorsk_and_fails_on_a_tampered_file(tmp_path: pathlib.Path) -> None:
    """`stepgate verify` exits 1 and names the broken event, in the chosen language."""
    db = str(tmp_path / "t.db")
    run("demo", "--db", db)
    code, out = run("verify", db)
    assert code == 0
    assert out.splitlines()[-2] == "96 hendingar i 1 utgreiing"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER event_bodies_insert_only_update")
    conn.execute(
        "UPDATE event_bodies SET body = replace(body, 'sogn-ko', 'x') WHERE id = 1 << 32 | 40"
    )
    conn.close()
    code, out = run("verify", db)
    assert code == 1
    assert re.search(f"BROTEN +{KEY}: kjeda av hendingar er broten \\(hending 40\\)", out)
    code, out = run("verify", db, "--lang", "en")
    assert code == 1
    assert re.search(f"BROKEN +{KEY}: seq 40", out)


@pytest.mark.parametrize(
    "args",
    [
        ("status", "{db}"),
        ("status", "{db}", KEY),
        ("log", "{db}", KEY),
        ("report", "{db}", KEY),
        ("explain", "{db}", KEY, "close_step"),
        ("diagram", "--db", "{db}", "--key", KEY),
        ("verify", "{db}"),
        ("checkpoint", "{db}"),
    ],
    ids=lambda a: a[0] + ("-key" if KEY in a else ""),
)
def test_read_commands_never_write_an_empty_file(
    tmp_path: pathlib.Path, args: tuple[str, ...]
) -> None:
    """On a 0-byte file a read command says it is empty and leaves it as it was: 0 bytes, alone."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    code, out = run(*(a.replace("{db}", str(empty)) for a in args))
    assert code == 1
    assert "er tom" in out
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


# --- any record: processes by entry point, by --process ------------------------------

HOST_MODULE = '''
"""A host app's own process: the trust-reform process with one more rule of its own."""
import stepgate as sg


@sg.rule("no-fridays", at={"start"}, nn="Ikkje på fredagar.", en="Not on Fridays.")
def no_fridays(ctx):
    """No start on a Friday."""
    if ctx.command.on.weekday() == 4:
        yield {}


def process():
    """Sogndal's own process."""
    return sg.trust_reform().derive("sogndal-2025", add=[no_fridays])
'''


@pytest.fixture
def host_app(tmp_path: pathlib.Path) -> pathlib.Path:
    """A host app's package on disk: its module and its installed metadata with the entry point."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "hostapp.py").write_text(textwrap.dedent(HOST_MODULE), encoding="utf-8")
    info = app / "hostapp-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hostapp\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[stepgate.processes]\nsogndal-2025 = hostapp:process\n", encoding="utf-8"
    )
    return app


@pytest.fixture
def host_db(host_app: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    """A record the host app made with its own process."""
    sys.path.insert(0, str(host_app))
    try:
        import hostapp  # noqa: PLC0415 - made by the fixture above

        db = tmp_path / "sogndal.db"
        with sg.open_store(db, clock=sg.FixedClock()) as store:
            inv = store.create(
                hostapp.process(),
                key="ks-2025",
                title="Kulturskule",
                region=SOGN,
                actor=SECRETARIAT,
            )
            inv.invite(on="2024-01-16")
    finally:
        sys.path.remove(str(host_app))
        sys.modules.pop("hostapp", None)
    return db


def stepgate_cli(*args: str, path: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m stepgate ARGS`` in a child process, with ``path`` on its PYTHONPATH."""
    env = dict(os.environ, STEPGATE_LANG="en")
    if path is not None:
        env["PYTHONPATH"] = str(path)
    return subprocess.run(
        [sys.executable, "-m", "stepgate", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_host_process_is_found_by_its_entry_point(
    host_app: pathlib.Path, host_db: pathlib.Path
) -> None:
    """With the host app installed, every read command finds its process by the record's name."""
    listed = stepgate_cli("processes", path=host_app)
    assert "sogndal-2025             hostapp:process" in listed.stdout
    for args in (
        ["status", str(host_db), "ks-2025"],
        ["log", str(host_db), "ks-2025"],
        ["report", str(host_db), "ks-2025"],
        ["explain", str(host_db), "ks-2025", "start"],
        ["diagram", "--db", str(host_db), "--key", "ks-2025"],
        ["verify", str(host_db)],
    ):
        done = stepgate_cli(*args, path=host_app)
        assert done.returncode in (0, 3), (args, done.stderr)
        assert "Traceback" not in done.stderr
    verified = stepgate_cli("verify", str(host_db), path=host_app)
    assert "note" not in verified.stdout  # replayed with its own process


def test_a_host_process_is_named_with_process(
    host_app: pathlib.Path, host_db: pathlib.Path
) -> None:
    """Without the entry point, --process module:factory or file.py:factory finds it."""
    module_only = host_app.parent / "module-only"
    module_only.mkdir()
    shutil.copy(host_app / "hostapp.py", module_only)
    missing = stepgate_cli("status", str(host_db), "ks-2025", path=module_only)
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        "Error: ProcessNotFound: 'ks-2025' was made with the process 'sogndal-2025': "
        "no process 'sogndal-2025' is registered (known: sogn-2024, trust-reform); register it "
        "as a stepgate.processes entry point, or give it: --process module:factory "
        "(in Python, processes=[…])"
    )
    for given in ("hostapp:process", f"{module_only / 'hostapp.py'}:process"):
        done = stepgate_cli("status", str(host_db), "ks-2025", "--process", given, path=module_only)
        assert done.returncode == 0, done.stderr
        assert "ks-2025: Kulturskule" in done.stdout
    noted = stepgate_cli("verify", str(host_db), path=module_only)
    assert noted.returncode == 4
    assert "NOT WHOLE ks-2025: its process 'sogndal-2025' is unknown here" in noted.stdout
    replayed = stepgate_cli(
        "verify", str(host_db), "--process", "hostapp:process", path=module_only
    )
    assert replayed.returncode == 0
    assert "note" not in replayed.stdout
    wrong = stepgate_cli(
        "status", str(host_db), "ks-2025", "--process", "hostapp:nope", path=module_only
    )
    assert wrong.stderr.strip().startswith(
        "Error: ProcessNotFound: the process 'hostapp:nope' cannot be made from"
    )
    assert wrong.stderr.strip().splitlines()[1:] == [
        "  (detail: module 'hostapp' has no attribute 'nope')"
    ]


# --- a record in a read-only folder --------------------------------------------------


def _read_only_mount_works() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return False
    probe = subprocess.run(
        [unshare, "-r", "-m", "sh", "-c", "mount -t tmpfs none /mnt && mount -o remount,ro /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_a_record_in_a_read_only_folder_can_be_read(demo_db: str, tmp_path: pathlib.Path) -> None:
    """On a read-only mount (root cannot write there either) every read command works."""
    if not _read_only_mount_works():
        if IN_CI:
            pytest.fail("CI must run the read-only folder test: unshare -r -m is not usable")
        pytest.skip("needs unshare -r -m (Linux user and mount namespaces) for a read-only mount")
    folder = tmp_path / "arkiv"
    folder.mkdir()
    commands = [
        f"status {{db}} {KEY}",
        f"log {{db}} {KEY}",
        f"report {{db}} {KEY} --format html -o {tmp_path}/r.html",
        f"explain {{db}} {KEY} close_step",
        "verify {db}",
        "checkpoint {db}",
        f"diagram --db {{db}} --key {KEY}",
    ]
    script = [
        f"mount -t tmpfs none {folder} && cp {demo_db} {folder}/copy.db"
        f" && mount -o remount,ro {folder} || exit 91",
        f"if touch {folder}/probe 2>/dev/null; then exit 90; fi",
    ]
    for i, command in enumerate(commands):
        shown = command.replace("{db}", f"{folder}/copy.db")
        script.append(
            f"{sys.executable} -m stepgate {shown} >{tmp_path}/out{i} 2>&1;"
            f" echo $? >>{tmp_path}/codes"
        )
    script.append(f"ls -a {folder} >{tmp_path}/listing")
    done = subprocess.run(
        ["unshare", "-r", "-m", "sh", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    codes = (tmp_path / "codes").read_text().split()
    outputs = [(tmp_path / f"out{i}").read_text() for i in range(len(commands))]
    assert codes == ["0", "0", "0", "3", "0", "0", "0"], outputs
    assert "avslutta (v96)" in outputs[0]
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "listing").read_text().split() == [".", "..", "copy.db"]


# --- where output may go ---------------------------------------------------------------


def _other_record(tmp_path: pathlib.Path) -> pathlib.Path:
    other = tmp_path / "other.db"
    with sg.open_store(other) as store:
        store.create(sg.trust_reform(), key="nav", title="NAV", region=SOGN, actor=SECRETARIAT)
    return other


@pytest.mark.parametrize(
    ("target", "force", "words"),
    [
        ("{db}", False, "is the record being read"),
        ("{db}", True, "is the record being read"),
        ("{db}-wal", True, "is the record being read"),
        ("{db}-shm", True, "is the record being read"),
        ("{link}", True, "is the record being read"),
        ("{hardlink}", True, "is the record being read"),
        ("{other}", True, "is an SQLite database"),
        ("{other}-journal", True, "is an SQLite database"),
        ("{plain_sqlite}", True, "is an SQLite database"),
        ("{existing}", False, "exists already; add --force"),
        ("{folder}", True, "is a folder"),
    ],
)
def test_report_never_writes_over_a_record(
    demo_db: str, tmp_path: pathlib.Path, target: str, force: bool, words: str
) -> None:
    """-o refuses the record, its companions by any name and any database; a file unless --force."""
    record = tmp_path / "record.db"
    shutil.copy(demo_db, record)
    (tmp_path / "link.db").symlink_to(record)
    os.link(record, tmp_path / "hard.db")
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    existing = tmp_path / "notat.md"
    existing.write_text("mine\n", encoding="utf-8")
    places = {
        "{db}": str(record),
        "{link}": str(tmp_path / "link.db"),
        "{hardlink}": str(tmp_path / "hard.db"),
        "{other}": str(_other_record(tmp_path)),
        "{plain_sqlite}": str(plain),
        "{existing}": str(existing),
        "{folder}": str(tmp_path),
    }
    path = target
    for name, value in places.items():
        path = path.replace(name, value)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    args = ["report", str(record), KEY, "-o", path, "--lang", "en"]
    code, out = run(*args, *(["--force"] if force else []))
    assert code == 1, out
    assert words in out
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before  # nothing was written, nothing created
    code, _ = run("verify", str(record))
    assert code == 0


def test_force_writes_over_a_plain_file_whole(demo_db: str, tmp_path: pathlib.Path) -> None:
    """With --force an existing file that is no database is replaced whole, keeping its mode."""
    target = tmp_path / "rapport.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    code, out = run("report", demo_db, KEY, "-o", str(target), "--force")
    assert code == 0, out
    assert target.read_text(encoding="utf-8").startswith("# Felles barnevern i Sogn")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.md"]


def test_a_file_the_system_refuses_is_said_in_nynorsk(demo_db: str, tmp_path: pathlib.Path) -> None:
    """A missing folder, or a place the system will not write: one sentence in the chosen
    language, the system's own words as detail."""
    code, out = run("report", demo_db, KEY, "-o", str(tmp_path / "finst-ikkje" / "r.md"))
    assert code == 1
    assert f"det finst inga mappe '{tmp_path / 'finst-ikkje'}'" in out
    code, out = run("report", demo_db, KEY, "-o", "/sys/r.md")  # root may not write there either
    assert code == 1
    first, detail = out.strip().splitlines()
    said = first.removeprefix("Feil: StorageUnavailable: kan ikkje skrive '/sys/r.md': ")
    assert said in {nn for _, nn in SYSTEM_WORDS.values()}, first  # no permission, read-only, …
    assert detail.startswith("  (detalj: "), detail


# --- the smaller holes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("feed", "{db}", "--since", "1" + "0" * 30), "--since må vere ein posisjon frå 0 til"),
        (("status", "postgresql://[bad"), "InvalidValue: PostgreSQL-URL-en kan ikkje lesast"),
        (("status", "postgresql://u@h:port/db"), "InvalidValue: PostgreSQL-URL-en kan ikkje"),
        (("status", "postgresql://u@/db?bogus=1"), "InvalidValue: PostgreSQL-URL-en"),
    ],
)
def test_what_used_to_print_a_traceback_is_one_sentence(
    demo_db: str, args: tuple[str, ...], words: str
) -> None:
    """A huge --since and a malformed URL are refused in one sentence, never a traceback."""
    code, out = run(*(a.replace("{db}", demo_db) for a in args))
    assert code == 1
    assert words in out
    assert "Traceback" not in out


def test_every_problem_of_a_definition_is_printed(tmp_path: pathlib.Path) -> None:
    """An InvalidDefinition from --process lists all its problems, in the chosen language."""
    (tmp_path / "broken_def.py").write_text(
        "import stepgate as sg\n\ndef make():\n"
        "    return sg.trust_reform().derive('', drop=['nope', 'alsonope'])\n",
        encoding="utf-8",
    )
    try:
        code, out = run("diagram", "--process", f"{tmp_path / 'broken_def.py'}:make")
    finally:
        sys.modules.pop("broken_def", None)
        sys.path.remove(str(tmp_path))
    assert code == 1
    assert out.strip().splitlines() == [
        "Feil: InvalidDefinition: prosessdefinisjonen '<unnamed>' har 3 problem:",
        "  - kan ikkje ta bort den ukjende regelen 'nope'",
        "  - kan ikkje ta bort den ukjende regelen 'alsonope'",
        "  - ein prosess treng eit namn",
    ]


def test_a_reader_that_goes_away_is_no_error(demo_db: str) -> None:
    """`stepgate log DB KEY | head -1`: the closed pipe ends the command quietly, never a trace."""
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "stepgate", "log", demo_db, KEY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None
        proc.stdout.close()  # the reader is gone before anything is written
        _, err = proc.communicate(timeout=60)
        assert err == b""
        assert proc.returncode == 1


def test_verify_counts_the_record_not_the_walk(demo_db: str, tmp_path: pathlib.Path) -> None:
    """A 96-event record broken at 42 still says it holds 96 events."""
    copy = tmp_path / "broken.db"
    shutil.copy(demo_db, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("DROP TRIGGER event_bodies_insert_only_update")
    conn.execute("UPDATE event_bodies SET hash = zeroblob(32) WHERE id = (1 << 32) | 42")
    conn.close()
    code, out = run("verify", str(copy))
    assert code == 1
    assert "96 hendingar i 1 utgreiing" in out


def test_a_checkpoint_in_capitals_is_read(demo_db: str) -> None:
    """A checkpoint typed in capitals in the minutes is the same checkpoint."""
    _, printed = run("checkpoint", demo_db)
    code, out = run("verify", demo_db, "--against", printed.strip().upper())
    assert code == 0, out
    assert f"journalen byggjer vidare på {printed.strip()}" in out


def test_an_svg_without_graphviz_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the graphviz package, diagram --format svg says which extra to install."""
    from stepgate.engine import machine  # noqa: PLC0415 - the one place that checks

    real = machine.importlib.util.find_spec
    monkeypatch.setattr(
        machine.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "graphviz" else real(name, *a),
    )
    code, out = run("diagram", "--format", "svg")
    assert code == 1
    assert out.strip() == (
        "Feil: NotInstalled: eit SVG-diagram treng pakken graphviz: "
        "pip install 'stepgate[diagrams]'"
    )


def test_an_svg_without_dot_names_the_program(tmp_path: pathlib.Path) -> None:
    """With the package but without Graphviz's dot, the error says to install Graphviz."""
    env = dict(os.environ, PATH=str(tmp_path), STEPGATE_LANG="en")
    done = subprocess.run(
        [sys.executable, "-m", "stepgate", "diagram", "--format", "svg"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(
        "Error: NotInstalled: Graphviz could not draw the diagram: its program dot is missing"
    )


def test_a_device_is_written_in_place_never_replaced(demo_db: str) -> None:
    """-o /dev/null needs --force, and then writes into the device; the device stays one."""
    code, out = run("report", demo_db, KEY, "-o", "/dev/null", "--lang", "en")
    assert (code, "exists already; add --force" in out) == (1, True)
    code, out = run("report", demo_db, KEY, "-o", "/dev/null", "--force")
    assert code == 0, out
    assert pathlib.Path("/dev/null").is_char_device()
