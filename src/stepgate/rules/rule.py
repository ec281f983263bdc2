"""Rules as small values.

A rule has a stable id, a version, the actions it is checked at, and a
message in Nynorsk and English with ``{placeholders}``. Its check is a pure
function of a ``Context`` that yields one dict of placeholders per finding
(``objects`` names the things involved; a value said differently in each
language is a ``Text``, and each message takes its own language's). A process's
definition hash covers each rule's id, version and actions, never where its code
lives: moving a rule to another module changes nothing, and **changing what a
rule decides needs a version bump**, so stored investigations see that their
definition changed.
Write your own with the ``rule`` decorator::

    @stepgate.rule("start-after-9-feb", at={"start"},
                   nn="Utgreiinga kan ikkje starte før 9/2 (starta {on}).",
                   en="The investigation cannot start before 9 February (started {on}).")
    def start_after_9_feb(ctx):
        if ctx.command.on < date(2024, 2, 9):
            yield {"on": ctx.command.on}
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from stepgate.errors import RuleFailed
from stepgate.model.context import Context
from stepgate.model.text import Text
from stepgate.model.violation import Violation

RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _actions(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


Check = Callable[[Context], Iterable[Mapping[str, Any]]]


@attrs.frozen
class Rule:
    """A rule: stable id, the actions it is checked at, messages in nn and en, a check."""

    id: str
    at: frozenset[str] = attrs.field(converter=_actions)
    nn: str
    en: str
    check: Check = attrs.field(repr=False)
    seed: str = ""
    version: int = 1

    def __call__(self, ctx: Context) -> list[Violation]:
        """Every violation of this rule for ``ctx`` (empty when satisfied)."""
        return list(self._violations(ctx))

    def _violations(self, ctx: Context) -> Iterator[Violation]:
        action = ctx.command.action
        try:
            for found in self.check(ctx):
                params = dict(found)
                objects = tuple(str(o) for o in params.pop("objects", ()))
                yield Violation(self.id, *self._said(action, params), objects)
        except RuleFailed:
            raise
        except Exception as error:
            raise RuleFailed(
                self.id,
                action,
                Text(
                    nn=f"sjekken hans kasta {type(error).__name__}",
                    en=f"its check raised {type(error).__name__}",
                ),
                f"{type(error).__name__}: {error}",
            ) from error

    def _said(self, action: str, params: dict[str, Any]) -> tuple[str, str]:
        """The message in Nynorsk and English with ``params`` filled in (a ``Text`` param in
        the message's own language)."""
        try:
            return (
                self.nn.format(**{k: _in(v, "nn") for k, v in params.items()}),
                self.en.format(**{k: _in(v, "en") for k, v in params.items()}),
            )
        except (KeyError, IndexError, ValueError, AttributeError) as error:
            given = ", ".join(sorted(params)) or "none"
            raise RuleFailed(
                self.id,
                action,
                Text(
                    nn=f"meldinga nemner {error}, som sjekken ikkje gav (han gav: {given})",
                    en=f"its message names {error}, which the check did not give "
                    f"(it gave: {given})",
                ),
                f"{type(error).__name__}: {error}",
            ) from error

    @property
    def fingerprint(self) -> str:
        """What the definition hash covers: id, version and actions (not where the code lives)."""
        return f"{self.id}@{self.version}|{','.join(sorted(self.at))}"

    def problems(self, actions: frozenset[str]) -> list[Text]:
        """What is wrong with this rule as part of a definition (empty when fine), in nn and en."""
        found = []
        rule = self.id
        if not RULE_ID.match(rule):
            found.append(
                Text(
                    f"regel-id-en {rule!r} må vere ord med små bokstavar, bundne saman med '-'",
                    f"rule id {rule!r} must be lower-case words joined by '-'",
                )
            )
        unknown = sorted(self.at - actions)
        if unknown:
            found.append(
                Text(
                    f"regelen {rule!r} vert sjekka ved ukjende handlingar {unknown}",
                    f"rule {rule!r} is checked at unknown action(s) {unknown}",
                )
            )
        if not self.at:
            found.append(
                Text(
                    f"regelen {rule!r} vert ikkje sjekka ved nokon handling",
                    f"rule {rule!r} is checked at no action",
                )
            )
        version = self.version
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            found.append(
                Text(
                    f"regelen {rule!r} har versjonen {version!r}; ein versjon er 1, 2, …",
                    f"rule {rule!r} has version {version!r}; a version is 1, 2, …",
                )
            )
        if "opt_out" in self.at:
            found.append(
                Text(
                    f"regelen {rule!r} kan ikkje sjekkast ved 'opt_out': å melde seg ut krev "
                    "ikkje samtykke frå nokon, og ingen regel kan stanse det (free-to-leave)",
                    f"rule {rule!r} may not be checked at 'opt_out': opting out needs "
                    "nobody's consent and no rule may block it (free-to-leave)",
                )
            )
        for lang, language, text in (("nn", "nynorsk", self.nn), ("en", "engelsk", self.en)):
            if not text.strip():
                found.append(
                    Text(
                        f"regelen {rule!r} har inga melding på {language} ({lang})",
                        f"rule {rule!r} has no {lang} message",
                    )
                )
        named = {lang: _placeholders(text) for lang, text in (("nn", self.nn), ("en", self.en))}
        if None in named.values():
            found.append(
                Text(
                    f"meldinga til regelen {rule!r} har ein ugyldig {{plasshaldar}}",
                    f"rule {rule!r} has a message with a malformed {{placeholder}}",
                )
            )
        elif named["nn"] != named["en"]:
            only_nn = sorted(named["nn"] - named["en"])  # type: ignore[operator]
            only_en = sorted(named["en"] - named["nn"])  # type: ignore[operator]
            found.append(
                Text(
                    f"meldingane til regelen {rule!r} nemner ulike plasshaldarar "
                    f"(berre nn: {only_nn}, berre en: {only_en})",
                    f"rule {rule!r} names different placeholders in its messages "
                    f"(only nn: {only_nn}, only en: {only_en})",
                )
            )
        return found


def _in(value: Any, lang: str) -> Any:
    """A placeholder's value in ``lang``: a ``Text`` in that language, anything else as it is."""
    return value.in_(lang) if isinstance(value, Text) else value


def _placeholders(text: str) -> set[str] | None:
    """The names ``text`` fills in with ``str.format`` (``detail_nn`` and ``detail_en`` are
    one name, ``detail``, said in each language); None when it is malformed."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None
    return {name.removesuffix("_nn").removesuffix("_en") for name in names}


def rule(
    id: str,  # noqa: A002 - the domain calls it the rule id
    *,
    at: Iterable[str],
    nn: str,
    en: str,
    seed: str = "",
    version: int = 1,
) -> Callable[[Check], Rule]:
    """Make a ``Rule`` from a check function that yields one dict per finding.

    Bump ``version`` whenever what the rule decides changes.
    """

    def wrap(check: Check) -> Rule:
        return Rule(id=id, at=frozenset(at), nn=nn, en=en, check=check, seed=seed, version=version)

    return wrap
