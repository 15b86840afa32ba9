"""ASCII and batch fast paths of the cleaner give the same answers as the forms they replaced.

Content words by a byte translation, the digit test's ASCII twin, all lines measured at once and
constant weights for the kinds of line that are not text: each is checked here on hand-made lines
(ASCII and not) against the slow form it stands in for (measure, the per-line form, lives here).
"""

from __future__ import annotations

import re

import pytest

from archivist.clean import cleaner
from archivist.clean.bylines import DIGIT_OR_HANDLE, DIGIT_OR_HANDLE_ASCII
from archivist.clean.text import _UNSPACED, measure_all, word_count

LINES = [
    "Plain words, and punctuation: here!", "snake_case_words and ab c de", "A-b_c d'e f.g hij",
    "Numbers 2019 and 42 and @handle", "tabs\tand ~`^ symbols {x} [yy] zzz", "",
    "Café au lait, naïve façade", "Straße ſtreet ΣΊΣΥΦΟΣ", "東京で会議 2019年", "٣ digits ١٢",
    "ａｂｃ fullwidth １２", "x", "ab", "abc",
]


@pytest.mark.parametrize("text", LINES)
def test_tokens_match_the_content_word_regex(text: str) -> None:
    folded = text.casefold()
    if not cleaner._UNSPACED_CHARS.search(folded):  # the spaced-script paths
        assert cleaner._tokens(text) == set(re.findall(r"\w{3,}", folded))


def test_tokens_ascii_path_is_taken_and_splits_on_every_non_word_character() -> None:
    # Every ASCII character: word characters join a token, all others end it.
    text = "".join(map(chr, range(128)))
    assert cleaner._tokens(text) == set(re.findall(r"\w{3,}", text.casefold()))
    assert cleaner._tokens("it's a well-known foo_bar") == {"well", "known", "foo_bar"}


@pytest.mark.parametrize("char", [chr(c) for c in range(128)])
def test_ascii_digit_twin_agrees_on_every_ascii_character(char: str) -> None:
    line = f"ab{char}cd"
    assert (DIGIT_OR_HANDLE_ASCII.search(line) is None) == (DIGIT_OR_HANDLE.search(line) is None)


def test_non_ascii_lines_keep_the_unicode_digit_test() -> None:
    # Not ASCII: the dateline rule still runs (it needs the digit test to pass first).
    lines = cleaner._classify(["Опубликовано 19 ноября 2019", "Published Nov. 19, 2019"])[0]
    assert [line.kind for line in lines] == ["date", "date"]


def measure(text: str) -> tuple[int, str]:
    """The per-line form measure_all replaced (kept here as the reference)."""
    folded = text.casefold()
    if text.isascii() or not _UNSPACED.search(text):
        return folded.count(" ") + 1, folded
    return word_count(text), folded


def test_measure_all_is_measure_of_each_line() -> None:
    words, keys = measure_all(LINES)
    assert list(zip(words, keys, strict=True)) == [measure(t) for t in LINES]


@pytest.mark.parametrize("kind", ["ui", "notice", "dup", "caption", "credit", "related", "byline",
                                  "date", "update", "end", "stop", "template", "dek"])
def test_constant_weights_of_kinds_that_are_not_text(kind: str) -> None:
    line = cleaner._Line("Some words that end a sentence and are long enough to count here.", 13, "", kind)
    assert cleaner._KIND_WEIGHTS.get(kind, -cleaner.FURNITURE_COST) == cleaner._line_weight(line)
