"""The front matter writer gives, byte for byte, what PyYAML (through python-frontmatter) gave.

:func:`archivist.generate.frontmatter_io.dump_meta` writes the YAML itself when it is certain of
the result and hands everything else to PyYAML. Pages must not change with that: a changed byte
would rewrite every page of an archive (and break the digests of hand-edit detection). So every
value here is compared with PyYAML's own output, with libyaml's emitter (what python-frontmatter
uses when it is installed) and with PyYAML's Python emitter, on the strings most likely to change
a YAML scalar's style: indicators, quotes, colons, hashes, look-alikes of numbers, dates, booleans
and null, spaces at either end, line breaks, tabs, controls, astral characters.
"""

from __future__ import annotations

import hashlib
import os

import frontmatter
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivist.generate import frontmatter_io
from archivist.generate.frontmatter_io import dump_meta, is_untouched, render

settings.register_profile("archivist", deadline=None, derandomize=os.environ.get("CI") == "true",
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("archivist")

DUMPERS = [yaml.SafeDumper] + ([yaml.CSafeDumper] if hasattr(yaml, "CSafeDumper") else [])


def pyyaml(meta: dict, dumper: type = DUMPERS[-1]) -> str:
    """What python-frontmatter wrote before: its YAML handler, keys in order, no folding."""
    return frontmatter.YAMLHandler().export(meta, Dumper=dumper, sort_keys=False, width=100_000)


def old_render(meta: dict, body: str) -> str:
    """The previous :func:`render`, through python-frontmatter end to end."""
    text = frontmatter.dumps(frontmatter.Post(body, **meta), sort_keys=False, width=100_000) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    head, sep, rest = text.partition("\n---\n")
    return f"{head}\n{frontmatter_io.DIGEST_KEY}: {digest}{sep}{rest}"


PIECES = [
    *"#,[]{}&*!|>'\"%@`?:-.~<=+_ 0123456789aeyYnNtTfFoO/\\()^$;",
    ": ", " #", "---", "...", "- ", "? ", "::", "''", '""', "yes", "No", "ON", "off", "true",
    "False", "null", "NULL", "~", "<<", "=", "0x1F", "0o17", "1_000", "1e5", "1.5e-3", ".5",
    "-.inf", ".NaN", "2024-05-01", "2024-05-01T10:00:00Z", "12:30", "1:20:30", "0b101",
    "é", "ü", "ß", "Ж", "中文", "ﬁ", "\u00a0", "\u00ad", "\u200b", "\u202e", "\ue000", "\ufeff",
    "\ufffd", "\ufffe", "\uffff", "\u2028", "\u2029", "\x85", "\t", "\n", "\r", "\r\n", "\x00",
    "\x07", "\x1b", "\x7f", "\x9f", "😀", "\U0001f1fa\U0001f1f8", "𝔘", "&amp;", "<script>",
    "archivist_digest: ", "title: x",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join)
SCALAR = st.one_of(TEXT, st.none(), st.booleans(), st.integers(), st.floats(),
                   st.sampled_from(["", " ", "a ", " a", "x" * 200]))
KEY = st.sampled_from(["title", "description", "date", "tags", "capture", "related", "score",
                       "yes", "null", "on", "1", "a b", "x:y", "", "_ok", "é"])
FLAT = st.dictionaries(KEY, SCALAR, max_size=4)
VALUE = st.one_of(SCALAR, FLAT, st.lists(st.one_of(SCALAR, FLAT), max_size=4),
                  st.lists(st.lists(SCALAR, max_size=2), max_size=2))
META = st.dictionaries(KEY, VALUE, max_size=6)


@given(TEXT)
def test_any_text_value_as_pyyaml_writes_it(text: str) -> None:
    for meta in ({"title": text}, {"tags": [text, "x"]}, {"image": {"caption": text}},
                 {"related": [{"path": "a.md", "title": text, "score": 0.5}]}):
        for dumper in DUMPERS:
            if frontmatter_io._text(text) is not None:  # the fast writer's case: both emitters
                assert dump_meta(meta) == pyyaml(meta, dumper), (text, dumper)
        assert dump_meta(meta) == pyyaml(meta), text


@given(META)
def test_any_front_matter_as_pyyaml_writes_it(meta: dict) -> None:
    try:
        expected = pyyaml(meta)
    except yaml.YAMLError:  # nothing we write; only the same failure matters
        with pytest.raises(yaml.YAMLError):
            dump_meta(meta)
        return
    assert dump_meta(meta) == expected


@given(META, TEXT)
def test_whole_page_as_before(meta: dict, body: str) -> None:
    meta = {"title": "T", **meta}
    try:
        expected = old_render(meta, body)
    except yaml.YAMLError:
        return
    page = render(meta, body)
    assert page == expected
    assert is_untouched(page)


@pytest.mark.parametrize("text", [
    "Eyes on the prize: In poll, Democrats care more", "Poll: Clinton leads", "Photo: AFP",
    "2019-03-22", "2019", "0.5", "-1", "+1", "1,000", "yes", "No", "null", "~", "", " ", "a ",
    " a", "#hashtag", "C# is a language", "a #b", "a#b", "a:b", "a:", ":a", "-a", "- a", "-",
    "?a", "? a", "?", "---x", "...x", "--x", "it's", "'quoted'", '"quoted"', "[x]", "{x}",
    "x, y", "100%", "@user", "`code`", "&anchor", "*alias", "!tag", "|", ">", "<<", "=",
    "Zürich – Genève", "日本語のタイトル", "\u00a0nbsp\u00a0", "emoji 😀", "tab\there",
    "line\nbreak", "nel\x85", "ls\u2028", "bom\ufeff", "x" * 10_000, "x " * 6_000,
])
def test_hostile_and_common_values(text: str) -> None:
    meta = {"title": text, "authors": [text], "image": {"caption": text, "credit": None},
            "related": [{"path": "p.md", "title": text, "score": 0.093}], "tags": []}
    # Where the fast writer does not answer, the emitters may differ (libyaml escapes emoji):
    # only the one python-frontmatter uses counts.
    for dumper in DUMPERS if frontmatter_io._text(text) is not None else DUMPERS[-1:]:
        assert dump_meta(meta) == pyyaml(meta, dumper)


def test_numbers_and_shared_objects() -> None:
    for value in [0.1, 1e-05, 1e16, 123456789.0, -0.0, 3.0, float("inf"), float("nan"), 2**70, True]:
        assert dump_meta({"score": value}) == pyyaml({"score": value})
    # python-frontmatter strips the YAML it wrote, so a last value's final NBSP goes: kept so.
    assert dump_meta({"a": "x", "b": "y\u00a0"}) == pyyaml({"a": "x", "b": "y\u00a0"}) == "a: x\nb: y"
    shared = ["a"]
    assert dump_meta({"a": shared, "b": shared}) == pyyaml({"a": shared, "b": shared})  # anchors


def test_story_front_matter_takes_the_fast_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual page never goes through PyYAML (where a page cost half a millisecond)."""
    meta = {"title": "Poll: Clinton leads", "date": "2019-03-22", "outlet": "USA TODAY",
            "authors": ["Susan Page"], "url": "https://example.com/a?b=c#d", "language": "en",
            "tags": ["Joe Biden", "Zürich"], "image": {"caption": "A caption.", "credit": None},
            "related_titles": [], "capture": {"path": "sources/a.txt", "sha256": "ab" * 32,
                                              "bytes": 10},
            "related": [{"path": "stories/2019/03/x.md", "title": "It's 2020", "score": 0.1}]}
    expected = pyyaml(meta)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fell back to PyYAML")

    monkeypatch.setattr(frontmatter.YAMLHandler, "export", refuse)
    assert dump_meta(meta) == expected
