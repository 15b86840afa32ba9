"""Story pages come out of the fast generators byte for byte as out of the previous, slower ones
(PyYAML front matter, posixpath.relpath links, three-pass escaping), and the usual page takes
the fast paths only."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from contextlib import ExitStack
from typing import TypeVar
from unittest import mock

import frontmatter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivist.generate import archive_pages as archive_pages_module
from archivist.generate import frontmatter_io, story_page
from archivist.generate.archive_pages import archive_pages
from archivist.generate.paths import assign_paths
from archivist.link.archive import LinkedArchive, NamedRef, PageLinks, PageRef
from archivist.model import Capture, Cleaned, Image, Story
from previous_escape import previous_block, previous_inline

settings.register_profile("archivist", deadline=None, derandomize=os.environ.get("CI") == "true",
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("archivist")

T = TypeVar("T")


def _relpath_link(from_page: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


def _pyyaml(meta: dict) -> str:
    return frontmatter.YAMLHandler().export(meta, sort_keys=False, width=100_000)


def previous(call: Callable[..., T], *args: object) -> T:
    """``call(*args)`` with the generators' previous building blocks."""
    swaps = [(story_page, {"relative_link": _relpath_link, "escape_inline": previous_inline,
                           "escape_block": previous_block}),
             (archive_pages_module, {"relative_link": _relpath_link, "escape_inline": previous_inline}),
             (frontmatter_io, {"dump_meta": _pyyaml})]
    with ExitStack() as stack:
        for module, names in swaps:
            for name, replacement in names.items():
                stack.enter_context(mock.patch.object(module, name, replacement))
        return call(*args)


def _story(i: int, title: str, text: str, tags: list[str], date: str | None) -> Story:
    cleaned = Cleaned(paragraphs=[text, f"2. {text}", f"- {text}", "Plain words."],
                      images=[Image(text, "Photo: AFP"), Image(f"{text} again", None)],
                      related_titles=[text, "Who is running? Here's a list"], language="en",
                      update_note=text or None)
    return Story(Capture(f"sources/s{i}.txt", f"{i:064x}", 1000 + i), title or "Untitled", cleaned,
                 description=text or None, authors=["Jane Doe", text], date=date,
                 outlet="USA TODAY" if i % 2 else text or None,
                 url=f"https://example.com/{i}?q={text[:10]}", tags=tags,
                 captured_at="2024-05-01T10:00:00Z")


def _archive(stories: list[Story]) -> tuple[LinkedArchive, dict[str, str]]:
    paths = assign_paths(stories)
    pages = {}
    for n, s in enumerate(stories):
        others = [t for t in stories if t is not s]
        refs = [PageRef(paths[t.capture.path], t.title, round(0.1 + n / 100, 3)) for t in others]
        pages[paths[s.capture.path]] = PageLinks(
            named=[NamedRef(s.title, refs[0].path if refs else None), NamedRef("Not archived", None)],
            related=refs[:5], linked_from=refs[5:8], versions=[s, *others[:1]])
    tag_pages = {t: f"tag/{i}-{re.sub(r'[^a-z]', '', t.lower())}.md"
                 for i, t in enumerate(sorted({t for s in stories for t in s.tags}))}
    return LinkedArchive(stories, paths, pages), tag_pages


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["Poll: Clinton leads", "it's #1", "yes", "2019-03-22", "a: b", "*bold* [x]: <b>", "Zürich",
     "emoji 😀", "tab\there", "  spaced  ", "- dash", "1) one", "\u00a0", ""])


@given(st.lists(st.tuples(TEXT, TEXT, st.lists(TEXT, max_size=4),
                          st.sampled_from([None, "2019-03-22", "2020-12-01"])),
                min_size=1, max_size=6))
@settings(max_examples=60)
def test_pages_as_the_previous_generators_made_them(specs: list) -> None:
    stories = [_story(i, title, text, [t for t in dict.fromkeys(tags) if t.strip()], date)
               for i, (title, text, tags, date) in enumerate(specs)]
    archive, tag_pages = _archive(stories)
    for s in stories:
        page = archive.paths[s.capture.path]
        fast = story_page.story_markdown(s, page, archive, tag_pages)
        assert fast == previous(story_page.story_markdown, s, page, archive, tag_pages)
    assert archive_pages(stories, archive.paths, "Archive") == previous(
        archive_pages, stories, archive.paths, "Archive")


def test_a_usual_page_takes_only_the_fast_paths() -> None:
    """No posixpath.relpath and no PyYAML for a page of ordinary text: where the time went."""
    stories = [_story(i, f"Story {i}: the harbor bridge", "The council voted on Monday.",
                      ["Joe Biden", "Zürich", "Harbor Council"], "2019-03-22") for i in range(8)]
    archive, tag_pages = _archive(stories)
    expected = {s.capture.path: previous(story_page.story_markdown, s, archive.paths[s.capture.path],
                                         archive, tag_pages) for s in stories}

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("slow path taken")

    with mock.patch.object(posixpath, "relpath", refuse), \
            mock.patch.object(frontmatter.YAMLHandler, "export", refuse):
        for s in stories:
            page = archive.paths[s.capture.path]
            assert story_page.story_markdown(s, page, archive, tag_pages) == expected[s.capture.path]
