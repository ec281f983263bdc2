"""The one rooted exception tree of stepgate.

::

    StepgateError
    ├── InvalidValue            (also ValueError)  a value failed at construction
    │   └── AlreadyExists                          an investigation with that key exists already
    ├── InvalidDefinition       (also ValueError)  a process definition lists all its problems
    ├── CommandRefused                             one or more rules block a command
    ├── NotAllowed              (also PermissionError) the actor may not act for that party
    ├── UnknownInvestigation    (also LookupError) no investigation with that key
    ├── ProcessNotFound         (also LookupError) no process registered or importable by that name
    ├── NotInstalled            (also RuntimeError) an optional part needs what is not installed
    ├── RuleFailed              (also RuntimeError) a process's rule raised, or its message failed
    └── StoreError                                 the durable record could not do its job
        ├── ConcurrencyConflict                    another writer got there first
        ├── DefinitionChanged                      the process definition changed since
        ├── SchemaTooNew                           the file was written by a newer stepgate
        ├── SchemaTooOld                           read-only, and the file needs schema steps
        ├── NotAStepgateDatabase                   the file is no stepgate database
        ├── RecordBroken                           the record does not verify (tampered or cut)
        └── StorageUnavailable                     read-only file, full disk, locked too long

Every message says what was attempted, what was expected, what was found and
how to fix it. ``CommandRefused`` carries the same violations that
``explain()`` returns, so an app can show them one by one. An error a person
can meet at the command line also says it in Nynorsk: ``error.message("nn")``
(English when no Nynorsk text was given).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Finding(Protocol):
    """What a refusal carries per blocking rule (``stepgate.Violation`` is one)."""

    @property
    def rule(self) -> str:
        """The rule id."""
        ...  # pragma: no cover - protocol

    @property
    def en(self) -> str:
        """The message in English."""
        ...  # pragma: no cover - protocol

    @property
    def nn(self) -> str:
        """The message in Nynorsk."""
        ...  # pragma: no cover - protocol


class StepgateError(Exception):
    """The root of every error stepgate raises on purpose.

    An error says itself in both languages, in the order every text of stepgate
    has: ``InvalidValue(nn="…", en="…")``, or one text value that has ``.nn`` and
    ``.en`` (``InvalidValue(stepgate.Text(nn, en))``). It is such a value itself:
    ``error.nn``, ``error.en``, ``error.message(lang)``; ``str(error)`` is the
    English. ``detail`` keeps what a library or the operating system said, in its
    own words (``unable to open database file``, ``[Errno 28] No space left on
    device``): the message says what it means in both languages, and the command
    line prints the detail on a line of its own.

    The older form, the English first and ``nn=`` after it, still works.
    """

    def __init__(
        self,
        *args: object,
        nn: str | None = None,
        en: str | None = None,
        detail: str | None = None,
    ) -> None:
        if args and not isinstance(args[0], str) and _is_said(args[0]):
            said, args = args[0], args[1:]
            nn, en = said.nn, said.en  # type: ignore[attr-defined]
        if en is not None:
            args = (en, *args)
        super().__init__(*args)
        self.en: str = en if en is not None else (str(args[0]) if args else "")
        self.nn: str | None = nn
        self.detail = detail

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} ({self.detail})" if self.detail else text

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("nn" or "en"); English where no Nynorsk was given.

        The detail is not part of it (``str(error)`` adds it, for a log).
        """
        return self.nn if lang == "nn" and self.nn else super().__str__()


def _is_said(value: object) -> bool:
    return isinstance(getattr(value, "nn", None), str) and isinstance(
        getattr(value, "en", None), str
    )


class InvalidValue(StepgateError, ValueError):
    """A domain value was built from bad input (e.g. a 3-digit kommunenummer)."""


class AlreadyExists(InvalidValue):
    """An investigation with that key exists already (an HTTP app answers 409, not 422).

    It is an ``InvalidValue`` too, so code written before it existed still catches it.
    """


class Said(Protocol):
    """A text in both languages (``stepgate.Text`` is one)."""

    @property
    def nn(self) -> str:
        """The text in Nynorsk."""
        ...  # pragma: no cover - protocol

    @property
    def en(self) -> str:
        """The text in English."""
        ...  # pragma: no cover - protocol


class InvalidDefinition(StepgateError, ValueError):
    """A process definition has problems; ``problems`` lists every one of them.

    Each problem is a ``str`` (English only) or says itself in both languages
    (``.nn`` and ``.en``, e.g. ``stepgate.Text``). ``problems`` holds them in
    English, ``problems_nn`` in Nynorsk (English where a problem has no Nynorsk).
    """

    def __init__(self, name: str, problems: Sequence[str | Said]) -> None:
        self.name = name
        given = tuple(problems)
        self.problems = tuple(p if isinstance(p, str) else p.en for p in given)
        self.problems_nn = tuple(p if isinstance(p, str) else p.nn for p in given)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        linjer = "\n".join(f"  - {p}" for p in self.problems_nn)
        count = len(given)
        super().__init__(
            nn=f"prosessdefinisjonen {name!r} har {count} problem:\n{linjer}",
            en=f"process definition {name!r} has {count} problem(s):\n{lines}",
        )


class CommandRefused(StepgateError):
    """A command was refused; ``violations`` names every rule that blocks it."""

    def __init__(self, action: str, key: str, violations: Sequence[Finding]) -> None:
        self.action = action
        self.key = key
        self.violations = tuple(violations)
        ids = ", ".join(sorted({v.rule for v in self.violations}))
        details = "\n".join(f"  - {v.rule}: {v.en}" for v in self.violations)
        detaljar = "\n".join(f"  - {v.rule}: {v.nn}" for v in self.violations)
        super().__init__(
            nn=f"{action} i {key!r} er ikkje tillate ({ids}):\n{detaljar}",
            en=f"{action} is not allowed in {key!r} ({ids}):\n{details}",
        )

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the blocking rules, sorted and without repeats."""
        return tuple(sorted({v.rule for v in self.violations}))


class NotAllowed(StepgateError, PermissionError):
    """The actor may not do this on behalf of that municipality."""


class UnknownInvestigation(StepgateError, LookupError):
    """No investigation has the given key."""


class ProcessNotFound(StepgateError, LookupError):
    """No process is registered under that name, or ``module:factory`` gives none."""


class NotInstalled(StepgateError, RuntimeError):
    """An optional part of stepgate needs a package or program that is not installed here."""


class RuleFailed(StepgateError, RuntimeError):
    """A rule's check raised, or its message names a placeholder the check did not give.

    It is a bug in the rule, not a refusal: ``rule`` is its id, ``action`` the
    command it was checking, and the cause is chained (``__cause__``) and shown
    in ``detail``. Nothing was recorded.
    """

    def __init__(self, rule: str, action: str, problem: Said, detail: str) -> None:
        self.rule = rule
        self.action = action
        super().__init__(
            nn=f"regelen {rule!r} feila då han sjekka {action}: {problem.nn}; "
            "rett regelen (ingenting vart ført)",
            en=f"rule {rule!r} failed while checking {action}: {problem.en}; "
            "fix the rule (nothing was recorded)",
            detail=detail,
        )


class StoreError(StepgateError):
    """The durable record could not complete an operation; nothing was written."""


class ConcurrencyConflict(StoreError):
    """Another writer appended events first; reload and retry the command."""


class DefinitionChanged(StoreError):
    """The investigation was created with another version of its process definition."""


class SchemaTooNew(StoreError):
    """The database was written by a newer stepgate than this one."""


class SchemaTooOld(StoreError):
    """The database needs schema steps this stepgate has, and it was opened read-only."""


class NotAStepgateDatabase(StoreError):
    """The file exists but is not a stepgate database."""


class RecordBroken(StoreError):
    """The record does not verify: a hash, a place, a snapshot, a row or the ledger is broken."""


class StorageUnavailable(StoreError):
    """The database file cannot be written (read-only, disk full, locked too long)."""
