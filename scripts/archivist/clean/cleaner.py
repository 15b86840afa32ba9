"""The cleaner: find the article in a capture's lines and the metadata around it.

It works on lines, because a text capture keeps one block of the page a line. Each line is first
classified on its own (button, cookie notice, related link, byline, caption...), then the article
body is found as the heaviest run of prose, and the title, dek, byline and date are looked for in
the lines just above it. Pure: text in, :class:`Cleaned` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archivist.clean import boilerplate, captions
from archivist.clean.bylines import (
    BY_WORD_STEMS,
    BYLINE_LABEL_WORDS,
    DIGIT_OR_HANDLE,
    DIGIT_OR_HANDLE_ASCII,
    clean_name,
    is_byline_label,
    newsroom_in_dateline,
    newsroom_name,
    parse_byline,
)
from archivist.clean.dates import find_date, looks_like_dateline
from archivist.clean.language import detect_language
from archivist.clean.linescan import LineScan
from archivist.clean.outlet import outlet_from_text
from archivist.clean.text import contains_any, ends_sentence, measure_all, split_lines
from archivist.model import Cleaned, Image

_RELATED = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|recommended|leia também|leia mais|"
    r"veja também|lesen sie auch|lire aussi|à lire aussi|читайте также)"
    r"\s*[:：–—-]\s*(?P<title>.+)$",
    re.IGNORECASE,
)
_UPDATE_NOTE = re.compile(
    r"^(?:(?:this|the) (?:story|article|post|report|piece) (?:was|has been|is being|will be) "
    r"updated\b|editor['’]s note\s*:|correction\s*:|update\s*:)",
    re.IGNORECASE,
)
# The first letters of those two (case-folded; "ſ" folds to "s"): other lines skip both regexes.
_RELATED_OR_UPDATE_FIRST = frozenset("rmaslvàчtecu")
# Kinds of line that are metadata or furniture, never body text.
_META_KINDS = {"byline", "date", "update"}
# What may stand between a headline and its byline or date (share buttons, photo credits...).
_HEADER_FURNITURE = {"byline", "date", "ui", "credit", "caption", "dup", "end", "stop"}
_SKIP_KINDS = {"ui", "notice", "dup", "caption", "credit", "related"} | _META_KINDS

PROSE_WORDS = 12  # a paragraph of fewer words is not enough to start or extend the body
CAPTION_REPEAT_LINES = 1  # a picture's text alternative and its visible caption sit side by side


@dataclass(slots=True)
class _Line:
    text: str
    words: int
    key: str = ""  # case-folded text: the duplicate key, and what the vocabulary rules match
    kind: str = "text"
    names: list[str] | None = None  # byline names
    credit: str | None = None  # caption credit
    caption_of: int | None = None  # index of the caption a credit line belongs to

    @property
    def is_prose(self) -> bool:
        return self.kind == "text" and self.words >= PROSE_WORDS and (
            ends_sentence(self.text) or self.words >= 30
        ) and not self.text.endswith(("...", "…"))


def _classify(texts: list[str], template: frozenset[str] = frozenset()) -> tuple[list[_Line], LineScan]:
    """Each line's kind (and its byline names or caption credit), and the scan of the lines'
    keys that found them (:func:`_mark_ends` uses it again)."""
    counts, keys = measure_all(texts)
    lines = [_Line(t, words, k) for t, words, k in zip(texts, counts, keys, strict=True)]
    # The lines that hold a privacy word, found by string searches over the whole capture: the
    # site-notice rule (no length limit: notices are long) runs on these lines only.
    scan = LineScan(keys)
    notices = scan.lines_containing(boilerplate.PRIVACY_STEMS)
    seen: dict[str, int] = {}
    by_prefix: dict[str, list[int]] = {}
    name_line = -1  # the line after a lone "Author:" label holds the byline's names
    for i, line in enumerate(lines):
        t = line.text
        k = line.key
        if i == name_line:
            line.kind, line.names = "byline", lines[i - 1].names
            continue
        if line.words <= 2:  # most lines of a page are menu items: only a few rules can apply
            plain = k.replace(" ", "")
            # (is_ui_line's own second test, inline: most of these lines are a word or two)
            if k in boilerplate.UI_LINES or (not plain.isalnum() and boilerplate.is_ui_line(t, k)):
                line.kind = "ui"
            elif len(t) <= 10 and k.rstrip(": ") in BYLINE_LABEL_WORDS and is_byline_label(t) \
                    and i + 1 < len(lines) and lines[i + 1].words <= 6 \
                    and (names := parse_byline(f"{t} {lines[i + 1].text}")):
                line.kind, line.names, name_line = "byline", names, i + 1
            elif k in seen:
                line.kind = "dup"
            # A byline without "By" and a dateline need a digit: one search for both rules (and
            # neither takes a line this long); a line of letters only has none.
            elif (digit := not plain.isalpha() and len(t) <= 160
                  and (DIGIT_OR_HANDLE_ASCII if t.isascii() else DIGIT_OR_HANDLE).search(t) is not None) \
                    and looks_like_dateline(t):
                line.kind = "date"
            elif line.words == 2 and (digit or contains_any(k, BY_WORD_STEMS)) \
                    and (names := parse_byline(t, k, digit)):
                line.kind, line.names = "byline", names
            elif i and lines[i - 1].kind in ("text", "caption") and captions.credit_only(t, line.words, k):
                line.kind, line.caption_of = "credit", i - 1
                lines[i - 1].kind = "caption"
            if k:
                seen.setdefault(k, i)
            continue
        # As above; ASCII lines (most) take the ASCII twin, tested inline instead of by Unicode lookups.
        digit = len(t) <= 160 and (DIGIT_OR_HANDLE_ASCII if t.isascii() else DIGIT_OR_HANDLE) \
            .search(t) is not None
        related = _RELATED.match(t) if k[:1] in _RELATED_OR_UPDATE_FIRST else None
        if related and len(related.group("title").split()) >= 2:
            line.kind = "related"
        elif k[:1] in _RELATED_OR_UPDATE_FIRST and _UPDATE_NOTE.match(t):
            line.kind = "update"
        elif (len(t) <= 60 and (k in boilerplate.UI_LINES or not k.replace(" ", "").isalnum())
              and boilerplate.is_ui_line(t, k)) \
                or ((":" in t or "(@" in t) and boilerplate.is_label(t)):  # (their first tests inline)
            line.kind = "ui"
        elif i in notices and boilerplate.is_site_notice(t, k):
            line.kind = "notice"
        elif k in seen:
            line.kind = "dup"
            first = lines[seen[k]]
            if i - seen[k] <= CAPTION_REPEAT_LINES and first.kind == "text" and first.words >= 5 \
                    and not _headline_like(first):
                first.kind = "caption"  # a sentence shown twice in a row is a picture's caption
            elif line.words <= 20 and (digit or contains_any(k, BY_WORD_STEMS)) \
                    and (names := parse_byline(t, k, digit)):  # repeated bylines and
                line.kind, line.names = "byline", names  # dates still mark stories' headers
            elif digit and line.words <= 20 and looks_like_dateline(t):
                line.kind = "date"
        # (parse_byline's own first tests: a byline needs a byline word, or a digit or handle)
        elif len(t) <= 160 and (digit or contains_any(k, BY_WORD_STEMS)) \
                and (names := parse_byline(t, k, digit)):
            line.kind, line.names = "byline", names
        elif digit and len(t) <= 120 and looks_like_dateline(t):
            line.kind = "date"
        elif line.words <= 12 and i and lines[i - 1].kind in ("text", "caption") \
                and captions.credit_only(t, line.words, k):
            line.kind, line.caption_of = "credit", i - 1
            lines[i - 1].kind = "caption"
        else:
            for j in by_prefix.get(t[:30], ()):
                tail = captions.credit_suffix(t, lines[j].text)
                if tail:
                    line.kind, line.credit, line.caption_of = "credit", tail, j
                    lines[j].kind = "caption"
                    break
            else:
                split = captions.split_inline_credit(t) if t.endswith(")") or ":" in t[-100:] else None
                if split:
                    line.kind, line.credit = "caption", split[1]
                    line.text = split[0]
        if k:
            seen.setdefault(k, i)
        if line.words >= 5:
            by_prefix.setdefault(t[:30], []).append(i)
    for i, line in enumerate(lines[1:-1], 1):
        # An agency's name between a headline and the dateline is the story's byline, not the
        # credit of a photo: "Headline / REUTERS / 19 NOV 2019".
        if line.kind == "credit" and line.caption_of == i - 1 and lines[i + 1].kind == "date" \
                and (name := newsroom_name(line.text)):
            line.kind, line.names, line.caption_of = "byline", [name], None
            lines[i - 1].kind = "text"
    if template:  # the outlet's other captures share these lines: site template, not story
        for line in lines:
            if line.kind in ("text", "dup") and line.key in template:
                line.kind = "template"
    return lines, scan


def _headline_like(line: _Line) -> bool:
    text = line.text
    return 2 <= line.words <= 30 and len(text) <= 300 and not text.endswith((".", ":", ","))


# Weights of the body search. Each line scores for or against being inside the article; the body
# is the span with the highest total (a maximum-sum segment). Sentences earn their word count;
# interface lines, headline-like lines and metadata cost a little, so an article survives its
# subheads, captions and ad labels while menus and link lists around it drop out; the point
# where the article ends (comments, footer, "related stories") costs a lot.
SHORT_COST = 2.0  # a line that is not a sentence: menu item, subhead, list item, headline
FRAGMENT_WORDS = 8  # ... unless it is a fragment this long in sentence case,
FRAGMENT_WEIGHT = 0.1  # which counts for this much per word
FURNITURE_COST = 3.0  # a button, caption, byline, dateline or related-link line
SOFT_END_COST = 40.0  # "Related articles", "Most read": the story may resume after a listing
HARD_END_COST = 1000.0  # comments, copyright, consent: nothing after it joins the story
HEADER_COST = 50.0  # a headline with its own byline or date: another story's teaser
HEADER_BONUS = 25.0  # the first sentence under the page's first headline-and-byline block
AFTER_END_FACTOR = 0.3  # prose after the article's end (comments, footer) weighs this much
BEFORE_HEADER_FACTOR = 0.25  # prose above the first headline-and-byline block weighs this much
LEADING_LIST_LINES = 3  # fragments in a row at the top of the span are a list of links
MIN_ARTICLE_WORDS = 60  # ... if at least this much prose follows that block


# A card's headline glued to its teaser ("Bridge Reopens On MondayThe city said..."): innerText
# runs a card's blocks together when the page's stylesheet did not load.
_GLUE = re.compile(r"(?:(?<=[a-z]{3})|(?<=[a-z][?!’'\"]))(?=[A-Z][a-z])")


def _glued_teaser(text: str) -> bool:
    """A title-case headline run into a following sentence without a space."""
    if not text[:1].isupper() or not _title_case(text[:40]):  # cheap tests first
        return False
    match = _GLUE.search(text, 0, 200)
    if not match:
        return False
    head = text[:match.start()].split()
    if len(head) < 4 or len(head) > 25:
        return False
    capitalised = sum(1 for word in head if word[0].isupper() or (
        not word[0].isalnum() and word[1:2].isupper()))
    return capitalised >= 0.75 * len(head)


# ASCII characters by their part in a word's capitalisation: "U" a capital, "l" another letter
# or digit, " " white space (where str.split splits), "p" punctuation (may precede a capital).
_CASE_MASK = bytes(
    ord("U") if chr(c).isupper() else ord("l") if chr(c).isalnum() else 32 if chr(c).isspace() else ord("p")
    for c in range(128)
) + b"p" * 128  # (never met: the text is ASCII)


def _title_case(text: str) -> bool:
    """Most words capitalised, as in English headlines and menus (uncased scripts: never)."""
    if text.isascii():  # capitals at word starts counted in one byte mask, without a Python loop
        mask = b" " + text.encode().translate(_CASE_MASK)
        return (mask.count(b" U") + mask.count(b" pU")) * 2 > len(text.split())
    words = text.split()
    lower_limit = 0.5 * len(words)  # this many words not capitalised, and it is not title case
    lower = 0
    for word in words:
        if not (word[0].isupper() or (not word[0].isalnum() and word[1:2].isupper())):
            lower += 1
            if lower >= lower_limit:  # most sentences end here, within a few words
                return False
    return len(words) - lower > lower_limit


def _line_weight(line: _Line) -> float:
    """How much a line argues for being part of the article body (negative: against)."""
    if line.kind == "text":
        if line.words >= 30 or (line.words >= 2 and ends_sentence(line.text)):
            if line.text.endswith(("...", "…")) or _glued_teaser(line.text):  # another story's teaser
                return -SHORT_COST
            return float(line.words)
        if line.words >= FRAGMENT_WORDS and not _title_case(line.text):
            # A long fragment in sentence case: a list item, a table row, a paragraph cut short
            # by a paywall. Content more often than not; menus and headlines are title case.
            return FRAGMENT_WEIGHT * line.words
        return -SHORT_COST
    if line.kind == "end":
        return -SOFT_END_COST
    if line.kind == "stop":
        return -HARD_END_COST
    return -FURNITURE_COST


# The weights of the lines that are not text (see :func:`_line_weight`; other kinds: furniture).
_KIND_WEIGHTS = {"end": -SOFT_END_COST, "stop": -HARD_END_COST}


def _mark_ends(lines: list[_Line], scan: LineScan) -> None:
    """Give end-of-article lines their own kinds: "stop" (hard) and "end" (a listing starts)."""
    # Only lines where the rules' patterns match in a scan of the whole capture can be ends.
    hard = scan.lines_with(boilerplate.HARD_END_SCAN, 1)
    soft = scan.lines_with(boilerplate.SOFT_END_SCAN, 1)
    for i in hard | soft:  # (each line's outcome depends on that line only)
        line = lines[i]
        if line.kind in ("text", "ui", "dup"):
            if i in hard and boilerplate.is_hard_end(line.text, line.words, line.key):
                line.kind = "stop"
            elif i in soft and line.kind == "text" \
                    and boilerplate.is_soft_end(line.text, line.words, line.key):
                line.kind = "end"


def _headers(lines: list[_Line]) -> list[int]:
    """Bylines and datelines under a headline (and perhaps a dek): where a story starts.

    The page's own article has one; so has every teaser in a listing of other stories.
    """
    found = []
    for i, line in enumerate(lines):
        if line.kind not in ("byline", "date"):
            continue
        dek = False
        for j in range(i - 1, max(-1, i - 9), -1):
            above = lines[j]
            if above.kind in _HEADER_FURNITURE:
                continue
            if above.kind != "text":
                break
            if _headline_like(above):
                found.append(i)
                break
            if dek or not 5 <= above.words <= 60:
                break
            dek = True
    return found


def _max_segment(weights: list[float]) -> tuple[int, int, float] | None:
    """The contiguous segment with the largest positive sum (Kadane), as ``(first, last, sum)``."""
    best: tuple[int, int, float] | None = None
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = w, i
        else:
            total += w
        if total > 0 and (best is None or total > best[2]):
            best = (start, i, total)
    return best


def _body_span(lines: list[_Line], scan: LineScan) -> tuple[int, int] | None:
    """First and last line of the article body: the best-scoring span of lines."""
    _mark_ends(lines, scan)
    # Only text lines need _line_weight's tests; the other kinds' weights are constants.
    weights = [_line_weight(line) if line.kind == "text" else _KIND_WEIGHTS.get(line.kind, -FURNITURE_COST)
               for line in lines]
    headers = _headers(lines)
    for h in headers[1:]:
        weights[h] -= HEADER_COST
    if headers:
        first = next((i for i in range(headers[0] + 1, min(len(lines), headers[0] + 6))
                      if weights[i] > 0), None)
        if first is not None:
            weights[first] += HEADER_BONUS
    # Prose after a hard end is comments or footer: it must not outweigh the article above it.
    seen_prose = 0.0
    after_end = False
    for i, line in enumerate(lines):
        if line.kind == "stop" and seen_prose >= 50:
            after_end = True
        elif after_end and weights[i] > 0:
            weights[i] *= AFTER_END_FACTOR
        elif weights[i] > 0:
            seen_prose += weights[i]
    # Prose above the page's first story header (menus of teasers) weighs less, provided an
    # article does follow that header.
    if headers:
        following = 0.0
        for i in range(headers[0] + 1, len(lines)):
            if lines[i].kind == "stop" or i in headers[1:2]:
                break
            following += max(0.0, weights[i])
        if following >= MIN_ARTICLE_WORDS:
            for i in range(headers[0]):
                if weights[i] > 0:
                    weights[i] *= BEFORE_HEADER_FACTOR
    best = _max_segment(weights)
    if best is None or not any(line.is_prose for line in lines[best[0]:best[1] + 1]):
        return None
    first, last, _ = best
    # An article opens with a sentence, not with a list of link-like fragments.
    opening = next(i for i in range(first, last + 1) if lines[i].is_prose or (
        weights[i] >= FRAGMENT_WORDS and ends_sentence(lines[i].text)))
    if opening - first >= LEADING_LIST_LINES:
        first = opening
    return first, last


# Lines that sit where a headline would but are something else: photo credits, share and print
# buttons, section labels, relative times ("3 hours ago", "Today 10:30": short or with a digit).
_NOT_TITLE_WORD = re.compile(
    r"\b(?:photo|image|getty|courtesy|credit|shutterstock|reuters|associated press|afp)\b", re.IGNORECASE
)
_NOT_TITLE_START = re.compile(
    r"(?:share|print|tweet|email|see also|back to|zurück|voltar|volver|retour|назад)\b", re.IGNORECASE
)
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_RELATIVE_TIME = re.compile(r"\b(?:ago|today|yesterday|hours?|minutes?)\b", re.IGNORECASE)
# The words of those two case-insensitive regexes (slow to scan), case-folded: a line whose key
# holds none of them cannot match. Only "ı" and "İ" (which folds to "i" and a combining dot)
# fold otherwise than the regex engine matches them: lines holding them are always scanned.
_NOT_TITLE_FOLDED = ("photo", "image", "getty", "courtesy", "credit", "shutterstock", "reuters",
                     "associated press", "afp", "ı", "\u0307")
_RELATIVE_FOLDED = ("ago", "today", "yesterday", "hour", "minute", "ı", "\u0307")


def _not_title(line: _Line) -> bool:
    """A credit or agency word, a clock time, "©", or a button's word first."""
    text = line.text
    return "©" in text or (":" in text and _CLOCK.search(text) is not None) \
        or _NOT_TITLE_START.match(text) is not None \
        or (contains_any(line.key, _NOT_TITLE_FOLDED) and _NOT_TITLE_WORD.search(text) is not None)
_SLASH_CAPITAL = re.compile(r"\w/[A-Z]")


def _caption_shape(text: str) -> bool:
    r"""The shape of a caption or credit: "Name/Agency", "(Agency)" at the end, an opening quote.

    (As ``\w/[A-Z]|\)$|^[“"]`` would find, its forms tested apart: a scan of that regex tries
    every form at every position.)"""
    return text.endswith(")") or text.startswith(("“", '"')) \
        or ("/" in text and _SLASH_CAPITAL.search(text) is not None)


# Two sentences are a caption's shape too, unless the line sits right on top of a dateline or
# byline: "Agency. More than 100 hurt in protests" over "May 2, 2019".
_TWO_SENTENCES = re.compile(r"[a-z]{3}\. [A-Z]")
TWO_SENTENCE_WORDS = 15  # ... and is headline-short; a longer one is the dek
# A breadcrumb or a label ends with its separator ("News /", "Sport ›"); a headline does not, nor
# does it hold a breadcrumb's arrows ("Blog > Food > Recipes") or two spaced slashes.
_OPEN_ENDS = ("...", "…", "/", "|", ">", "»", "›", "-", "–", "—", "•", "·")
_BREADCRUMB = re.compile(r"\s[>›»]\s|\s/\s.*\s/\s")
_BREADCRUMB_MARKS = (">", "›", "»", "/")  # one stands in every breadcrumb match
# A line of names ("Ann Lee and Bo Chen Example Times") is a byline printed without "By".
_NAME_SEPARATORS = re.compile(r",|\s(?:and|&|e|und|et|y|и)\s")
TITLE_WINDOW = 30  # lines above the body where the headline may be
TITLE_FALLBACK_WORDS = 12  # words of the lede that stand in for a missing headline
HEADER_WINDOW = 12  # without a headline, lines above the body searched for byline and date
# Title score weights (chosen on the dev set): shared words with the lede count most; standing
# over the story's byline or dateline, a headline's length and its repetition add to it.
LEDE_WEIGHT = 3.0  # times the share of the line's words that the lede repeats
OVER_META_BONUS = 2.0  # the line stands over a byline or dateline (perhaps with a dek between)
SHAPE_BONUS = 1.0  # four words or more, or title case
LONG_TITLE_WORDS = 6  # menu items and section labels are shorter than most headlines
LONG_BONUS = 1.0
REPEAT_BONUS = 1.0  # printed twice (the document's title and the page's headline)
NAME_PENALTY = 2.0  # a person's name: an author line, not a headline
DISTANCE_COST = 0.03  # per line between the candidate and the body
META_LOOKAHEAD = 8  # lines below a headline searched for its byline or dateline
_UNSPACED_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


_CONTENT_WORD = re.compile(r"\w{3,}")
# A byte table that turns every ASCII character but the word characters (``\w``) into a space:
# in ASCII text the content words are then the split parts of 3+ letters. A byte translation is
# a plain table lookup, much faster than the regex's findall or a ``str.translate``.
_ASCII_NON_WORD = bytes(c if chr(c).isalnum() or c == ord("_") else 32 for c in range(128)) \
    + bytes(range(128, 256))


_TYPOGRAPHIC = ("’", "‘", "“", "”", "—", "–", "…", "«", "»", "•", "·", "„")


def _tokens(text: str) -> set[str]:
    """Content words (3+ letters, case-folded); character pairs for unspaced scripts."""
    folded = text.casefold()
    if not folded.isascii():
        # Typographic quotes and dashes separate words as spaces do (none is a word character):
        # without them, most English text is ASCII and takes the fast way.
        for mark in _TYPOGRAPHIC:
            if mark in folded:
                folded = folded.replace(mark, " ")
    if folded.isascii():  # the usual case
        spaced = folded.encode().translate(_ASCII_NON_WORD).decode()
        return {w for w in spaced.split() if len(w) >= 3}
    if not _UNSPACED_CHARS.search(folded):
        return set(_CONTENT_WORD.findall(folded))
    tokens = {w for w in _CONTENT_WORD.findall(folded) if not _UNSPACED_CHARS.search(w)}
    chars = "".join(_UNSPACED_CHARS.findall(folded))
    tokens.update(chars[i:i + 2] for i in range(len(chars) - 1))
    return tokens


def _is_name_line(line: _Line) -> bool:
    """A line that is only a person's name (an author printed without "By")."""
    return line.kind in ("text", "dup") and line.words <= 4 and clean_name(line.text) is not None


def _over_metadata(lines: list[_Line], i: int, body_start: int) -> bool:
    """Whether line ``i`` stands over its story's byline or dateline.

    Share buttons, captions, credits and repeated lines may stand between, and so may one dek
    sentence ("Headline / The retailer earned... / Share / By Ann Lee"). A bare name line counts
    as the byline when the body or a date follows it.
    """
    dek = False
    for j in range(i + 1, min(len(lines), i + 1 + META_LOOKAHEAD)):
        below = lines[j]
        if below.kind in ("byline", "date"):
            return True
        if below.kind in ("ui", "caption", "credit", "dup"):
            continue
        if _is_name_line(below):
            after = next((k for k in range(j + 1, min(len(lines), j + 4))
                          if lines[k].kind not in ("ui", "dup")), body_start)
            return after >= body_start or lines[after].kind in ("byline", "date")
        if j < body_start and not dek and below.kind == "text" and 5 <= below.words <= 60 \
                and ends_sentence(below.text):
            dek = True
            continue
        return False
    return False


def _names_only(text: str) -> bool:
    """Two to four people's names and nothing else: a byline without its byline word."""
    parts = _NAME_SEPARATORS.split(text)
    return 2 <= len(parts) <= 4 and all(clean_name(part) for part in parts)


def _title_score(lines: list[_Line], i: int, body_start: int, lede: set[str],
                 repeated: set[str]) -> float | None:
    """How much line ``i`` looks like the article's headline; None when it cannot be.

    Standing over a byline or dateline (:func:`_over_metadata`) is scored by the caller.
    """
    line = lines[i]
    # A template line may be the headline too: the outlet's other captures can list this story.
    if line.kind not in ("text", "dup", "template") or not _headline_like(line):
        return None
    text = line.text
    if ends_sentence(text.rstrip("?!")) or text.endswith(_OPEN_ENDS) \
            or _not_title(line) or _caption_shape(text) \
            or (contains_any(text, _BREADCRUMB_MARKS) and _BREADCRUMB.search(text)) \
            or (". " in text and _TWO_SENTENCES.search(text) and (line.words > TWO_SENTENCE_WORDS
                                                 or lines[i + 1].kind not in ("date", "byline"))) \
            or (contains_any(line.key, _RELATIVE_FOLDED)
                and (line.words <= 3 or any(c.isdigit() for c in text)) and _RELATIVE_TIME.search(text)):
        return None
    words = _tokens(text)
    score = LEDE_WEIGHT * len(words & lede) / len(words) if words else 0.0  # the lede repeats them
    if line.words >= 4 or _title_case(text):
        score += SHAPE_BONUS
    if line.words >= LONG_TITLE_WORDS:
        score += LONG_BONUS
    if line.words >= 4 and line.key in repeated:
        score += REPEAT_BONUS
    if (line.words <= 4 and clean_name(text.split(",")[0])) or _names_only(text):
        score -= NAME_PENALTY
    return score - DISTANCE_COST * (body_start - i)


def _plain_line_above(lines: list[_Line], body_start: int) -> int | None:
    """The nearest short text line above the body, past bylines, datelines and site-template
    prose: the headline of a capture whose headline fails every shape rule ("--- A Headline ---")."""
    for i in range(body_start - 1, max(-1, body_start - 6), -1):
        line = lines[i]
        sentence = ends_sentence(line.text)
        if line.kind in ("byline", "date", "update", "caption", "credit", "ui") or (
                line.kind == "template" and sentence):
            continue
        if line.kind in ("text", "template") and 1 <= line.words <= 30 and len(line.text) <= 300 \
                and not (sentence and line.words > 12):
            return i
        return None
    return None


def _find_title(lines: list[_Line], body_start: int, body_end: int) -> int | None:
    """The headline: the best-scoring headline-like line above the body."""
    lede: set[str] = set()
    for line in lines[body_start:body_end + 1]:
        if line.kind == "text":
            lede |= _tokens(line.text)
            if len(lede) > 120:
                break
    window = range(max(0, body_start - TITLE_WINDOW), body_start)
    seen: set[str] = set()
    repeated: set[str] = set()
    for line in lines:  # headlines printed twice: in the page's title and over the story
        if line.words >= 4 and line.kind in ("text", "dup"):
            (repeated if line.key in seen else seen).add(line.key)
    scores = {i: score for i in window
              if (score := _title_score(lines, i, body_start, lede, repeated)) is not None}
    over = {i for i in scores if _over_metadata(lines, i, body_start)}
    for i in over:
        scores[i] += OVER_META_BONUS
    for i in sorted(over & scores.keys()):
        # Headline, then a dek without a full stop, then the byline: the dek stands over the
        # byline, but the line right above it is the headline when the page prints it twice
        # (as the document's title too) and it is not a breadcrumb ending in this line.
        above = next((j for j in range(i - 1, max(-1, i - 4), -1)
                      if lines[j].kind not in ("ui", "caption", "credit")), None)
        if above in scores and above not in over and lines[above].words >= LONG_TITLE_WORDS \
                and lines[above].key in repeated \
                and not lines[above].text.endswith(lines[i].text):
            scores[above] += OVER_META_BONUS
            scores[i] -= OVER_META_BONUS
    best: tuple[float, int] | None = None
    for i, score in scores.items():
        if best is None or score >= best[0]:
            best = (score, i)
    return best[1] if best else None


def _find_authors_and_date(lines: list[_Line], first: int, last: int) -> tuple[list[str], str | None]:
    """Byline names and the publication date printed in the article's header, lines first..last.

    A bare name next to the dateline ("Ann Lee" over "Nov. 19, 2019") counts as a byline, and so
    does a newsroom's or agency's name, alone next to it or in its text ("... / Example News").
    """
    authors: list[str] = []
    day = None
    for i in range(first, last + 1):
        line = lines[i]
        if line.kind == "byline" and not authors:
            authors = line.names or []
        if line.kind in ("date", "byline") and day is None and (found := find_date(line.text)):
            day = found.isoformat()
    if not authors:
        for i in range(first, last + 1):
            if lines[i].kind != "date":
                continue
            for j in (i - 1, i + 1):
                if first <= j <= last and lines[j].kind in ("text", "dup", "template") \
                        and lines[j].words <= 6:
                    name = clean_name(lines[j].text.split(",")[0].split(" - ")[0]) \
                        or newsroom_name(lines[j].text)
                    if name:
                        return [name], day
            if name := newsroom_in_dateline(lines[i].text):
                return [name], day
    return authors, day


def _find_dek(lines: list[_Line], title: int, body_start: int) -> int | None:
    """A one-paragraph summary right under the headline, set apart by metadata from the body."""
    for i in range(title + 1, min(len(lines), body_start + 2)):
        line = lines[i]
        if line.kind in _SKIP_KINDS:
            continue
        if line.kind != "text" or line.words > 60 or line.words < 5:
            return None
        if i < body_start:
            return i
        for after in lines[i + 1:]:  # the first prose paragraph is a dek only if metadata follows
            if after.kind in _META_KINDS or after.kind in ("caption", "credit"):
                return i
            if after.kind == "text":
                return None
        return None
    return None


def clean_text(text: str, template: frozenset[str] = frozenset()) -> Cleaned:
    """Clean one capture's text (already decoded and normalised) into a story.

    ``template`` holds the keys of lines that the outlet's other captures share (see
    :func:`archivist.clean.template.template_keys`); such lines are never body text.
    """
    return clean_lines(split_lines(text), template)


def clean_lines(texts: list[str], template: frozenset[str] = frozenset()) -> Cleaned:
    """:func:`clean_text` of a text already split into lines (:func:`~archivist.clean.text.split_lines`)."""
    lines, scan = _classify(texts, template)
    span = _body_span(lines, scan)
    out = Cleaned(outlet=outlet_from_text(texts, scan))
    if span is None:  # no prose at all: keep the text lines so nothing is silently lost
        kept = [line.text for line in lines if line.kind == "text"]
        out.title = kept[0] if kept else None
        out.paragraphs = kept[1:]
        return out
    body_start, body_end = span
    # The span may open with the headline when no metadata separates it from the lede.
    opening = next(i for i in range(body_start, body_end + 1) if lines[i].is_prose
                   or (lines[i].kind == "text" and lines[i].words >= 2 and ends_sentence(lines[i].text)))
    title = _find_title(lines, opening, body_end)
    if title is None:  # the short line right over the lede, however odd its shape
        title = _plain_line_above(lines, opening)
    if title is not None and title >= body_start:
        body_start = title + 1
    if title is None:  # a page needs a title: the lede's first words stand in for it
        words = lines[body_start].text.split()
        more = "…" if len(words) > TITLE_FALLBACK_WORDS else ""
        out.title = " ".join(words[:TITLE_FALLBACK_WORDS]) + more
    else:
        out.title = lines[title].text
        dek = _find_dek(lines, title, body_start)
        if dek is not None:
            out.description = lines[dek].text
            if dek >= body_start:
                lines[dek].kind = "dek"
                body_start = next(
                    (i for i in range(dek + 1, body_end + 1) if lines[i].is_prose), body_end
                )
    head = title if title is not None else body_start
    out.paragraphs = [
        line.text
        for line in lines[body_start:body_end + 1]
        if line.kind == "text" and line.words >= 2
    ]
    article = lines[max(0, head - 5):body_end + 2]
    first = max(0, head - 3) if title is not None else max(0, body_start - HEADER_WINDOW)
    out.authors, out.date = _find_authors_and_date(lines, first, min(len(lines) - 1, body_start + 2))
    for i, line in enumerate(lines[: body_end + 2]):
        if line.kind == "caption":
            credit = next(
                (c.credit for c in lines[i + 1:i + 4] if c.caption_of == i and c.credit), None
            ) or next(
                (c.text for c in lines[i + 1:i + 2] if c.caption_of == i and c.kind == "credit"),
                line.credit,
            )
            if i >= head - 10:
                out.images.append(Image(line.text, credit))
    for line in article:
        if line.kind == "related":
            match = _RELATED.match(line.text)
            if match and match.group("title") not in out.related_titles:
                out.related_titles.append(match.group("title").strip())
        elif line.kind == "update" and out.update_note is None:
            out.update_note = line.text
    out.language = detect_language(out.body or (out.title or ""))
    return out


@dataclass
class Tidied:
    """What :func:`tidy_blocks` keeps of an already extracted body, and what it set aside."""

    keep: list[bool]
    related_titles: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    update_note: str | None = None


def tidy_blocks(texts: list[str]) -> Tidied:
    """Set aside captions, related links, update notes and interface lines of a body found elsewhere.

    For readers (HTML) whose extractor already found the body: the same per-line rules as for
    text captures apply, but no body span is searched for.
    """
    lines, _ = _classify([" ".join(t.split()) for t in texts])
    out = Tidied(keep=[line.kind == "text" for line in lines])
    for i, line in enumerate(lines):
        if line.kind == "related" and (match := _RELATED.match(line.text)):
            title = match.group("title").strip()
            if title not in out.related_titles:
                out.related_titles.append(title)
        elif line.kind == "update" and out.update_note is None:
            out.update_note = line.text
        elif line.kind == "caption":
            credit = line.credit or next(
                (c.credit or c.text for c in lines[i + 1:i + 4] if c.caption_of == i), None
            )
            out.images.append(Image(line.text, credit))
    return out
