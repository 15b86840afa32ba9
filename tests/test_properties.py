"""Property tests (hypothesis): for arbitrary input nothing raises, front matter round-trips,
and what a reader sees on the rendered page is exactly the cleaned text.

Text strategies lean on the characters that mean something to Markdown, YAML, HTML and Jinja,
so that the generated captures are hostile far more often than uniform Unicode would be.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import markdown
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from archivist.config import ArchiveConfig
from archivist.generate.escape import escape_block, escape_inline
from archivist.generate.frontmatter_io import DIGEST_KEY, is_untouched
from archivist.generate.story_page import front_matter, story_markdown
from archivist.link.archive import link_archive
from archivist.model import CaptureError, Story
from archivist.pipeline import Job, clean_one, ingest
from archivist.readers import read_capture
from archivist.readers.sidecar import parse_sidecar
from rendering import EXTENSIONS, render, visible_text

# Reproducible in CI (a failure there can be replayed); exploring anew on a developer's machine.
settings.register_profile("archivist", deadline=None, derandomize=os.environ.get("CI") == "true",
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("archivist")

SPECIALS = [
    *"#*_`[](){}<>!&\\|-+.:=~^\"'%@,;/?$",
    "---", "<!--", "-->", "{{", "}}", "{%", "%}", "<script>", "</script>", "javascript:",
    "&amp;", "&#169;", "1.", "2)", "> ", "!!! note", "[^1]", "*[HTML]:", "{: .x }", "    ",
    "\t", "\u00a0", "\u2028", "\r\n", "\r", "\ufeff", "\u202e", "\x00", "\x85",
    "archivist_digest: ", "title: ", "- ",
]
WORDS = ["The", "harbor", "council", "said", "on", "Monday", "that", "bridge", "work", "ended."]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIALS), st.sampled_from(WORDS), st.text(max_size=4),
                          st.just(" "), st.just("\n")), max_size=80).map("".join)
# Lines long enough to be taken for article prose, so that pages have body paragraphs.
PROSE_LINE = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIALS)),
                      min_size=12, max_size=40).map(lambda words: " ".join(words) + ".")
CAPTURE = st.lists(st.one_of(TEXT, PROSE_LINE), min_size=1, max_size=8).map("\n".join)
# Text as the cleaner hands it to the generators: no control characters, no lone surrogates.
CLEAN_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1) | TEXT.map(
    lambda t: "".join(c for c in t if c.isprintable() or c == " "))


class Blocks(HTMLParser):
    """Rendered HTML as (block tag, visible text, inline tags inside) per top-level block."""

    BLOCKS = frozenset({"h1", "h2", "p", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, list[str]]] = []
        self._open: tuple[str, list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._open = (tag, [], [])
        elif self._open:
            self._open[2].append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self.blocks.append((tag, " ".join("".join(self._open[1]).split()), self._open[2]))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[1].append(data)


def blocks_of(md: str) -> list[tuple[str, str, list[str]]]:
    parser = Blocks()
    parser.feed(markdown.markdown(md, extensions=EXTENSIONS))
    return parser.blocks


def _page_for(story: Story) -> str:
    links = link_archive([story])
    page = links.paths[story.capture.path]
    return story_markdown(story, page, links)


def _front_matter_for(story: Story) -> dict:
    links = link_archive([story])
    return front_matter(story, links.links(links.paths[story.capture.path]))


@given(st.binary(max_size=3000))
@settings(max_examples=150)
def test_arbitrary_bytes_read_or_give_a_reason(raw: bytes) -> None:
    try:
        story = read_capture(raw, "sources/x.txt")
    except CaptureError as exc:
        assert str(exc)
        return
    assert story.title.strip()


@given(CAPTURE, st.one_of(st.none(), TEXT))
@settings(max_examples=300)
def test_arbitrary_capture_and_sidecar_text_never_raise(text: str, sidecar: str | None) -> None:
    rel, result = clean_one(Job("sources/x.txt", text.encode("utf-8"),
                                None if sidecar is None else sidecar.encode("utf-8"),
                                "sources/x.yml"))
    assert rel == "sources/x.txt"
    if isinstance(result, CaptureError):
        assert "internal error" not in str(result), result
    else:
        _page_for(result)  # generating its page must not raise either


@given(CAPTURE)
@settings(max_examples=300)
def test_page_round_trips_and_shows_exactly_the_cleaned_text(text: str) -> None:
    try:
        story = read_capture(text.encode("utf-8"), "sources/x.txt")
    except CaptureError:
        event("no story")
        return
    event(f"paragraphs: {min(len(story.paragraphs), 3)}{'+' if len(story.paragraphs) > 3 else ''}")
    page = _page_for(story)
    post = frontmatter.loads(page)
    meta = dict(post.metadata)
    assert len(meta.pop(DIGEST_KEY)) == 64
    assert meta == _front_matter_for(story)
    assert is_untouched(page)

    blocks = blocks_of(post.content)
    assert blocks[0] == ("h1", story.title, [])
    paragraphs = [b for b in blocks if b[0] == "p"]
    n = len(story.paragraphs)
    shown = paragraphs[len(paragraphs) - 1 - n:len(paragraphs) - 1]
    assert [b[1] for b in shown] == story.paragraphs  # no character lost or added
    assert all(not inline for _, _, inline in shown)  # none turned into formatting
    if story.description:
        assert paragraphs[0] == ("p", story.description, [])


@given(CLEAN_TEXT)
@settings(max_examples=400)
def test_escaped_text_renders_as_itself(text: str) -> None:
    expected = " ".join(text.split())
    if not expected:
        return
    reader = render(escape_block(text))
    assert reader.tags == ["p"] and reader.attrs == []
    assert visible_text(escape_block(text)) == expected
    item = render(f"- [{escape_inline(text)}](page.md)")
    assert item.tags == ["ul", "li", "a"] and item.attrs == [("href", "page.md")]
    assert visible_text(f"- [{escape_inline(text)}](page.md)") == expected


SIDECAR_VALUES = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.lists(TEXT, max_size=3),
                           st.dictionaries(TEXT, TEXT, max_size=2), st.dates())
SIDECAR_KEYS = st.sampled_from(["url", "captured_at", "date", "title", "description", "outlet",
                                "authors", "tags", "exclude", "slug", "other"])


@given(st.dictionaries(SIDECAR_KEYS, SIDECAR_VALUES, max_size=6) | st.builds(str, TEXT))
@settings(max_examples=300)
def test_sidecar_is_valid_or_reported(data: object) -> None:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    try:
        parsed = parse_sidecar(text)
    except CaptureError as exc:
        assert str(exc)
        return
    for key, value in parsed.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                assert item == " ".join(item.split()), (key, item)  # one line, single spaces
                assert not [c for c in item if unicodedata.category(c) == "Cc"
                            or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    if parsed.get("url"):
        assert parsed["url"].lower().startswith(("http://", "https://"))


@given(st.lists(CAPTURE, min_size=1, max_size=4), st.one_of(st.none(), TEXT))
@settings(max_examples=25)
def test_whole_ingest_never_raises_and_is_repeatable(texts: list[str], sidecar: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        for i, text in enumerate(texts):
            (root / "sources" / f"{i}.txt").write_text(text, encoding="utf-8")
        if sidecar is not None:
            (root / "sources" / "0.yml").write_text(sidecar, encoding="utf-8")
        config = ArchiveConfig.at(root)
        first = ingest(config, progress=False)
        assert not [r for _, r in first.skipped if "internal error" in r], first.skipped
        again = ingest(config, progress=False)
        assert not again.written and not again.kept_edits
