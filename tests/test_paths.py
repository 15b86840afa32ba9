"""relative_link gives what posixpath.relpath gave, for every pair of paths (it skips relpath's
absolute-path detour only for plain docs-relative paths, and must not change a link)."""

from __future__ import annotations

import os
import posixpath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivist.generate.paths import relative_link

settings.register_profile("archivist", deadline=None, derandomize=os.environ.get("CI") == "true",
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("archivist")


def relpath_link(from_page: str, to_path: str) -> str:
    """The previous implementation."""
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


SEGMENT = st.one_of(
    st.sampled_from(["stories", "2024", "05", "undated", "tag", "tags", "captures", "x.md",
                     "index.md", "a", "ab", "a.b", ".", "..", "...", ".hidden", "", " ", "é",
                     "2024-05.md", "story", "stories2"]),
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), max_size=3),
)
PATH = st.lists(SEGMENT, min_size=1, max_size=5).map("/".join)


def same_as_relpath(from_page: str, to_path: str) -> None:
    try:
        expected = relpath_link(from_page, to_path)
    except ValueError:  # relpath refuses an empty path: so must we
        with pytest.raises(ValueError):
            relative_link(from_page, to_path)
        return
    assert relative_link(from_page, to_path) == expected, (from_page, to_path)


@given(PATH, PATH)
def test_any_pair_as_relpath(from_page: str, to_path: str) -> None:
    same_as_relpath(from_page, to_path)


@given(PATH, st.lists(SEGMENT, max_size=3).map("/".join))
def test_link_into_a_neighbour_folder(from_page: str, rest: str) -> None:
    """Paths sharing a prefix (the usual case: story to story, to tag, to capture)."""
    folder = posixpath.dirname(from_page)
    same_as_relpath(from_page, f"{folder}/{rest}" if folder else rest)
    same_as_relpath(from_page, folder)


@pytest.mark.parametrize(("from_page", "to_path", "link"), [
    ("stories/2019/03/a.md", "stories/2019/03/b.md", "b.md"),
    ("stories/2019/03/a.md", "stories/2019/04/b.md", "../04/b.md"),
    ("stories/2019/03/a.md", "stories/undated/b.md", "../../undated/b.md"),
    ("stories/2019/03/a.md", "tag/joe-biden.md", "../../../tag/joe-biden.md"),
    ("stories/2019/03/a.md", "captures/ab.txt", "../../../captures/ab.txt"),
    ("stories/2019/03/a.md", "stories/2019/03", "."),
    ("stories/2019/03/a.md", "stories/2019/033/b.md", "../033/b.md"),
    ("stories/2019/03/a.md", "stories/2019/03b.md", "../03b.md"),
    ("tags.md", "tag/x.md", "tag/x.md"),
    ("tag/x/2.md", "tag/x.md", "../x.md"),
    ("tag/x/2.md", "tag/x/3.md", "3.md"),
    ("timeline/2024-05.md", "timeline.md", "../timeline.md"),
    ("a/./b.md", "a/c.md", "c.md"),
    ("a/../b.md", "c.md", "c.md"),
    ("a//b.md", "a/c.md", "c.md"),
    ("/abs/a.md", "/abs/b.md", "b.md"),
])
def test_examples(from_page: str, to_path: str, link: str) -> None:
    assert relative_link(from_page, to_path) == link == relpath_link(from_page, to_path)
