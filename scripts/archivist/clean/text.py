"""Small text measures shared by the cleaning rules."""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
# Scripts written without spaces between words: count characters, not tokens.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def collapse_spaces(line: str) -> str:
    """Tabs, runs of spaces and no-break spaces become one space."""
    return _SPACES.sub(" ", line).strip()


def split_lines(text: str) -> list[str]:
    """Non-empty lines, each with its runs of (Unicode) white space collapsed to one space."""
    return collapse_lines(text.split("\n"))


def collapse_lines(raw_lines: list[str]) -> list[str]:
    """:func:`split_lines` of lines already split at line breaks."""
    # Most lines need no collapsing: a printable line holds no white space but the plain space
    # (tabs, no-break and other spaces are not printable), so with no double, leading or
    # trailing space it is already collapsed. Cheaper than splitting and joining it, and a
    # comprehension is cheaper than a loop.
    lines = [raw if raw.isprintable() and "  " not in raw and raw[:1] != " " and raw[-1:] != " "
             else " ".join(raw.split()) for raw in raw_lines if raw]
    return [line for line in lines if line] if "" in lines else lines  # (lines of white space)


def measure_all(texts: list[str]) -> tuple[list[int], list[str]]:
    """The words and the duplicate keys (case-folded) of lines whose spacing is already
    collapsed, as two lists.

    Cheaper than :func:`word_count` (no regex on spaced scripts: words are spaces plus one) and
    than a Python call per line: the cleaner measures every line of every capture.
    """
    keys = [t.casefold() for t in texts]
    words = [k.count(" ") + 1 if t.isascii() or not _UNSPACED.search(t) else word_count(t)
             for t, k in zip(texts, keys, strict=True)]
    return words, keys


def word_count(text: str) -> int:
    """Words in spaced scripts; for CJK and Thai, every two characters count as a word."""
    if text.isascii():
        return len(WORD.findall(text))
    unspaced = len(_UNSPACED.findall(text))
    if unspaced:
        return len(WORD.findall(_UNSPACED.sub(" ", text))) + unspaced // 2
    return len(WORD.findall(text))


def key(text: str) -> str:
    """A comparison key that ignores case, punctuation and spacing."""
    return " ".join(WORD.findall(text.casefold()))


def contains_any(text: str, parts: tuple[str, ...]) -> bool:
    """Whether any of ``parts`` occurs in ``text`` (a few substring tests beat a regex scan)."""
    for part in parts:  # noqa: SIM110 (a loop is faster than any() over a generator)
        if part in text:
            return True
    return False


_CLOSERS = "\"'”’»)]"
_CLOSER_SET = frozenset(_CLOSERS)
_STOPS = (".", "!", "?", "…", "。", "！", "？")


def ends_sentence(text: str) -> bool:
    """True when a line ends like a sentence (full stop, possibly inside quotes or brackets)."""
    if text[-1:] not in _CLOSER_SET:  # the usual case: no closer to strip (and no copy made)
        return text.endswith(_STOPS)
    return text.rstrip(_CLOSERS).endswith(_STOPS) or text.endswith(('"', "”", "»"))
