"""The cleaner's fast paths give the same answers as the plain rules they stand in front of.

Each shortcut (a substring test before a regex, a regex rewritten to scan fast, a line left
uncollapsed) is checked here on hand-made lines against the slow form it replaced.
"""

from __future__ import annotations

import re

import pytest

from archivist.clean import boilerplate, captions, cleaner, dates, outlet
from archivist.clean.bylines import clean_name, parse_byline
from archivist.clean.linescan import LineScan
from archivist.clean.text import contains_any, ends_sentence, split_lines
from archivist.model import CaptureError
from archivist.readers.decode import normalize_text, read_lines, read_text


def _slow_split(text: str) -> list[str]:
    return [" ".join(words) for words in (raw.split() for raw in text.split("\n")) if words]


@pytest.mark.parametrize("text", [
    "plain line\nanother one",
    "tab\there\n  leading\ntrailing  \n",
    "no\u00a0break and\u2009thin\u3000ideographic",
    "double  space\n\n\n   \nlast",
    "zero\u200bwidth stays",
    "",
])
def test_split_lines_fast_path_matches_collapsing(text: str) -> None:
    assert split_lines(text) == _slow_split(text)


@pytest.mark.parametrize("text", [
    "A sentence.", "He said “yes.”", "(Quoted.)", "Ends with a quote\"", "No stop", "Closer only)",
    "", "Question?'", "日本語。",
])
def test_ends_sentence_fast_path(text: str) -> None:
    slow = text.rstrip("\"'”’»)]").endswith((".", "!", "?", "…", "。", "！", "？")) \
        or text.endswith(('"', "”", "»"))
    assert ends_sentence(text) is slow


def test_contains_any() -> None:
    assert contains_any("we use cookies here", ("consent", "cookie"))
    assert not contains_any("nothing to see", ("consent", "cookie"))


def test_credit_hint_keeps_word_boundaries() -> None:
    old = re.compile(r"p(?:hoto|icture)|i(?:mage|llustration)|foto|фото|cr[eé]dit|bild|getty|reuters"
                     r"|shutterstock|bloomberg|alamy|\b(?:ap|afp|epa)\b")
    for line in ["ap", "the ap", "ap photo", "afp/getty", "maps and laps", "epa", "repaint",
                 "(ap)", "snap", "a p", "xafp", "apx", "épa", "_ap"]:
        assert bool(captions._CREDIT_HINT_FOLDED.search(line)) == bool(old.search(line)), line
    assert captions.credit_only("AP Photo/Evan Vucci")
    assert not captions.credit_only("Maps and laps")


def test_inline_credit_shape_tests_first() -> None:
    assert captions.split_inline_credit("Keepers climb the tower on Monday. (AP Photo/Ann Lee)") == (
        "Keepers climb the tower on Monday.", "AP Photo/Ann Lee")
    assert captions.split_inline_credit("Keepers climb the tower on Monday. Photo: Ann Lee") == (
        "Keepers climb the tower on Monday.", "Ann Lee")
    assert captions.split_inline_credit("Keepers climb the tower on Monday (every week)") is None
    assert captions.split_inline_credit("Keepers climb the tower on Monday. (Ann Lee)") is None  # no credit word
    assert captions.split_inline_credit("Short. (AP)") is None


@pytest.mark.parametrize(("line", "names"), [
    ("By Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"]),
    ("By: Ann Lee", ["Ann Lee"]),
    ("Posted by Ann Lee on May 2, 2019", ["Ann Lee"]),
    ("5:45 AM PST 11/19/2019 by Ann Lee", ["Ann Lee"]),
    ("Ann Lee | Nov 19, 2019", ["Ann Lee"]),
    ("Текст: Анна Ли", ["Анна Ли"]),
    ("Happy birthday party tonight", None),  # "by" and "par" inside words
    ("Available by the lake", None),
    ("Photo by Ann Lee", None),
])
def test_bylines_behind_the_byline_word_prefilter(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


_OLD_ROLE = re.compile(  # the role regex as it was, before ASCII parts took a word-set lookup
    r"\b(?:writer|reporter|correspondent|editor|staff|contributor|columnist|press|associated|"
    r"bureau|chief|news|service|times|post|journal|reuters|afp|ap|analyst|producer|special|"
    r"redação|redacción|rédaction|redaktion|updated|published|posted|hours?|minutes?|ago|"
    r"ms|rdn|phd|md|rn|mph|mba|editor-at-large|senior|associate|deputy|managing|contributing|"
    r"sports|business|politics|science|health|technology|entertainment|opinion)\b",
    re.IGNORECASE,
)


def test_role_word_lookup_matches_the_regex() -> None:
    from archivist.clean.bylines import _ROLE_WORDS, _has_role

    parts = ["Ann Lee", "Newsom", "Apples", "Postman", "news_desk", "AP1", "A.P.", "editor-at-large",
             "co-editor", "Hours", "HOUR", "hourly", "Ms", "Ms.", "Mr", "Staff-Writer", "x_ap", "ap_x",
             "Ann Lee, AP", "Reuters", "REUTERS staff", "Dr. Phd", "Redação", "ſtaff", "edİtor", "José Ap"]
    parts += [f"{pre}{w}{post}" for w in _ROLE_WORDS for pre, post in
              [("", ""), ("Ann ", ""), ("x", ""), ("", "s"), ("", "-y"), ("9", ""), ("", "_")]]
    parts += [w.upper() for w in _ROLE_WORDS] + [w.title() + " Lee" for w in _ROLE_WORDS]
    for part in parts:
        assert _has_role(part) is (_OLD_ROLE.search(part) is not None), part


def test_byline_labels_are_found_by_their_word_set() -> None:
    """The cleaner looks a short line up in BYLINE_LABEL_WORDS before is_byline_label's regex:
    every label the regex takes must be in the set once folded and stripped of its colon."""
    from archivist.clean.bylines import BYLINE_LABEL_WORDS, is_byline_label

    words = ("by", "por", "par", "von", "door", "av", "автор", "авторы", "текст", "text", "texto", "author",
             "authors", "autor", "autora", "autores", "auteur", "auteurs")  # the regex's, expanded
    variants = [f"{w}{end}" for w in words for end in ("", ":", " :", "  :")]
    variants += [v.upper() for v in variants] + [v.title() for v in variants] + ["ſ", "Bу", "by by"]
    for line in variants:
        if is_byline_label(line):
            assert line.casefold().rstrip(": ") in BYLINE_LABEL_WORDS, line
    assert is_byline_label("By") and is_byline_label("Author:") and is_byline_label("АВТОР:")


def test_clean_name_role_test_still_applies() -> None:
    assert clean_name("Ann Lee") == "Ann Lee"
    assert clean_name("Staff Writer") is None
    assert clean_name("Ann Lee 2") is None


@pytest.mark.parametrize(("line", "day"), [
    ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
    ("Updated NOVEMBER 19th 2019", "2019-11-19"),
    ("on Sept 3 2019", "2019-09-03"),
    ("ноября 19, 2019", "2019-11-19"),
    ("19 de novembro de 2019", "2019-11-19"),
    ("xNov 19, 2019", None),  # a month name must start a word
    ("Renovember 19, 2019", None),
])
def test_month_first_dates(line: str, day: str | None) -> None:
    found = dates.find_date(line)
    assert (found.isoformat() if found else None) == day


DATE_FORMS = {  # one line per date pattern, in the patterns' order
    "Posted 2019-11-19 at noon": "2019-11-19",
    "Nov. 19, 2019 8:03 am ET": "2019-11-19",
    "19 de novembro de 2019": "2019-11-19",
    "2019年11月19日 10:00": "2019-11-19",
    "Stand: 19.11.2019": "2019-11-19",
    "Updated 11/19/2019": "2019-11-19",
    "11/19/19 06:56 AM": "2019-11-19",
}


@pytest.mark.parametrize("line", list(DATE_FORMS))
def test_each_date_pattern_finds_its_form_past_its_substring_test(line: str) -> None:
    """Every pattern still runs where its form stands, and each match holds one of the
    characters its substring test asks for (so the test only skips lines it cannot match)."""
    assert dates.find_date(line).isoformat() == DATE_FORMS[line]  # type: ignore[union-attr]
    matched = 0
    for pattern, needles in dates._PATTERNS:
        for match in pattern.finditer(line):
            matched += 1
            assert not needles or contains_any(match.group(), needles), (pattern.pattern, line)
    assert matched


def test_month_regex_matches_as_the_case_insensitive_one() -> None:
    old = re.compile(rf"\b(?P<mon>{dates._MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{dates._YEAR}\b",
                     re.IGNORECASE)
    for line in ["Nov 19, 2019", "NOV 19 2019", "nOv. 1st, 2019", "aNov 19, 2019", "Nov 19, 2019x",
                 "1Nov 19, 2019", "_Nov 19, 2019", "ſeptember 3, 2019", "Märzen 3, 2019", "MÄRZ 3, 2019",
                 "ОКТЯБРЯ 3 2019", "see Dec 31, 1999 and Jan 1, 2000"]:
        got = [(m.span(), m.groupdict()) for m in dates._PATTERNS[1][0].finditer(line)]
        want = [(m.span(), m.groupdict()) for m in old.finditer(line)]
        assert got == want, line


def test_case_extras_cover_every_case_insensitive_first_letter() -> None:
    """The month regex's first-letter class holds every character the engine would take for one."""
    firsts = "".join(sorted({name[0] for name in dates.MONTHS}))
    any_first = re.compile(f"[{firsts}]", re.IGNORECASE)
    first_class = dates._month_word().split("]", 1)[0][1:]
    for code in range(0x110000):
        char = chr(code)
        if (char.lower() != char or char.upper() != char or char.casefold() != char) \
                and any_first.fullmatch(char):
            assert char in first_class, hex(code)


def _line(text: str) -> cleaner._Line:
    return cleaner._Line(text, len(text.split()), text.casefold())


@pytest.mark.parametrize(("text", "rejected"), [
    ("Lighthouse Keepers Return to Gull Point", False),
    ("Keepers at the light. Photo courtesy of the county", True),
    ("PHOTO GALLERY of the keepers", True),
    ("Share this story", True),
    ("Updated 10:30 with more", True),
    ("© Coastline Courier", True),
    ("ımage of the keepers", True),  # dotless i: folds otherwise, still matched by the regex
])
def test_not_title(text: str, rejected: bool) -> None:
    assert cleaner._not_title(_line(text)) is rejected


def test_relative_times_are_not_titles() -> None:
    lines = [_line(t) for t in ["3 hours ago", "Keepers return to the old light at last",
                                "The keepers moved in on Monday and will stay all winter long."]]
    assert cleaner._title_score(lines, 0, 2, set(), set()) is None
    assert cleaner._title_score(lines, 1, 2, set(), set()) is not None


@pytest.mark.parametrize(("text", "title_case"), [
    ("Keepers Return To Gull Point", True), ("Keepers return to the point", False), ("", False),
    ("A B c d", False), ("A B C d", True),
])
def test_title_case_early_exit(text: str, title_case: bool) -> None:
    assert cleaner._title_case(text) is title_case


@pytest.mark.parametrize("text", [
    "Keepers Return To Gull Point", "Keepers return to the point", "", " ", "A B c d", "A B C d",
    "(Reuters) Mayor Opens Bridge", "\"Quoted\" Words Here", "_Under Score", "__Double Under x",
    "9 Things To Know", "a\tB\tC", "a\x1cB C", "Mid-Term Votes: A Guide", "iPhone Sales Rise",
    "  Spaced   Out  Words ", "(( Two Opening", "'Single' quotes 'Here'", "Ünïcödé Wörds Here", "ß Straße",
])
def test_title_case_ascii_mask_counts_as_the_word_loop(text: str) -> None:
    words = text.split()
    capitalised = sum(1 for w in words if w[0].isupper() or (not w[0].isalnum() and w[1:2].isupper()))
    assert cleaner._title_case(text) is (capitalised * 2 > len(words)), text


@pytest.mark.parametrize("text", [
    "AP Photo/Evan Vucci", "(Reuters)", "Police at the scene (AP)", "“We will rebuild,” he said",
    '"Quoted" headline', "and/or Maybe", "a/b", "News/ Views", "1/A", "Mayor opens bridge", "", ")",
    "Ünal/Reuters", "x/É",
])
def test_caption_shape_as_its_regex(text: str) -> None:
    assert cleaner._caption_shape(text) is (re.search(r"\w/[A-Z]|\)$|^[“\"]", text) is not None)


def test_tokens_fast_path() -> None:
    assert cleaner._tokens("Keepers return, at last!") == {"keepers", "return", "last"}
    assert cleaner._tokens("灯台守が戻る Keepers") == {"keepers", "灯台", "台守", "守が", "が戻", "戻る"}


@pytest.mark.parametrize("text", [
    "The keeper’s “last” watch—and the town’s…", "«Le phare» – l’été • fin", "„Leuchtturm“ · Wärter",
    "Don’t stop—it’s ‘fine’", "Café au lait’s crème—brûlée", "snake_case—words’ end", "x’y’z—ab’cd",
])
def test_tokens_split_at_typographic_marks_as_the_word_regex_does(text: str) -> None:
    assert cleaner._tokens(text) == set(cleaner._CONTENT_WORD.findall(text.casefold()))


def test_site_notice() -> None:
    assert boilerplate.is_site_notice("We use cookies to improve your experience on our website.")
    assert not boilerplate.is_site_notice("The keepers opted to stay through the winter.")


def test_ui_line_without_punctuation() -> None:
    assert boilerplate.is_ui_line("Share:")
    assert boilerplate.is_ui_line("« Back to top »")
    assert not boilerplate.is_ui_line("Keepers, back!")


def test_outlet_triggers_found_by_substring_search() -> None:
    lines = ["Keepers return", "© 2019 Coastline Courier. All rights reserved.",
             "Follow Coastline Courier on Twitter", "Coastline Courier's complete coverage of the coast",
             "The Other Paper's full coverage"]
    assert outlet.outlet_from_text(lines) == "Coastline Courier"
    assert outlet.outlet_from_text(["no self reference", "coverage, but no name"]) is None


@pytest.mark.parametrize("raw", [
    b"one\r\ntwo  \n\n  three\t four \n", "a\u00a0 b\u2028c\x85d \u200b e".encode(), b"a\x0cb\nc\x00d",
    b"e\x00\xcc\x81 and more", b"   \n\t\n", b"", "\ufeffHello\r\nworld".encode(), b"\x01" * 50 + b"text",
])
def test_read_lines_is_split_lines_of_read_text(raw: bytes) -> None:
    """The reader's shortcut (no line-end pass, controls searched in odd lines only) changes nothing."""
    def outcome(read):  # type: ignore[no-untyped-def]
        try:
            return read(raw)
        except CaptureError as error:
            return str(error)
    assert outcome(read_lines) == outcome(lambda r: split_lines(read_text(r)))


def test_read_text_without_and_with_control_characters() -> None:
    assert read_text(b"one\r\ntwo  \n") == "one\ntwo"
    assert read_text("one\x07 two\u2028three\x85four".encode()) == "one two\nthree\nfour"
    assert normalize_text("a\x00b", controls=False) == "a\x00b"  # the caller vouched for none


def _slow_ui_line(line: str) -> bool:
    folded = line.casefold()
    return len(line) <= 60 and (folded in boilerplate.UI_LINES
                                or " ".join(boilerplate._UI_WORD.findall(folded)) in boilerplate.UI_LINES)


@pytest.mark.parametrize("line", [
    "Share", "Share:", "— Share —", "Share this!", "share on facebook.", "Sign up", "(Sign in)", "e-mail",
    "E-mail:", "Watch: the game", "Politics & Power", "x", "[×]", "Cookie settings >", "Reklama.",
    "Реклама:", "Do not sell my personal information.", "Not a button, a sentence.", "",
])
def test_ui_line_first_word_shortcut(line: str) -> None:
    assert boilerplate.is_ui_line(line) is _slow_ui_line(line)


def test_classify_guards_are_the_rules_own_limits() -> None:
    """The cleaner skips these calls on lines past these limits: the rules must say no there."""
    long_line = "By Ann Lee, 2019-11-19 " + "word " * 40  # a byline and date shape, but too long
    assert len(long_line) > 160 and parse_byline(long_line.strip()) is None
    dated = "Published Nov. 19, 2019 " + "x" * 100
    assert len(dated) > 120 and not dates.looks_like_dateline(dated)
    assert not boilerplate.is_ui_line("Share" + " " * 2 + "x" * 60)
    assert not captions.credit_only("Photo: " + " ".join(["word"] * 12))
    assert captions.split_inline_credit("A man walks past the closed bridge on Tuesday. Photo Jane Doe") is None


@pytest.mark.parametrize("line", ["Share", "Accept all", "Skip to main content", "Terms of Service",
                                  "Share on Twitter.", "Tags: bridges, rivers", "— Ann Lee (@annlee) May 2"])
def test_classify_takes_interface_lines_of_any_length_with_or_without_punctuation(line: str) -> None:
    """The cleaner's inline tests before is_ui_line and is_label let every such line through."""
    prose = "The council voted on Tuesday to reopen the bridge after two years of repairs and delays."
    lines, _ = cleaner._classify([prose, line, prose.replace("Tuesday", "Monday")])
    assert lines[1].kind == "ui", line


_END_LINES = [
    "Comments", "(", "we use cookies to improve your experience", "© 2019 Example Media", "Related",
    "Related stories:", "More from Example News", "more than a headline", "Most Read", "", "discussion",
    "The council voted on Tuesday to reopen the bridge.", "12 comments", "Leave a reply", "Ｃｏｏｋｉｅ",
    "Lesen Sie auch", "Top Stories", "More", "All rights reserved.",
]


def test_line_scan_finds_exactly_the_lines_the_end_rules_take() -> None:
    keys = [line.casefold() for line in _END_LINES]
    scan = LineScan(keys)
    hard = scan.lines_with(boilerplate.HARD_END_SCAN, 1)
    soft = scan.lines_with(boilerplate.SOFT_END_SCAN, 1)
    for i, line in enumerate(_END_LINES):
        if boilerplate.is_hard_end(line):
            assert i in hard, line
        if boilerplate.is_soft_end(line):
            assert i in soft, line
    assert {_END_LINES[i] for i in hard} >= {"© 2019 Example Media", "12 comments", "Leave a reply"}
    assert "The council voted on Tuesday to reopen the bridge." not in {_END_LINES[i] for i in hard | soft}


def test_line_scan_substrings_name_their_lines() -> None:
    lines = ["no trigger here", "", "we set a cookie, and a cookie", "opt", "third party", "last opt"]
    found = LineScan(lines).lines_containing(("cookie", "opt", "third"))
    assert found == {2, 3, 4, 5}
    assert LineScan([]).lines_containing(("x",)) == set()


def test_classify_marks_ends_and_notices_as_the_rules_say() -> None:
    text = "\n".join([
        "Bridge Reopens After Repairs",
        "The council voted on Tuesday to reopen the bridge after two years of repairs and delays.",
        "We use cookies on our website to give you the best experience; by continuing you agree.",
        "Related stories",
        "More from Example News",
        "© 2019 Example Media",
    ])
    lines, scan = cleaner._classify(split_lines(text))
    cleaner._mark_ends(lines, scan)
    assert [line.kind for line in lines] == ["text", "text", "notice", "end", "end", "stop"]


def test_every_byline_word_holds_a_stem() -> None:
    """parse_byline skips its byline-word regexes when the line holds none of these stems."""
    from archivist.clean import bylines

    words = ["by", "por", "par", "von", "door", "av", "автор", "авторы", "текст", "text", "texto", "author",
             "authors", "autor", "autora", "autores", "auteur", "auteurs"]
    alternation = re.compile(bylines._BY_WORDS_FOLDED)
    assert all(alternation.fullmatch(word + " ") for word in words)  # the regex's words, all of them
    assert not alternation.fullmatch("autoras ") and bylines._BY_WORDS_FOLDED.count("|") == 14
    for word in words:
        assert contains_any(word, bylines.BY_WORD_STEMS), word
    assert bylines.parse_byline("Texto: Ana Lima") == ["Ana Lima"]


@pytest.mark.parametrize("line", [
    "By Ann Lee", "Ann Lee - Nov 19, 2019", "Ann Lee@annlee", "Posted by Ann Lee on May 2, 2019",
    "Text: Анна Ли", "The bridge reopens", "Photo by Jane Doe", "5:45 AM PST 11/19/2019 by Ann Lee",
])
def test_parse_byline_with_the_callers_digit_test(line: str) -> None:
    from archivist.clean.bylines import DIGIT_OR_HANDLE

    digit = DIGIT_OR_HANDLE.search(line) is not None
    assert parse_byline(line, line.casefold(), digit) == parse_byline(line)


def test_a_dateline_needs_what_the_digit_search_finds() -> None:
    """The cleaner calls looks_like_dateline only on lines where DIGIT_OR_HANDLE finds something."""
    from archivist.clean.bylines import DIGIT_OR_HANDLE

    for line in ["Nov. 19, 2019", "19 ноября 2019 г.", "Published ١٩/١١/٢٠١٩ 10:30", "2019年11月19日"]:
        if dates.looks_like_dateline(line):
            assert DIGIT_OR_HANDLE.search(line)
    assert not dates.looks_like_dateline("November nineteenth")
