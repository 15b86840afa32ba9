"""The archive's own pages stay bounded as the archive grows: indexes of months, outlets and tags,
and lists of at most PAGE_SIZE stories that together hold every story exactly once.

Stories are made in memory (no cleaning, no files), so thousands cost a fraction of a second.
"""

from __future__ import annotations

import posixpath
import re

import frontmatter

from archive_crawl import crawl
from archivist.generate import archive_pages as ap
from archivist.generate.archive_pages import INDEX_PAGE_SIZE, PAGE_SIZE, archive_pages
from archivist.generate.paths import assign_paths
from archivist.model import Capture, Cleaned, Story
from rendering import render

_PAGER = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def story(i: int, *, date: str | None = "2020-05-01", outlet: str | None = "Harbor Daily",
          tags: tuple[str, ...] = ()) -> Story:
    title = f"Story number {i} about the harbor bridge and the council vote on its repair"
    return Story(Capture(f"sources/s{i:06d}.txt", f"{i:064x}", 100), title, Cleaned(),
                 date=date, outlet=outlet, tags=list(tags))


def synthetic(n: int) -> list[Story]:
    """An archive that grows the way a real one does: new months, outlets and tags as it grows,
    and a few outlets and tags that every year adds to."""
    out = []
    for i in range(n):
        month = i % max(1, n // 150)  # about 150 stories a month
        date = None if i % 53 == 0 else f"{2000 + month // 12}-{month % 12 + 1:02d}-{i % 28 + 1:02d}"
        outlet = f"Outlet {i % max(1, n // 12)}" if i % 3 else "The Big Daily"
        tags = ("Everyone", f"Person {i % max(1, n // 4)}", f"Place {(i * 7) % max(1, n // 3)}")
        out.append(story(i, date=date, outlet=outlet if i % 41 else None, tags=tags))
    return out


def _pages(stories: list[Story]) -> dict[str, str]:
    return archive_pages(stories, assign_paths(stories), "Archive")


def _story_lines(text: str) -> list[str]:
    return [line for line in frontmatter.loads(text).content.splitlines()
            if "](" in line and "stories/" in line]


def _links(page: str, text: str) -> dict[str, str]:
    """The pager's links on a page, by label, resolved to the page they open."""
    return {label: posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            for line in text.splitlines() if "Page " in line and " of " in line
            for label, target in _PAGER.findall(line)}


def test_a_month_of_450_stories_is_three_pages_linked_in_order() -> None:
    stories = [story(i, date=f"2020-05-{i % 28 + 1:02d}") for i in range(450)]
    pages = _pages(stories)
    month = ["timeline/2020-05.md", "timeline/2020-05/2.md", "timeline/2020-05/3.md"]
    assert [p for p in pages if p.startswith("timeline/")] == month
    assert [len(_story_lines(pages[p])) for p in month] == [200, 200, 50]
    first, second, third = (_links(p, pages[p]) for p in month)
    assert first == {"Next ›": month[1], "Last »": month[2]}
    assert second == {"‹ Previous": month[0], "Next ›": month[2]}
    assert third == {"« First": month[0], "‹ Previous": month[1]}
    assert "Page 2 of 3" in pages[month[1]]
    assert frontmatter.loads(pages[month[2]])["title"] == "May 2020 (page 3 of 3)"
    # Newest first across the pages, not just within each.
    listed = [line.split(" · ")[0] for p in month for line in _story_lines(pages[p])]
    days = [int(day.removeprefix("- ").split()[0]) for day in listed]
    assert days == sorted(days, reverse=True)
    timeline = pages["timeline.md"]
    assert "- [May 2020](timeline/2020-05.md) · 450 stories" in timeline
    assert "stories/" not in timeline


def test_every_story_is_listed_exactly_once_in_its_month_outlet_and_tag_pages() -> None:
    stories = synthetic(3000)
    paths = assign_paths(stories)
    pages = archive_pages(stories, paths, "Archive")
    every = dict.fromkeys(paths.values(), 1)
    assert crawl(pages.get, "timeline.md", ("timeline",)).stories == every
    outlets = crawl(pages.get, "outlets.md", ("outlets", "outlet"))
    assert outlets.stories == every
    assert len([p for p in outlets.pages if p.startswith("outlets")]) == 1  # 251 outlets: one page
    tags = crawl(pages.get, "tags.md", ("tags",))
    assert len(tags.pages) == -(-len({t for s in stories for t in s.tags}) // INDEX_PAGE_SIZE) > 1
    for tag in ("Everyone", "Person 3", "Place 12"):
        holding = {paths[s.capture.path] for s in stories if tag in s.tags}
        first = next(p for p, text in pages.items()
                     if p.startswith("tag/") and frontmatter.loads(text).get("tag") == tag)
        assert crawl(pages.get, first, ("tag",)).stories == dict.fromkeys(holding, 1), tag
    for path, text in pages.items():
        assert len(_story_lines(text)) <= PAGE_SIZE, path


def _largest(n: int) -> tuple[int, int, str]:
    """The largest archive page's bytes, the longest story line, and that page's path."""
    pages = _pages(synthetic(n))
    path = max(pages, key=lambda p: len(pages[p].encode()))
    line = max(len(line.encode()) for text in pages.values() for line in _story_lines(text))
    return len(pages[path].encode()), line, path


def test_no_archive_page_grows_with_the_archive() -> None:
    small, _, _ = _largest(100)
    large, line, path = _largest(2000)
    # A full list page is PAGE_SIZE lines plus a few lines of heading and pager; the index
    # pages (months, or INDEX_PAGE_SIZE short lines) are smaller still.
    assert large <= PAGE_SIZE * line + 2048, path
    larger, _, _ = _largest(6000)
    assert larger <= large * 1.05  # the size a full page has, whatever the archive holds
    assert small < large  # lists at 100 stories are not full yet: the bound is not trivial


def test_slugs_are_ascii_unique_and_pages_never_collide() -> None:
    names = ["Zürich Post", "zurich post", "Channel", "Channel 2", "!!!", "<script>x</script>"]
    stories = [story(i, outlet=names[i % len(names)], tags=(names[(i + 1) % len(names)],))
               for i in range(len(names) * (PAGE_SIZE + 1))]
    pages = _pages(stories)
    outlet_pages = sorted(p for p in pages if p.startswith("outlet/") and p.count("/") == 1)
    assert len(outlet_pages) == len(names)
    assert all(p.isascii() for p in pages)
    # Page 2 of "Channel" and the first page of "Channel 2" are different files.
    assert {"outlet/channel.md", "outlet/channel/2.md", "outlet/channel-2.md"} <= set(pages)
    assert "outlet/zurich-post.md" in pages and "outlet/zurich-post-2.md" in pages
    # A name is text on every page: nothing becomes HTML.
    for path, text in pages.items():
        html = render(frontmatter.loads(text).content)
        assert set(html.tags) <= {"h1", "p", "ul", "li", "a", "em", "h2"}, path


def test_an_empty_archive_has_its_index_pages_and_nothing_else() -> None:
    pages = _pages([])
    assert set(pages) == {"index.md", "timeline.md", "outlets.md", "tags.md"}
    assert "No stories yet." in pages["timeline.md"] and "No tags yet." in pages["tags.md"]


def test_stories_without_a_date_or_outlet_have_their_own_pages() -> None:
    stories = [story(1, date=None, outlet=None), story(2, outlet="Unknown Outlet")]
    pages = _pages(stories)
    assert "timeline/undated.md" in pages and "by title" in pages["timeline/undated.md"]
    assert "outlet/unknown-outlet.md" in pages  # no outlet
    assert "outlet/unknown-outlet-2.md" in pages  # an outlet that happens to be called that


def test_index_pages_paginate_past_index_page_size(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ap, "INDEX_PAGE_SIZE", 2)
    stories = [story(i, outlet=f"Outlet {i}") for i in range(5)]
    pages = _pages(stories)
    assert {"outlets.md", "outlets/2.md", "outlets/3.md"} <= set(pages)
    assert crawl(pages.get, "outlets.md", ("outlets", "outlet")).stories == \
        dict.fromkeys(assign_paths(stories).values(), 1)


def test_tag_chips_on_a_story_link_to_the_first_page_of_their_tag() -> None:
    from archivist.generate.story_page import tag_chips

    name = "<b>Smith & Sons</b>"
    stories = [story(i, tags=(name, "Harbor Board")) for i in range(PAGE_SIZE + 1)]
    pages = _pages(stories)
    tags = ap.tag_paths(stories)
    page = assign_paths(stories)[stories[0].capture.path]
    md = "\n".join(tag_chips(stories[0], page, tags))
    reader = render(md)
    assert reader.tags == ["p", "a", "a"] and ("class", "md-tags") in reader.attrs
    hrefs = [v for k, v in reader.attrs if k == "href"]
    assert [posixpath.normpath(posixpath.join(posixpath.dirname(page), h)) for h in hrefs] == \
        [tags[name], tags["Harbor Board"]]
    assert all(target in pages for target in (tags[name], tags["Harbor Board"]))
    assert "".join(reader.text).split() == ["<b>Smith", "&", "Sons</b>", "Harbor", "Board"]
