"""One story's Markdown page: front matter for machines, escaped text for readers."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

from archivist.generate.escape import escape_block, escape_inline
from archivist.generate.frontmatter_io import render
from archivist.generate.paths import capture_copy_path, relative_link
from archivist.link.archive import LinkedArchive, PageLinks
from archivist.model import Story


def safe_url(url: str | None) -> str | None:
    """An http(s) URL made safe to put in a Markdown link, or None for any other scheme."""
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return None
    # Quotes and parentheses are encoded too: in a Markdown link they would start a title.
    return quote(url.strip(), safe=":/?#@!$&*+,;=%~-._")


_PAGEFIND_OUTLET = 'data-pagefind-meta="outlet" data-pagefind-filter="outlet"'


@functools.lru_cache(maxsize=1 << 14)  # a few thousand days, on many pages each
def human_date(iso: str | None) -> str:
    if not iso:
        return "undated"
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def front_matter(story: Story, links: PageLinks | None = None) -> dict[str, Any]:
    """Everything known about the story, in a stable key order."""
    c = story.cleaned
    meta: dict[str, Any] = {"title": story.title}
    if story.description:
        meta["description"] = story.description
    if story.date:
        meta["date"] = story.date
    meta["outlet"] = story.outlet
    meta["authors"] = list(story.authors)
    if story.url:
        meta["url"] = story.url
    if c.language:
        meta["language"] = c.language
    meta["tags"] = list(story.tags)
    if c.images:
        meta["image"] = {"caption": c.images[0].caption, "credit": c.images[0].credit}
    if len(c.images) > 1:
        meta["images"] = [{"caption": i.caption, "credit": i.credit} for i in c.images]
    meta["related_titles"] = list(c.related_titles)
    if c.update_note:
        meta["update_note"] = c.update_note
    if story.captured_at:
        meta["captured_at"] = story.captured_at
    meta["capture"] = {
        "path": story.capture.path,
        "sha256": story.capture.sha256,
        "bytes": story.capture.bytes,
    }
    if links is not None:
        meta.update(_link_meta(links))
    return meta


def _link_meta(links: PageLinks) -> dict[str, Any]:
    """Front matter for the links: related stories (path and score), backlinks, versions."""
    meta: dict[str, Any] = {
        "related": [{"path": r.path, "title": r.title, "score": r.score} for r in links.related],
    }
    if links.linked_from:
        meta["linked_from"] = [r.path for r in links.linked_from]
    if len(links.versions) > 1:
        meta["versions"] = [
            {k: v for k, v in (("title", v.title), ("date", v.date), ("captured_at", v.captured_at),
                               ("capture", v.capture.path), ("sha256", v.capture.sha256)) if v}
            for v in links.versions
        ]
    return meta


def _link_sections(page_path: str, links: PageLinks) -> list[str]:
    """Related coverage (what the capture names), related stories, backlinks and versions."""
    out: list[str] = []
    if links.named:
        out += ["## Related coverage", ""]
        for ref in links.named:
            if ref.path:
                out.append(f"- [{escape_inline(ref.text)}]({relative_link(page_path, ref.path)})")
            else:
                out.append(f"- {escape_block(ref.text)}")
        out.append("")
    if links.related:
        out += ["## Related stories", ""]
        out += [f"- [{escape_inline(r.title)}]({relative_link(page_path, r.path)})"
                for r in links.related]
        out.append("")
    if links.linked_from:
        out += ["## Linked from", ""]
        out += [f"- [{escape_inline(r.title)}]({relative_link(page_path, r.path)})"
                for r in links.linked_from]
        out.append("")
    if len(links.versions) > 1:
        out += ["## Versions", "", f"{len(links.versions)} captures of this story; the newest "
                "is shown above.", ""]
        for n, version in enumerate(links.versions):
            when = version.captured_at or human_date(version.date)
            label = "shown" if n == 0 else "earlier"
            copy = relative_link(page_path, capture_copy_path(version))
            out.append(f"- {escape_inline(when)} · [{escape_inline(version.title)}]({copy}) · "
                       f"`{version.capture.path.replace('`', '')}` ({label})")
        out.append("")
    return out


def _meta_line(story: Story) -> str:
    # Pagefind reads outlet and date for its search results from these attributes (attr_list).
    outlet, when = "Unknown outlet", "undated"
    if story.outlet:
        outlet = f"*{escape_inline(story.outlet)}*{{ {_PAGEFIND_OUTLET} }}"
    if story.date:
        when = f'*{human_date(story.date)}*{{ data-pagefind-meta="date:{story.date}" ' \
               f'data-pagefind-sort="date:{story.date}" }}'
    parts = [outlet, when]
    if story.authors:
        parts.append("By " + escape_inline(", ".join(story.authors)))
    url = safe_url(story.url)
    if url:
        parts.append(f"[Original article]({url})")
    return " · ".join(parts)


def tag_chips(story: Story, page_path: str, tag_pages: Mapping[str, str]) -> list[str]:
    """The story's tags as links to their pages, styled as Material's tag chips.

    Written into the page itself rather than left to Material's tags plugin: the plugin cost
    40 s per 1,000 pages with per-tag listings (13 s without), and a builder that runs no
    plugins or hooks still shows these.
    """
    chips = [f"[{escape_inline(tag)}]({relative_link(page_path, tag_pages[tag])}){{ .md-tag }}"
             for tag in story.tags if tag in tag_pages]
    return [" ".join(chips), "{ .md-tags }", ""] if chips else []


def story_markdown(story: Story, page_path: str, archive: LinkedArchive,
                   tag_pages: Mapping[str, str] | None = None) -> str:
    """The whole page for ``story`` living at ``page_path`` (relative to ``docs/``)."""
    c = story.cleaned
    out = tag_chips(story, page_path, tag_pages or {})
    out += [f"# {escape_inline(story.title)}", ""]
    if story.description:
        out += [escape_block(story.description), "{ .archivist-dek }", ""]
    out += [_meta_line(story), "{ .archivist-meta }", ""]
    if c.update_note:
        out += [escape_block(c.update_note), "{ .archivist-update }", ""]
    for image in c.images:
        text = escape_block(image.caption)
        if image.credit:
            text += f" *{escape_inline(image.credit)}*"
        out += [text, "{ .archivist-image }", ""]
    if c.markdown:  # HTML captures keep headings, lists and quotes; already escaped by the reader
        out += [c.markdown.strip(), ""]
    else:
        for paragraph in c.paragraphs:
            out += [escape_block(paragraph), ""]
    links = archive.links(page_path)
    out += _link_sections(page_path, links)
    capture_link = relative_link(page_path, capture_copy_path(story))
    out += [
        "---",
        "",
        f"[Raw capture]({capture_link}) · `{story.capture.path.replace('`', '')}` · "
        f"sha256 `{story.capture.sha256[:16]}…`",
        "{ .archivist-capture }",
        "",
    ]
    return render(front_matter(story, links), "\n".join(out))
