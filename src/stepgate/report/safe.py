"""Text stays text: what people typed is shown as typed, never as structure or commands.

The record keeps text verbatim (a title may hold a newline, ``|``, ``<script>``
or an escape sequence, and JSON gives it back as it was). Where it is shown:

- ``md`` escapes it for Markdown: line breaks become spaces, and every
  character Markdown or HTML would read as structure is backslash-escaped, so
  a title cannot add a heading, a table cell or a tag to a case document;
- ``printable`` makes it safe for a terminal: control characters (ANSI escape
  sequences among them) and bidirectional overrides are shown as ``\\x1b``-style
  escapes instead of being obeyed;
- ``html_text`` makes it fit for an HTML page (before Jinja escapes it): a line
  break of any kind is one ``\\n``, and every other control character — which
  HTML and XML do not allow — is shown as ``printable`` shows it.
"""

from __future__ import annotations

import re

_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~&])")  # brackets escaped: no link can form
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNFIT_FOR_HTML = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def md(text: object) -> str:
    """``text`` for a Markdown document: one line, every structural character escaped."""
    line = _BREAKS.sub(" ", str(text))
    return _UNPRINTABLE.sub(" ", _MARKDOWN.sub(r"\\\1", line))


def printable(text: object) -> str:
    """``text`` for a terminal: control and bidi characters shown as escapes, not obeyed."""
    return _UNPRINTABLE.sub(_escape, str(text))


def html_text(text: object) -> str:
    """``text`` for an HTML page or SVG, still to be escaped: breaks as ``\\n``, controls shown."""
    return _UNFIT_FOR_HTML.sub(_escape, _BREAKS.sub("\n", str(text)))


def _escape(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
