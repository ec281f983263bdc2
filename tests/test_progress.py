"""Long operations tell how far they have come: on a terminal a line on stderr, else nothing."""

from __future__ import annotations

import io
import pathlib

import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli
from stepgate.cli.progress import Meter
from stepgate.testing import Scenario
from tests.test_archive import NAMES, closed


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Ticks:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


@pytest.fixture
def two(location: str, clock: sg.FixedClock) -> str:
    """A record of two closed investigations, ready for the archive."""
    with sg.open_store(location, clock=clock) as store:
        closed(store, "barnevern-2024", "2024/118")
        closed(store, "nav-2024", "24/131", stop=True)
    return location


@pytest.mark.parametrize(("lang", "words"), [("nn", "Kontrollerer journalen"),
                                             ("en", "Verifying the record")])  # fmt: skip
def test_a_terminal_sees_one_line_written_over_and_cleared(lang: str, words: str) -> None:
    """On a terminal the meter writes its stage and share over one line, then clears it."""
    out = Terminal()
    meter = Meter(lang, out, clock=Ticks())
    for done in (0, 50, 100):
        meter.record(done, 200)
    meter.record(200, 200)
    meter.close()
    text = out.getvalue()
    assert text.count("\r") == 4 + 2  # four lines, then the clearing (to the start and back)
    assert [f"{words} {share:3d} %" in text for share in (0, 25, 50, 100)] == [True] * 4
    assert text.endswith("\r")
    assert "\n" not in text


def test_the_meter_shows_at_most_ten_lines_a_second_but_always_the_end() -> None:
    """Between two lines at least ``every`` seconds pass; the stage's end is always shown."""
    out = Terminal()
    meter = Meter("en", out, clock=lambda: 5.0)
    for done in range(1001):
        meter("copy", done, 1000)
    assert out.getvalue().count("\r") == 2  # the first, then the end
    assert out.getvalue().endswith("Verifying the copy 100 %")


def test_no_terminal_no_progress() -> None:
    """Piped (no terminal), the meter writes nothing at all."""
    out = io.StringIO()
    meter = Meter("nn", out, clock=Ticks())
    meter("cases", 1, 2)
    meter.close()
    assert out.getvalue() == ""


def test_verify_tells_its_progress_to_the_end(two: str) -> None:
    """``Store.verify(progress=…)`` is told a share that only grows and ends whole: each event
    counts twice (its replay and its place in the ledger)."""
    heard: list[tuple[int, int]] = []
    with sg.open_store(two, read_only=True) as store:
        check = store.verify(progress=lambda done, total: heard.append((done, total)))
    assert check.ok
    assert {total for _, total in heard} == {2 * check.events}
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    assert heard[0][0] == 0
    assert heard[-1] == (2 * check.events, 2 * check.events)


def test_copy_and_archive_tell_each_stage(two: str, tmp_path: pathlib.Path) -> None:
    """A copy tells the record's verify, then the copy's; an extraction the verify, then each
    investigation."""
    stages: list[str] = []
    cases: list[tuple[int, int]] = []

    def heard(stage: str, done: int, total: int) -> None:
        if not stages or stages[-1] != stage:
            stages.append(stage)
        if stage == "cases":
            cases.append((done, total))

    with sg.open_store(two, read_only=True) as store:
        store.copy_to(tmp_path / "copy.db", progress=heard)
        assert stages == ["record", "copy"]
        stages.clear()
        sg.extract(store, tmp_path / "out", NAMES, progress=heard)
    assert stages == ["record", "cases"]
    assert cases == [(1, 2), (2, 2)]


@pytest.mark.parametrize("command", ["verify", "checkpoint", "backup", "archive"])
def test_piped_commands_print_no_progress(two: str, tmp_path: pathlib.Path, command: str) -> None:
    """Through a pipe (no terminal) the commands print what they always printed, no ``\\r``."""
    args = {
        "verify": ["verify", two],
        "checkpoint": ["checkpoint", two],
        "backup": ["backup", two, str(tmp_path / "b.db")],
        "archive": ["archive", two, str(tmp_path / "a"), "--creator-id", "964968519",
                    "--creator", "Sogn regionråd", "--archive", "Arkiv", "--series", "Serie"],
    }[command]  # fmt: skip
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert "\r" not in done.output


def test_a_scenario_verifies_without_progress_asked(store: sg.Store) -> None:
    """Leaving ``progress`` out changes nothing: the record verifies as before."""
    Scenario(store).start()
    assert store.verify().ok
