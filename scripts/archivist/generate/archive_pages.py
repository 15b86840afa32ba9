"""The archive's own pages: home, timeline, outlets and the tags index."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from archivist.generate.escape import escape_inline
from archivist.generate.frontmatter_io import render
from archivist.generate.story_page import human_date
from archivist.model import Story

LATEST_ON_HOME = 20


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


def tags_page() -> str:
    body = "# Tags\n\nPeople, organisations and places the stories name.\n\n"
    body += "<!-- material/tags -->\n"  # Material's tags plugin puts its index here
    return render({"title": "Tags"}, body)
