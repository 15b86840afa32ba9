"""The archive's own pages: home, timeline, outlets and the tags index."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from slugify import slugify

from archivist.generate.escape import escape_inline
from archivist.generate.frontmatter_io import render
from archivist.generate.story_page import human_date
from archivist.model import Story

LATEST_ON_HOME = 20
TAGS_DIR = "tag"  # one page per tag: tag/<slug>.md (not tags/, which is the index's own URL)


def _count(n: int, noun: str, plural: str) -> str:
    return f"{n} {noun if n == 1 else plural}"


def _sort_newest(stories: list[Story]) -> list[Story]:
    dated = sorted((s for s in stories if s.date), key=lambda s: (s.date, s.title), reverse=True)
    undated = sorted((s for s in stories if not s.date), key=lambda s: s.title)
    return dated + undated


def _item(story: Story, paths: dict[str, str], *, outlet: bool = True) -> str:
    link = f"[{escape_inline(story.title)}]({paths[story.capture.path]})"
    parts = [human_date(story.date), link]
    if outlet and story.outlet:
        parts.append(f"*{escape_inline(story.outlet)}*")
    return "- " + " · ".join(parts)


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
    body += [_item(s, paths) for s in _sort_newest(stories)[:LATEST_ON_HOME]] or ["No stories yet."]
    return render({"title": "Home", "hide": ["navigation"]}, "\n".join(body) + "\n")


def timeline_page(stories: list[Story], paths: dict[str, str]) -> str:
    by_month: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        by_month[story.date[:7] if story.date else ""].append(story)
    body = ["# Timeline", ""]
    year = None
    for month in sorted((m for m in by_month if m), reverse=True):
        if month[:4] != year:
            year = month[:4]
            body += [f"## {year}", ""]
        body += [f"### {date.fromisoformat(month + '-01'):%B %Y}", ""]
        body += [_item(s, paths) for s in _sort_newest(by_month[month])] + [""]
    if by_month.get(""):
        body += ["## Undated", ""]
        body += [_item(s, paths) for s in _sort_newest(by_month[""])] + [""]
    if not stories:
        body.append("No stories yet.")
    return render({"title": "Timeline"}, "\n".join(body) + "\n")


def outlets_page(stories: list[Story], paths: dict[str, str]) -> str:
    by_outlet: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        by_outlet[story.outlet or ""].append(story)
    body = ["# Outlets", ""]
    for outlet in sorted((o for o in by_outlet if o), key=str.casefold):
        count = _count(len(by_outlet[outlet]), "story", "stories")
        body += [f"## {escape_inline(outlet)}", "", count, ""]
        body += [_item(s, paths, outlet=False) for s in _sort_newest(by_outlet[outlet])] + [""]
    if by_outlet.get(""):
        body += ["## Unknown outlet", ""]
        body += [_item(s, paths, outlet=False) for s in _sort_newest(by_outlet[""])] + [""]
    if not stories:
        body.append("No stories yet.")
    return render({"title": "Outlets"}, "\n".join(body) + "\n")


def tag_paths(stories: list[Story]) -> dict[str, str]:
    """Each tag's page path, unique and stable: slugs taken in tag order, clashes numbered."""
    tags = sorted({t for s in stories for t in s.tags}, key=lambda t: (t.casefold(), t))
    out: dict[str, str] = {}
    taken: set[str] = set()
    for tag in tags:
        base = slugify(tag, max_length=80) or "tag"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out[tag] = f"{TAGS_DIR}/{slug}.md"
    return out


def tags_page(stories: list[Story]) -> str:
    """The index of tags: each with its number of stories, linking to the tag's page."""
    counts: dict[str, int] = defaultdict(int)
    for story in stories:
        for tag in set(story.tags):
            counts[tag] += 1
    body = ["# Tags", "", "People, organisations and places the stories name.", ""]
    paths = tag_paths(stories)
    body += [f"- [{escape_inline(tag)}]({path}) · {_count(counts[tag], 'story', 'stories')}"
             for tag, path in paths.items()] or ["No tags yet."]
    return render({"title": "Tags"}, "\n".join(body) + "\n")


def tag_pages(stories: list[Story]) -> dict[str, str]:
    """One page per tag. Material's tags plugin lists the tag's stories there (and links each
    story's tag to it), so the listing and the story pages' tags stay in step."""
    counts: dict[str, int] = defaultdict(int)
    for story in stories:
        for tag in set(story.tags):
            counts[tag] += 1
    out: dict[str, str] = {}
    for tag, path in tag_paths(stories).items():
        # JSON is YAML; escaping ">" keeps a tag from closing the HTML comment.
        include = json.dumps([tag]).replace(">", "\\u003e")
        body = [f"# {escape_inline(tag)}", "", _count(counts[tag], "story", "stories") +
                " name " + escape_inline(tag) + ".", "",
                f"<!-- material/tags {{ include: {include} }} -->", ""]
        out[path] = render({"title": tag}, "\n".join(body))
    return out
