"""A small streaming XML writer: elements in order, text escaped, nothing held in memory.

Noark's schemas fix the order of every element, so the writers write them in that
order as they go. Text from the record is escaped; characters XML 1.0 does not
allow (control characters) are shown as escapes (``\\x1b``), as everywhere else
stepgate shows a record's text.
"""

from __future__ import annotations

import re
from typing import IO
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _shown(found: re.Match[str]) -> str:
    return f"\\x{ord(found[0]):02x}" if ord(found[0]) < 0x100 else f"\\u{ord(found[0]):04x}"


def text(value: object) -> str:
    """``value`` as XML character data."""
    return escape(_NOT_XML.sub(_shown, str(value)))


class XmlOut:
    """Write one XML document to ``out``, indented two spaces per level."""

    def __init__(self, out: IO[bytes], *, depth: int = 0) -> None:
        """A whole document, or (``depth`` > 0) a part of one at that depth, to be joined."""
        self.out = out
        self.open: list[str] = []
        self.depth = depth
        if depth == 0:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')

    def _put(self, line: str) -> None:
        self.out.write(("  " * (self.depth + len(self.open)) + line + "\n").encode("utf-8"))

    def start(self, tag: str, **attributes: str) -> None:
        """Open element ``tag`` (``xsi_type`` is written ``xsi:type``)."""
        shown = "".join(
            f" {name.replace('_', ':')}={quoteattr(value)}" for name, value in attributes.items()
        )
        self._put(f"<{tag}{shown}>")
        self.open.append(tag)

    def end(self) -> None:
        """Close the innermost open element."""
        tag = self.open.pop()
        self._put(f"</{tag}>")

    def leaf(self, tag: str, value: object) -> None:
        """``<tag>value</tag>``; nothing for None or empty text (Noark has no empty elements)."""
        if value is None or value == "":
            return
        self._put(f"<{tag}>{text(value)}</{tag}>")

    @property
    def level(self) -> int:
        """How deep the next element goes (a part written apart is written at this depth)."""
        return self.depth + len(self.open)


def copy(part: IO[bytes], out: IO[bytes]) -> None:
    """Append ``part`` (written apart, at its depth) to ``out``, from its start, in blocks."""
    out.flush()
    part.seek(0)
    while block := part.read(1 << 20):
        out.write(block)
