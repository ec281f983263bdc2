"""Write docs/steps.md from the step library itself: ``python docs/gen_steps.py``.

tests/test_docs.py fails when docs/steps.md and the code disagree.
"""

from __future__ import annotations

import pathlib

from stepgate.testing.steps import PLACEHOLDERS, phrases

HEAD = """# The Gherkin step vocabulary

stepgate ships its step library as a pytest plugin (entry point `pytest11`),
so a project with stepgate installed runs feature files with no glue code:

```python
# tests/test_features.py
from pytest_bdd import scenarios; scenarios("features")
```

Every phrase exists in English and in Norwegian (Nynorsk wording, for feature
files that start with `# language: no` and use Gitt/Når/Så/Og/Men); both run
the same function. Given and When phrases may be used under either keyword.
To run your own process definition, override the `stepgate_process` fixture
in your `conftest.py`. Other fixtures: `stepgate_clock` (fixed at
2024-01-15 09:00 UTC), `stepgate_store` (in memory), `stepgate_world`.

Placeholders: `{names}` municipalities by name or kommunenummer, joined by
commas and *and*/*og* ("every participant" / "alle deltakarane" where it fits);
`{name}` one municipality; `{title}` a topic (quoted "…" or «…»); `{topics}`
one or more quoted topics; `{d}` a difficulty 1–5; `{rule}` a rule id
(docs/rules.md); `{state}` a lifecycle state in English or Nynorsk; `{body}`
a body (formannskap(et), kommunestyre(t), Sognatinget, ordføraren, …); `{verb}`
endorses / notes / sends back (sluttar seg til / tek til orientering / sender
attende); `{outcome}` approves / sends back / stops (godkjenner / sender
attende / stoppar); `{action}` one of the actions at the end; `(a|b)` either
word.

This file is written by `docs/gen_steps.py`; `tests/test_docs.py` checks it.
"""


def render() -> str:
    """The whole of docs/steps.md."""
    sections = {
        "given/when": "## Given / When (Gitt / Når)",
        "then": "## Then (Så)",
        "action": '## Actions for `{action} is refused by "{rule}"` and `{action} is allowed`',
    }
    lines = [HEAD]
    for kind, title in sections.items():
        lines += [title, "", "| English | Nynorsk | what it does |", "|---|---|---|"]
        for found in phrases():
            if found.kind == kind:
                doc = " ".join(found.doc.split())
                en, nn = (text.replace("|", "\\|") for text in (found.en, found.nn))
                lines.append(f"| `{en}` | `{nn}` | {doc} |")
        lines.append("")
    known = ", ".join(f"`{{{p}}}`" for p in PLACEHOLDERS)
    lines.append(f"All placeholders: {known}.\n")
    return "\n".join(lines)


if __name__ == "__main__":
    pathlib.Path(__file__).with_name("steps.md").write_text(render(), encoding="utf-8")
