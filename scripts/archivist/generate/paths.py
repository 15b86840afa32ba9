"""Where a story's page lives: ``stories/YYYY/MM/<slug>.md`` or ``stories/undated/<slug>.md``."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from slugify import slugify

from archivist.model import Story

STORIES_DIR = "stories"
CAPTURES_DIR = "captures"
SLUG_WORDS = 80  # characters; long enough to tell stories apart, short enough for a URL


def base_slug(story: Story) -> str:
    """ASCII slug of the title (transliterated), or of the capture's file name as a fallback."""
    slug = slugify(story.title or "", max_length=SLUG_WORDS, word_boundary=True, save_order=True)
    if not slug:
        stem = posixpath.splitext(posixpath.basename(story.capture.path))[0]
        slug = slugify(stem, max_length=SLUG_WORDS) or "story"
    return slug


def story_folder(story: Story) -> str:
    if story.date and len(story.date) >= 7:
        return f"{STORIES_DIR}/{story.date[:4]}/{story.date[5:7]}"
    return f"{STORIES_DIR}/undated"


def assign_paths(stories: Iterable[Story]) -> dict[str, str]:
    """Map each capture path to a unique page path (relative to ``docs/``).

    Deterministic: stories are taken in capture-path order, and a slug already taken in the
    same folder gets the first characters of the capture's hash, which do not depend on order.
    """
    taken: set[str] = set()
    out: dict[str, str] = {}
    for story in sorted(stories, key=lambda s: s.capture.path):
        folder, slug = story_folder(story), base_slug(story)
        path = f"{folder}/{slug}.md"
        if path in taken:
            path = f"{folder}/{slug}-{story.capture.sha256[:8]}.md"
        n = 2
        while path in taken:
            path = f"{folder}/{slug}-{story.capture.sha256[:8]}-{n}.md"
            n += 1
        taken.add(path)
        out[story.capture.path] = path
    return out


def capture_copy_path(story: Story) -> str:
    """The raw capture's copy inside ``docs/``: named by content hash, served as plain text."""
    return f"{CAPTURES_DIR}/{story.capture.sha256}.txt"


def _plain(path: str) -> bool:
    """A docs-relative path of plain names: not absolute, no empty segment, no segment starting
    with a dot (so no "." or ".."; a hidden name merely takes the slow way)."""
    return bool(path) and path[0] != "/" and path[0] != "." and path[-1] != "/" \
        and "//" not in path and "/." not in path


def relative_link(from_page: str, to_path: str) -> str:
    """A link from one docs-relative file to another, as MkDocs wants it (relative, POSIX).

    What ``posixpath.relpath(to_path, dirname(from_page))`` gives, by string operations for the
    paths Archivist makes (plain names, no ``..``): relpath makes both absolute against the
    working directory first, and a story page's dozen links cost more than the rest of it.
    """
    if not (_plain(from_page) and _plain(to_path)):
        return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
    folder = from_page.rpartition("/")[0]
    if not folder:
        return to_path
    if to_path.startswith(folder) and to_path[len(folder):len(folder) + 1] == "/":
        return to_path[len(folder) + 1:]
    here, there = folder.split("/"), to_path.split("/")
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."
