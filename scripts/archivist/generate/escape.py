"""Escaping capture text so that a rendered page shows exactly that text.

Capture text is data, never markup: HTML is turned into entities and every character that
Python-Markdown (and so MkDocs and Zensical) could read as formatting is backslash-escaped.
Each paragraph is written on one line, so constructs that span lines (setext headings, tables,
lazy lists) cannot arise.
"""

from __future__ import annotations

import re

# Characters Python-Markdown honours a backslash escape for, minus those handled below. ``#``
# is escaped everywhere: at the end of a heading line (``# Title #``) it would close the heading
# and vanish. HTML's ``&<>`` become entities (none of which holds a character escaped here).
_ALWAYS = "\\`*_{}[]#"
_REPLACE = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in _ALWAYS}}
_SPECIAL = re.compile("[" + re.escape("".join(_REPLACE)) + "]")
_TABLE = str.maketrans(_REPLACE)
_LINE_START = re.compile(r"^(\s*)([#+\-=!|:~>]|\d+(?=[.)]))")
_ORDERED = re.compile(r"^(\d+)([.)])")
_BLOCK_START = frozenset("0123456789+-!")


def _replace(match: re.Match[str]) -> str:
    return _REPLACE[match.group()]


def escape_inline(text: str) -> str:
    """Escape text that sits inside a line (a list item, a link title, a table cell)."""
    # One line; no hard breaks, no indented code. Text with no whitespace but single spaces
    # inside (a printable string has no other) is already so, and is not split up again.
    if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())
    if _SPECIAL.search(text) is None:  # most titles and many paragraphs: nothing to escape
        return text
    # One pass: str.translate where it is fast (ASCII text), a regex otherwise.
    text = text.translate(_TABLE) if text.isascii() else _SPECIAL.sub(_replace, text)
    # "]:" right after a link's "[" reads as a reference definition even when the bracket is
    # escaped ("- [\]: x](page.md)" renders an empty item), so the colon becomes an entity.
    return text.replace("\\]:", "\\]&#58;")


def escape_block(text: str) -> str:
    """Escape a paragraph that starts a line, where ``#``, ``-``, ``1.`` and ``!!!`` mean things."""
    text = escape_inline(text)
    if text and text[0] not in _BLOCK_START:
        return text
    ordered = _ORDERED.match(text)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{text[ordered.end():]}"
    if text[:1] in "+-!":
        return "\\" + text
    return text
