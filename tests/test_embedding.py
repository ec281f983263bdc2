"""The embedding example (``examples/web/app.py``) serves a real threaded server on localhost:
statuses for every stepgate error, refusals with their rules, many threads on one store."""

from __future__ import annotations

import concurrent.futures
import importlib.util
import inspect
import json
import pathlib
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

import stepgate as sg
from stepgate import errors

ROOT = pathlib.Path(__file__).resolve().parents[1]
flask = pytest.importorskip("flask", reason="the embedding example needs flask (the test extra)")
serving = pytest.importorskip("werkzeug.serving")


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("web_app", ROOT / "examples/web/app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


APP = _example()
SECRETARIAT = {"X-Actor": "sogn-ko"}


class Client:
    """Requests to the server at ``base``, as a browser or another service sends them."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - http to the local test server
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **SECRETARIAT, **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())


@pytest.fixture
def client(location: str) -> Iterator[Client]:
    """The example app over a new record, served by a threaded server on a free local port."""
    server = serving.make_server("127.0.0.1", 0, APP.create_app(location), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Client(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_a_new_investigation_and_a_taken_key(client: Client) -> None:
    """A create is 201; the same key again is 409 (AlreadyExists), not 422."""
    assert client("POST", "/investigations", {"key": "nav-2025", "title": "NAV"})[0] == 201
    code, body = client("POST", "/investigations", {"key": "nav-2025", "title": "NAV"})
    assert (code, body["error"]) == (409, "AlreadyExists")
    code, body = client("GET", "/investigations/nav-2025")
    assert (code, body["lifecycle"], body["version"]) == (200, "draft", 1)


@pytest.mark.parametrize(
    "case",
    [
        ("POST", "/investigations", {"key": "", "title": "T"}, 422, "InvalidValue"),
        ("POST", "/investigations", ["not", "an", "object"], 422, "InvalidValue"),
        ("GET", "/investigations/nowhere", None, 404, "UnknownInvestigation"),
        ("POST", "/investigations/k/record_fact", {"name": "x"}, 404, "UnknownInvestigation"),
        ("POST", "/investigations/k0/teleport", {}, 422, "InvalidValue"),
        ("POST", "/investigations/k0/register_topic", {"title": "T", "difficulty": 9}, 422,
         "InvalidValue"),
        ("POST", "/investigations/k0/close_step", {}, 409, "CommandRefused"),
    ],
    ids=lambda case: f"{case[3]}-{case[4]}",
)  # fmt: skip
def test_every_error_is_its_status_and_names_itself(client: Client, case: tuple[Any, ...]) -> None:
    """Bad input is 422, an unknown key 404, a refusal 409: each with its error's name."""
    method, path, body, status, error = case
    client("POST", "/investigations", {"key": "k0", "title": "T"})
    code, answer = client(method, path, body)
    assert (code, answer["error"]) == (status, error), answer


@pytest.mark.parametrize(("lang", "words"), [("nn", "ikkje tillate"), ("en", "is not allowed")])
def test_a_refusal_names_its_rules_in_the_clients_language(
    client: Client, lang: str, words: str
) -> None:
    """A refused command is 409 with its rule ids and each violation in the asked language."""
    client("POST", "/investigations", {"key": "k1", "title": "T"})
    code, answer = client(
        "POST", "/investigations/k1/close_step", {}, {"Accept-Language": f"{lang},en;q=0.5"}
    )
    assert code == 409
    assert answer["rules"]
    assert all(v["rule"] in answer["rules"] for v in answer["violations"])
    assert words in answer["message"]
    code, found = client("GET", "/investigations/k1/explain/close_step")
    assert code == 200
    assert {v["rule"] for v in found} == set(answer["rules"])


def test_an_actor_of_another_municipality_is_forbidden(client: Client) -> None:
    """Lærdal's actor recording Sogndal's position is 403 (NotAllowed)."""
    client("POST", "/investigations", {"key": "k2", "title": "T"})
    client("POST", "/investigations/k2/invite", {})
    code, answer = client(
        "POST",
        "/investigations/k2/anchor_mandate",
        {"municipality": "4640", "body": "formannskap"},
        {"X-Actor": "kari", "X-Municipality": "4642"},
    )
    assert (code, answer["error"]) == (403, "NotAllowed")


def test_many_threads_on_one_investigation_all_land(client: Client, location: str) -> None:
    """8 client threads x 25 commands on one investigation through the threaded server: every
    one answers 200, lands once, and the record verifies."""
    client("POST", "/investigations", {"key": "k3", "title": "T"})

    def one(n: int) -> int:
        return client("POST", "/investigations/k3/record_fact", {"name": f"f{n}", "value": "ja"})[0]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(one, range(200)))
    assert codes == [200] * 200
    assert client("GET", "/investigations/k3")[1]["version"] == 201
    with sg.open_store(location, read_only=True) as store:
        assert store.verify().ok


def _errors() -> set[type]:
    return {
        kind
        for _, kind in inspect.getmembers(errors, inspect.isclass)
        if issubclass(kind, sg.StepgateError) and kind.__module__ == errors.__name__
    }


def test_the_table_has_every_stepgate_error_and_the_guide_says_the_same() -> None:
    """The example's table covers every stepgate error, and docs/embedding.md lists each with
    the same status."""
    table = dict(APP.STATUS)
    assert set(table) == _errors()
    guide = (ROOT / "docs/embedding.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (\d{3})\b", guide, re.MULTILINE))
    assert {getattr(sg, name): int(code) for name, code in rows.items()} == table
    for kind in _errors():  # the most specific class comes first
        assert APP.status_of(kind.__new__(kind)) == table[kind], kind
