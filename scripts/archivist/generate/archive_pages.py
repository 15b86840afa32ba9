"""The archive's own pages: home, timeline, outlets and tags, each a bounded index plus
paginated lists.

An archive grows every day, so no page may list the whole of it: a page that did would grow
without bound, and MkDocs renders every page, so the site would grow faster than the archive.
The indexes hold one line per month, outlet or tag (paginated alphabetically when there are
many outlets or tags); the stories themselves are listed on month, outlet and tag pages of at
most :data:`PAGE_SIZE` stories each, linked first/previous/next/last. Every story appears
exactly once in its month's pages and once in its outlet's pages.

Page ``n`` (from 2) of a list whose first page is ``<dir>/<name>.md`` is ``<dir>/<name>/<n>.md``:
slugs never contain ``/``, so a continuation page can never take the name of another outlet or
tag (``channel-4`` stays the outlet "Channel 4", never page 4 of "Channel").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import TypeVar

from slugify import slugify

from archivist.generate.escape import escape_inline
from archivist.generate.frontmatter_io import render
from archivist.generate.paths import relative_link
from archivist.generate.story_page import human_date
from archivist.model import Story

LATEST_ON_HOME = 20
PAGE_SIZE = 200  # stories on one month, outlet or tag page
INDEX_PAGE_SIZE = 500  # outlets or tags on one page of their index
TIMELINE_DIR = "timeline"  # timeline/YYYY-MM.md, timeline/undated.md
OUTLETS_DIR = "outlet"  # outlet/<slug>.md (not outlets/, which is the index's own URL)
TAGS_DIR = "tag"  # one page per tag: tag/<slug>.md (not tags/, which is the index's own URL)
UNDATED = "undated"
UNKNOWN_OUTLET = "unknown-outlet"  # the page of stories without an outlet; no outlet takes it
# Folders holding only generated archive pages: an untouched page there that this run did not
# produce is gone with its month, outlet or tag (outlets/ and tags/ hold the index's page 2+).
ARCHIVE_DIRS = (TIMELINE_DIR, OUTLETS_DIR, TAGS_DIR, "outlets", "tags")

T = TypeVar("T")


def _count(n: int, noun: str, plural: str) -> str:
    return f"{n} {noun if n == 1 else plural}"


def _sort_newest(stories: Iterable[Story]) -> list[Story]:
    """Newest first; the capture path breaks ties, so page boundaries do not move between runs."""
    dated = sorted((s for s in stories if s.date),
                   key=lambda s: (s.date or "", s.title, s.capture.path), reverse=True)
    undated = sorted((s for s in stories if not s.date), key=lambda s: (s.title, s.capture.path))
    return dated + undated


class _Items:
    """Each story's list line, made once: a story is listed on several pages (its month, its
    outlet, each of its tags), and escaping and dating it again for each was most of the time
    at 100,000 stories."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths
        self.parts: dict[str, tuple[str, str, str]] = {}

    def __call__(self, story: Story, page: str, *, outlet: bool = True) -> str:
        key = story.capture.path
        if key not in self.parts:
            self.parts[key] = (human_date(story.date), escape_inline(story.title),
                               f" · *{escape_inline(story.outlet)}*" if story.outlet else "")
        when, title, source = self.parts[key]
        # Up to docs/ and down again: the same link relpath gives, without its cost.
        link = "../" * page.count("/") + self.paths[key]
        return f"- {when} · [{title}]({link})" + (source if outlet else "")


def page_path(first: str, n: int) -> str:
    """Page ``n`` (1-based) of the list whose first page is ``first`` (``x.md``, ``x/2.md``...)."""
    return first if n == 1 else f"{first.removesuffix('.md')}/{n}.md"


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Items cut into pages of at most ``size``; an empty list is one empty page."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def _pager(first: str, n: int, total: int) -> list[str]:
    """Links to the first, previous, next and last pages: a fixed size, however long the list."""
    if total == 1:
        return []
    here = page_path(first, n)

    def link(label: str, k: int) -> str:
        return f"[{label}]({relative_link(here, page_path(first, k))})"

    parts = []
    if n > 1:
        parts += [link("« First", 1)] if n > 2 else []
        parts.append(link("‹ Previous", n - 1))
    parts.append(f"Page {n} of {total}")
    if n < total:
        parts.append(link("Next ›", n + 1))
        parts += [link("Last »", total)] if n < total - 1 else []
    return [" · ".join(parts), ""]


def _paginated(first: str, title: str, items: Sequence[T], size: int,
               intro: Callable[[str], list[str]], line: Callable[[T, str], str],
               meta: dict[str, str] | None = None) -> dict[str, str]:
    """A list cut into pages: each has the title, the intro, its items and a pager."""
    pages = chunks(items, size)
    out: dict[str, str] = {}
    for n, chunk in enumerate(pages, 1):
        path = page_path(first, n)
        body = [f"# {escape_inline(title)}", "", *intro(path), *_pager(first, n, len(pages))]
        body += [line(item, path) for item in chunk]
        if len(pages) > 1:
            body += ["", *_pager(first, n, len(pages))]
        page_meta = {"title": title if n == 1 else f"{title} (page {n} of {len(pages)})"}
        out[path] = render({**page_meta, **(meta or {})} if n == 1 else page_meta,
                           "\n".join(body).rstrip("\n") + "\n")
    return out


def _up(path: str, index: str, label: str) -> list[str]:
    return [f"Back to [{label}]({relative_link(path, index)}).", ""]


def home_page(stories: list[Story], paths: dict[str, str], site_name: str) -> str:
    outlets = {s.outlet for s in stories if s.outlet}
    dates = sorted(s.date for s in stories if s.date)
    span = f", from {human_date(dates[0])} to {human_date(dates[-1])}" if dates else ""
    body = [
        f"# {escape_inline(site_name)}",
        "",
        f"{_count(len(stories), 'story', 'stories')} from "
        f"{_count(len(outlets), 'outlet', 'outlets')}{span}.",
        "",
        "Browse by [timeline](timeline.md), [outlet](outlets.md) or [tag](tags.md), "
        "or use the search box.",
        "",
        "## Latest stories",
        "",
    ]
    latest = _sort_newest(stories)[:LATEST_ON_HOME]
    item = _Items(paths)
    body += [item(s, "index.md") for s in latest] or ["No stories yet."]
    return render({"title": "Home", "hide": ["navigation"]}, "\n".join(body) + "\n")


def _month_title(month: str) -> str:
    return "Undated" if month == UNDATED else f"{date.fromisoformat(month + '-01'):%B %Y}"


def _order(month: str) -> str:
    return "by title" if month == UNDATED else "newest first"


def _by_month(stories: Iterable[Story]) -> dict[str, list[Story]]:
    """Stories by ``YYYY-MM`` (or :data:`UNDATED`), newest month first, newest story first."""
    groups: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        groups[story.date[:7] if story.date else UNDATED].append(story)
    order = sorted((m for m in groups if m != UNDATED), reverse=True)
    order += [UNDATED] if UNDATED in groups else []
    return {m: _sort_newest(groups[m]) for m in order}


def timeline_pages(stories: list[Story], item: _Items,
                   lists: Collection[str] | None = None) -> dict[str, str]:
    """``timeline.md`` (years and months with their counts) and each month's paginated list
    (only those whose first page is in ``lists``, when given).

    The index grows by one line a month, however many stories a month holds.
    """
    months = _by_month(stories)
    years: dict[str, list[str]] = defaultdict(list)
    for month in months:
        years[month[:4] if month != UNDATED else UNDATED].append(month)
    body = ["# Timeline", ""]
    for year, its_months in years.items():
        total = sum(len(months[m]) for m in its_months)
        body += [f"## {_month_title(year) if year == UNDATED else year}", "",
                 _count(total, "story", "stories") + ".", ""]
        body += [f"- [{_month_title(m)}]({TIMELINE_DIR}/{m}.md) · "
                 f"{_count(len(months[m]), 'story', 'stories')}" for m in its_months] + [""]
    if not stories:
        body.append("No stories yet.")
    out = {"timeline.md": render({"title": "Timeline"}, "\n".join(body).rstrip("\n") + "\n")}
    for month, items in months.items():
        if lists is not None and f"{TIMELINE_DIR}/{month}.md" not in lists:
            continue

        def intro(path: str, n: int = len(items), order: str = _order(month)) -> list[str]:
            return [f"{_count(n, 'story', 'stories')}, {order}.", "",
                    *_up(path, "timeline.md", "the timeline")]

        out.update(_paginated(f"{TIMELINE_DIR}/{month}.md", _month_title(month), items, PAGE_SIZE,
                              intro, item))
    return out


def _slug_paths(names: Iterable[str], folder: str, reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each name's page path: an ASCII slug, unique, stable (names taken in alphabetical order,
    clashes numbered, so a name keeps its page unless a clashing name sorting before it arrives)."""
    out: dict[str, str] = {}
    taken = set(reserved)
    for name in sorted(set(names), key=lambda t: (t.casefold(), t)):
        base = slugify(name, max_length=80) or folder
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out[name] = f"{folder}/{slug}.md"
    return out


def _index(first: str, title: str, intro: list[str], entries: list[tuple[str, str, int]],
           empty: str) -> dict[str, str]:
    """An alphabetical index of (name, page, count), paginated when it holds very many names."""
    def line(entry: tuple[str, str, int], path: str) -> str:
        name, target, count = entry
        return (f"- [{escape_inline(name)}]({relative_link(path, target)}) · "
                f"{_count(count, 'story', 'stories')}")

    if not entries:
        return {first: render({"title": title}, "\n".join([f"# {title}", "", *intro, empty]) + "\n")}
    return _paginated(first, title, entries, INDEX_PAGE_SIZE, lambda _: intro, line)


def outlet_paths(stories: list[Story]) -> dict[str, str]:
    """Each outlet's page path; stories without an outlet go to :data:`UNKNOWN_OUTLET`."""
    return _slug_paths((s.outlet for s in stories if s.outlet), OUTLETS_DIR, [UNKNOWN_OUTLET])


def outlets_pages(stories: list[Story], item: _Items, lists: Collection[str] | None = None) -> dict[str, str]:
    """``outlets.md`` (each outlet with its count) and each outlet's paginated list (only those
    whose first page is in ``lists``, when given)."""
    groups: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        groups[story.outlet or ""].append(story)
    pages = outlet_paths(stories)
    if "" in groups:
        pages[""] = f"{OUTLETS_DIR}/{UNKNOWN_OUTLET}.md"
    entries = [(name or "Unknown outlet", page, len(groups[name])) for name, page in pages.items()]
    out = _index("outlets.md", "Outlets", [], entries, "No stories yet.")
    for name, first in pages.items():
        if lists is not None and first not in lists:
            continue
        items = _sort_newest(groups[name])

        def intro(path: str, n: int = len(items)) -> list[str]:
            return [f"{_count(n, 'story', 'stories')}, newest first.", "",
                    *_up(path, "outlets.md", "all outlets")]

        out.update(_paginated(first, name or "Unknown outlet", items, PAGE_SIZE, intro,
                              lambda s, path: item(s, path, outlet=False)))
    return out


def tag_paths(stories: list[Story]) -> dict[str, str]:
    """Each tag's page path, unique and stable: slugs taken in tag order, clashes numbered."""
    return _slug_paths((t for s in stories for t in s.tags), TAGS_DIR)


def tags_pages(stories: list[Story], item: _Items, lists: Collection[str] | None = None) -> dict[str, str]:
    """``tags.md`` (each tag with its count) and each tag's paginated list of stories (only
    those whose first page is in ``lists``, when given).

    The first page of a tag carries ``tag:`` in its front matter: the MkDocs hook links the tag
    chips on story pages to it (see :mod:`archivist.mkdocs_hooks`).
    """
    groups: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for tag in dict.fromkeys(story.tags):
            groups[tag].append(story)
    pages = tag_paths(stories)
    entries = [(tag, page, len(groups[tag])) for tag, page in pages.items()]
    intro = ["People, organisations and places the stories name.", ""]
    out = _index("tags.md", "Tags", intro, entries, "No tags yet.")
    for tag, first in pages.items():
        if lists is not None and first not in lists:
            continue
        items = _sort_newest(groups[tag])

        def intro_of(path: str, n: int = len(items), tag: str = tag) -> list[str]:
            return [f"{_count(n, 'story', 'stories')} name {escape_inline(tag)}, newest first.", "",
                    *_up(path, "tags.md", "all tags")]

        out.update(_paginated(first, tag, items, PAGE_SIZE, intro_of,
                              item, meta={"tag": tag}))
    return out


def archive_pages(stories: list[Story], paths: dict[str, str], site_name: str,
                  lists: Collection[str] | None = None) -> dict[str, str]:
    """Every archive page, by its path under ``docs/``: home, timeline, outlets and tags.

    With ``lists`` (first pages of month, outlet and tag lists), the indexes and only those
    lists: a re-run remakes just the lists whose stories changed.
    """
    item = _Items(paths)
    return {
        "index.md": home_page(stories, paths, site_name),
        **timeline_pages(stories, item, lists),
        **outlets_pages(stories, item, lists),
        **tags_pages(stories, item, lists),
    }
