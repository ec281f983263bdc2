"""A Flask app that embeds stepgate: one store per process, an investigation loaded per request.

Run it with ``STEPGATE_DB=sogn.db flask --app examples/web/app.py run`` (or
``STEPGATE_DB=postgresql://…``), and ``docs/embedding.md`` walks through it. Who is
asking is the host app's business: here the ``X-Actor`` header names them and
``X-Municipality`` the municipality they act for (none: the secretariat). A real app
takes both from its login.

- ``POST /investigations`` ``{"key", "title"}``: a new investigation (201).
- ``GET /investigations/KEY``: its lifecycle, version and head hash.
- ``POST /investigations/KEY/ACTION`` with the command's fields as JSON: run it (200);
  a refusal names its rules.
- ``GET /investigations/KEY/explain/ACTION?field=value``: what would block it now.

Every stepgate error becomes one HTTP status (``STATUS``) and a JSON body in the
language the client asks for (``Accept-Language: nn`` for Nynorsk).
"""

from __future__ import annotations

import os
from typing import Any

import flask

import stepgate as sg
from stepgate.sogn import SOGN, sogn_process

STATUS: list[tuple[type[sg.StepgateError], int]] = [
    # the most specific first: AlreadyExists is an InvalidValue too
    (sg.AlreadyExists, 409),  # the key is taken
    (sg.InvalidValue, 422),  # a field failed its check; the message names it
    (sg.CommandRefused, 409),  # the investigation's state blocks it now; the rules say why
    (sg.ConcurrencyConflict, 409),  # another writer won every retry: try again
    (sg.DefinitionChanged, 409),  # the secretariat must migrate the investigation first
    (sg.NotAllowed, 403),  # the actor may not act for that party
    (sg.UnknownInvestigation, 404),
    (sg.StorageUnavailable, 503),  # the database is down, full or locked: retry later
    (sg.RecordBroken, 500),  # the record does not verify: alert someone, serve nothing
    (sg.ProcessNotFound, 500),  # the app did not register the record's process
    (sg.InvalidDefinition, 500),  # the app's process definition has problems
    (sg.RuleFailed, 500),  # a rule of the app's process raised: a bug to fix
    (sg.SchemaTooNew, 500),  # a newer stepgate wrote the database: deploy it
    (sg.SchemaTooOld, 500),
    (sg.NotAStepgateDatabase, 500),
    (sg.StoreError, 500),
    (sg.NotInstalled, 501),  # an optional part (e.g. graphviz) is not installed
    (sg.StepgateError, 500),
]
"""Every stepgate error as an HTTP status, the most specific class first."""


def status_of(error: sg.StepgateError) -> int:
    """The HTTP status for ``error``."""
    return next(code for kind, code in STATUS if isinstance(error, kind))


def create_app(location: str | None = None) -> flask.Flask:
    """The app over the record at ``location`` (else ``$STEPGATE_DB``, else ``stepgate.db``)."""
    app = flask.Flask(__name__)
    process = sogn_process()  # the app's own process: loads find it by the name records give
    store = sg.open_store(
        location or os.environ.get("STEPGATE_DB", "stepgate.db"), processes=[process]
    )  # one store for the whole process: it is thread-safe, and reconnects on its own

    def lang() -> str:
        return flask.request.accept_languages.best_match(["nn", "nb", "en"], "en")[:2]

    def actor() -> sg.Actor:
        who = flask.request.headers.get("X-Actor", "")
        municipality = flask.request.headers.get("X-Municipality") or None
        return sg.Actor(who, municipality=municipality, secretariat=municipality is None)

    def fields() -> dict[str, Any]:
        given = flask.request.get_json(silent=True)
        if not isinstance(given, dict):
            raise sg.InvalidValue(
                nn="kroppen må vere eit JSON-objekt med felta til kommandoen",
                en="the body must be a JSON object of the command's fields",
            )
        return given

    @app.errorhandler(sg.StepgateError)
    def refused(error: sg.StepgateError) -> tuple[flask.Response, int]:
        said = "nn" if lang() in ("nn", "nb") else "en"
        body: dict[str, Any] = {"error": type(error).__name__, "message": error.message(said)}
        if isinstance(error, sg.CommandRefused):
            body["rules"] = list(error.rules)
            body["violations"] = [
                {"rule": v.rule, "message": v.nn if said == "nn" else v.en}
                for v in error.violations
            ]
        code = status_of(error)
        if code >= 500:
            app.logger.error("%s: %s", type(error).__name__, error)
        response = flask.jsonify(body)
        if code == 503:
            response.headers["Retry-After"] = "1"
        return response, code

    @app.post("/investigations")
    def create() -> tuple[flask.Response, int]:
        given = fields()
        inv = store.create(
            process, key=given.get("key", ""), title=given.get("title", ""), region=SOGN,
            actor=actor(),
        )  # fmt: skip
        return flask.jsonify(_shown(inv)), 201

    @app.get("/investigations/<key>")
    def show(key: str) -> flask.Response:
        return flask.jsonify(_shown(store.load(key)))

    @app.post("/investigations/<key>/<action>")
    def run(key: str, action: str) -> flask.Response:
        given, who = fields(), actor()

        def command(inv: sg.Investigation) -> dict[str, Any]:
            recorded = inv.run(inv.build(action, **given), actor=who)
            return {**_shown(inv), "recorded": [r.kind for r in recorded]}

        return flask.jsonify(store.with_retry(key, command, actor=who))

    @app.get("/investigations/<key>/explain/<action>")
    def explain(key: str, action: str) -> flask.Response:
        inv = store.load(key, actor=actor())
        found = inv.explain(action, **flask.request.args.to_dict())
        said = "nn" if lang() in ("nn", "nb") else "en"
        return flask.jsonify(
            [{"rule": v.rule, "message": v.nn if said == "nn" else v.en} for v in found]
        )

    return app


def _shown(inv: sg.Investigation) -> dict[str, Any]:
    return {
        "key": inv.key,
        "lifecycle": inv.lifecycle,
        "version": inv.version,
        "head_hash": inv.head_hash,
    }
