"""Write docs/rules.md from the rules themselves: ``python docs/gen_rules.py``.

tests/test_docs.py fails when docs/rules.md and the code disagree.
"""

from __future__ import annotations

import pathlib

import stepgate as sg

HEAD = """# The rules of the trust-reform process

`stepgate.trust_reform()` carries these 18 rules, in this order. Each has a
stable id used in errors, `explain()`, reports and Gherkin scenarios, and a
message in Nynorsk and English (`{placeholders}` are filled in per finding).
A blocked action reports **every** violation, not only the first. `[S:n]` is
line *n* of the source presentation (`cat -n` numbering).

Two checks are not rules and cannot be dropped: `lifecycle` (the action is not
possible in the current state, e.g. `close_step` in `draft`) and
`valid-command` (a reference does not resolve: an unknown municipality, topic,
session, insight, representative or phase). An opt-out is never checked by any
rule (`free-to-leave`).

Soft signals, from `Investigation.signals(today)`, never block:
`milestone-overdue` (a due date passed and the milestone is not reached) and
`react-quickly` (the invitation went out later than the policy's
`reaction_days` after the political order; [S:39] «Reagere kjapt på politiske
bestillingar»).

The policy knobs (`stepgate.Policy`, passed as `trust_reform(**knobs)` or
`process.derive(name, **knobs)`): `hard_threshold` (4), `noted_counts` (True),
`minimum_participants` (2), `maximum_weeks` (16), `political_bodies`
(kommunestyre, formannskap, utval, ordforar), `strict_hardest_first` (False),
`reaction_days` (14).

This file is written by `docs/gen_rules.py`; `tests/test_docs.py` checks it.
"""


def render() -> str:
    """The whole of docs/rules.md."""
    parts = [HEAD]
    for rule in sg.TRUST_REFORM_RULES:
        actions = ", ".join(f"`{a}`" for a in sorted(rule.at))
        doc = (rule.check.__doc__ or "").strip()
        parts.append(
            f"## `{rule.id}`\n\n{doc}\n\n*Checked at:* {actions}  \n*Source:* {rule.seed}\n\n"
            f"- nn: {rule.nn}\n- en: {rule.en}\n"
        )
    return "\n".join(parts)


if __name__ == "__main__":
    target = pathlib.Path(__file__).with_name("rules.md")
    target.write_text(render(), encoding="utf-8")
