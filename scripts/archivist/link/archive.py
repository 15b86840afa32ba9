"""The link stage of ingest: from all cleaned stories to everything the page generators need.

One call, :func:`link_archive`, groups versions of a story into one page, gives pages their
paths, resolves the titles and URLs captures name, ranks related stories, collects backlinks and
chooses tags. It depends only on the stories, so the same captures always give the same links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from archivist.generate.paths import assign_paths
from archivist.link.entities import entity_tags
from archivist.link.related import (
    LinkDoc,
    RelatedParams,
    candidate_matrix,
    day_numbers,
    features,
    rank,
)
from archivist.link.titles import TitleIndex, urls_in
from archivist.link.versions import version_groups
from archivist.model import Story

LEAD_PARAGRAPHS = 3


@dataclass(frozen=True)
class PageRef:
    """A link to another page of the archive."""

    path: str
    title: str
    score: float | None = None  # for related stories: the ranking score, 3 decimals


@dataclass(frozen=True)
class NamedRef:
    """A title or URL the capture names, and the page it resolved to (None: not archived)."""

    text: str
    path: str | None


@dataclass
class PageLinks:
    named: list[NamedRef] = field(default_factory=list)
    related: list[PageRef] = field(default_factory=list)
    linked_from: list[PageRef] = field(default_factory=list)
    versions: list[Story] = field(default_factory=list)  # every capture of the story, newest first


@dataclass
class LinkedArchive:
    stories: list[Story]  # one per page: the newest version of each story, in capture-path order
    paths: dict[str, str]  # capture path of every version -> its page
    pages: dict[str, PageLinks]  # page path -> its links

    def links(self, page: str) -> PageLinks:
        return self.pages.get(page) or PageLinks()

    def versions(self, story: Story) -> list[Story]:
        """All captures shown on ``story``'s page (at least the story itself)."""
        return self.links(self.paths[story.capture.path]).versions or [story]


def link_doc(story: Story) -> LinkDoc:
    body = ([story.description] if story.description else []) + story.cleaned.paragraphs
    return LinkDoc(title=story.title, date=story.date, lead="\n".join(body[:LEAD_PARAGRAPHS]),
                   rest="\n".join(body[LEAD_PARAGRAPHS:]))


def _named(story: Story, index: TitleIndex, own: str) -> list[NamedRef]:
    """Titles the capture names, then archived URLs it links to, each once."""
    out: list[NamedRef] = []
    seen: set[str] = set()
    for title in story.cleaned.related_titles:
        target = index.resolve(title)
        if title not in seen:
            seen.add(title)
            out.append(NamedRef(title, target if target != own else None))
    texts = [*story.cleaned.related_titles, story.description or "", *story.cleaned.paragraphs]
    for url in (u for text in texts for u in urls_in(text)):
        target = index.resolve_url(url)
        if target and target != own and url not in seen:
            seen.add(url)
            out.append(NamedRef(url, target))
    return out


def link_archive(stories: Sequence[Story], params: RelatedParams | None = None) -> LinkedArchive:
    """Versions, paths, explicit links, related stories, backlinks and tags for every story."""
    params = params or RelatedParams()
    ordered = sorted(stories, key=lambda s: s.capture.path)
    docs = [link_doc(s) for s in ordered]
    candidates = candidate_matrix(features(docs, params), day_numbers(docs), params) \
        if len(ordered) > 1 else None
    groups = version_groups(ordered, candidates)
    pages_stories = [ordered[g[0]] for g in groups]
    page_paths = assign_paths(pages_stories)
    paths: dict[str, str] = {}
    for group in groups:
        page = page_paths[ordered[group[0]].capture.path]
        for i in group:
            paths[ordered[i].capture.path] = page
    pages = {page_paths[s.capture.path]: PageLinks() for s in pages_stories}
    title_of = {page_paths[s.capture.path]: s.title for s in pages_stories}
    for group in groups:
        if len(group) > 1:
            pages[paths[ordered[group[0]].capture.path]].versions = [ordered[i] for i in group]

    if candidates is not None:
        heads = [g[0] for g in groups]
        ranked = rank(candidates[heads][:, heads].tocsr(), params)
        for story, related in zip(pages_stories, ranked, strict=True):
            page = page_paths[story.capture.path]
            pages[page].related = [
                PageRef(page_paths[pages_stories[j].capture.path], pages_stories[j].title, score)
                for j, score in related
            ]

    index = TitleIndex(ordered, paths)
    backlinks: dict[str, set[str]] = {}
    for story in pages_stories:
        page = page_paths[story.capture.path]
        pages[page].named = _named(story, index, page)
        for ref in pages[page].named:
            if ref.path:
                backlinks.setdefault(ref.path, set()).add(page)
    for target, sources in backlinks.items():
        pages[target].linked_from = [
            PageRef(p, title_of[p]) for p in sorted(sources, key=lambda p: (title_of[p], p))
        ]

    for story, tags in zip(pages_stories, entity_tags(pages_stories), strict=True):
        if not story.tags:  # tags a sidecar gives are the user's choice
            story.tags = tags
    return LinkedArchive(stories=pages_stories, paths=paths, pages=pages)
