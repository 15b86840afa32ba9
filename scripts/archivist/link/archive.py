"""The link stage of ingest: from all cleaned stories to everything the page generators need.

:func:`link_archive` groups versions of a story into one page, gives pages their paths, resolves
the titles and URLs captures name, ranks related stories, collects backlinks and chooses tags.
It depends only on the stories, so the same captures always give the same links.

It also returns the :class:`LinkModel` it fitted: the vocabulary, every story's feature row and
candidate list, and what each story contributes (:class:`StoryFacts`). :func:`update_links`
takes that model and the stories added and removed since, and updates it instead of starting
again: only new stories are compared with the others (see ``link/README.md`` for what that
costs in accuracy, and when ingest fits from scratch instead).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from archivist.generate.paths import assign_paths, story_folder
from archivist.link.entities import TagModel, mentions
from archivist.link.related import (
    CANDIDATES,
    DocTerms,
    LinkDoc,
    Ranking,
    RelatedParams,
    Vocabulary,
    day_number,
    doc_terms,
    rank_update,
    symmetric,
    top_candidates,
    update_top,
)
from archivist.link.titles import TitleIndex, named_key, title_key, url_key, urls_in
from archivist.link.versions import same_text, version_groups
from archivist.model import Capture, Cleaned, Story

LEAD_PARAGRAPHS = 3
# Fit the vocabulary again (a full link) once this share of the stories it was fitted on has
# been added or removed since: new words count only from a fit, and idf drifts as stories come.
REFIT_SHARE = 0.1


class PageRef(NamedTuple):
    """A link to another page of the archive."""

    path: str
    title: str
    score: float | None = None  # for related stories: the ranking score, 3 decimals


class NamedRef(NamedTuple):
    """A title or URL the capture names, and the page it resolved to (None: not archived)."""

    text: str
    path: str | None


@dataclass
class PageLinks:
    named: list[NamedRef] = field(default_factory=list)
    related: list[PageRef] = field(default_factory=list)
    linked_from: list[PageRef] = field(default_factory=list)
    versions: list[Story] = field(default_factory=list)  # every capture of the story, newest first


@dataclass(frozen=True)
class StoryFacts:
    """What linking needs from one cleaned story, computed once per story (where it is cleaned,
    in parallel, and cached with it) so that linking never reads a story's text again."""

    terms: DocTerms | None  # word counts of title, lead and rest (dropped once fitted)
    mentions: dict[str, int]  # names and how often (entities.mentions)
    title_key: str
    url_key: str | None
    named: tuple[tuple[str, str, str | None], ...]  # (title or URL as written, "url"/"title", key)
    urls: tuple[tuple[str, str], ...]  # (URL as written in the text, its key), archived or not


def link_doc(story: Story) -> LinkDoc:
    body = ([story.description] if story.description else []) + story.cleaned.paragraphs
    return LinkDoc(title=story.title, date=story.date, lead="\n".join(body[:LEAD_PARAGRAPHS]),
                   rest="\n".join(body[LEAD_PARAGRAPHS:]))


def story_facts(story: Story) -> StoryFacts:
    texts = [*story.cleaned.related_titles, story.description or "", *story.cleaned.paragraphs]
    urls = []
    for url in (u for text in texts for u in urls_in(text)):
        key = url_key(url)
        if key:
            urls.append((url, key))
    return StoryFacts(
        terms=doc_terms(link_doc(story)), mentions=dict(mentions(story)),
        title_key=title_key(story.title), url_key=url_key(story.url) if story.url else None,
        named=tuple((title, *named_key(title)) for title in story.cleaned.related_titles),
        urls=tuple(urls),
    )


# A story without its text: what pages of other stories and archive pages show of it (capture
# path, sha256, bytes, title, date, outlet, URL, captured_at, tags as its sidecar gave them).
Stub = tuple[str, str, int, str, str | None, str | None, str | None, str | None, tuple[str, ...]]
# What the link stage keeps of a story's facts: title key, URL key, named titles, URLs.
Named = tuple[str, str | None, tuple[tuple[str, str, str | None], ...], tuple[tuple[str, str], ...]]


def _stub(story: Story) -> Stub:
    c = story.capture
    return (c.path, c.sha256, c.bytes, story.title, story.date, story.outlet, story.url, story.captured_at,
            tuple(story.tags))


def _story(stub: Stub) -> Story:
    path, sha, size, title, date, outlet, url, captured_at, tags = stub
    return Story(Capture(path, sha, size), title, Cleaned(), date=date, outlet=outlet, url=url,
                 tags=list(tags), captured_at=captured_at)


def _named_of(facts: StoryFacts) -> Named:
    return (facts.title_key, facts.url_key, facts.named, facts.urls)


Loader = Callable[[Sequence[str]], Mapping[str, Story]]  # story keys -> whole stories
PagesReady = Callable[[list[Story], dict[str, str]], None]  # page stories (tags set), paths


@dataclass
class LinkModel:
    """Everything a link result was computed from, kept so that the next one can be updated.

    Rows are stories in capture-path order; ``keys`` name them (ingest uses each story's
    cleaning key, which changes whenever the story does).
    """

    params: RelatedParams
    keys: list[str]
    stubs: list[Stub]  # stories without their text
    named: list[Named]  # what each story names, and the keys it is named by
    tags: TagModel  # names each story mentions
    vocabulary: Vocabulary
    z: sp.csr_matrix  # feature rows
    days: np.ndarray
    top: sp.csr_matrix  # each row's own best candidates (before making them mutual)
    drift: int = 0  # stories added or removed since the vocabulary was fitted
    contained: dict[tuple[str, str], bool] = field(default_factory=dict)  # versions rule, by pair
    folders: dict[str, tuple[bytes, dict[str, str]]] = field(default_factory=dict)  # page paths
    # of each folder, by a digest of its stories
    ranking: Ranking | None = None  # the last ranking of related stories (among pages)

    def needs_refit(self, keys: Sequence[str], params: RelatedParams | None = None) -> bool:
        """Whether linking ``keys`` should fit from scratch rather than update this model."""
        now, before = set(keys), set(self.keys)
        change = len(now - before) + len(before - now)
        return self.params != (params or RelatedParams()) or \
            self.drift + change > REFIT_SHARE * max(self.vocabulary.fitted_on, 1)

    def page_paths(self, stories: Sequence[Story]) -> dict[str, str]:
        """:func:`assign_paths`, folder by folder, reusing folders whose stories did not change
        (a page's path depends only on the stories of its folder)."""
        by_folder: dict[str, list[Story]] = defaultdict(list)
        for story in sorted(stories, key=lambda s: s.capture.path):
            by_folder[story_folder(story)].append(story)
        out: dict[str, str] = {}
        folders = {}
        for folder, members in by_folder.items():
            signature = hashlib.blake2b(repr([(s.capture.path, s.title, s.capture.sha256, s.date)
                                              for s in members]).encode("utf-8", "surrogatepass")).digest()
            known = self.folders.get(folder)
            paths = known[1] if known and known[0] == signature else assign_paths(members)
            folders[folder] = (signature, paths)
            out.update(paths)
        self.folders = folders
        return out


@dataclass
class LinkedArchive:
    stories: list[Story]  # one per page: the newest version of each story, in capture-path order
    paths: dict[str, str]  # capture path of every version -> its page
    pages: dict[str, PageLinks]  # page path -> its links
    model: LinkModel | None = None  # what the next ingest updates (None: not kept)

    def links(self, page: str) -> PageLinks:
        return self.pages.get(page) or PageLinks()

    def versions(self, story: Story) -> list[Story]:
        """All captures shown on ``story``'s page (at least the story itself)."""
        return self.links(self.paths[story.capture.path]).versions or [story]


def _named(named: Named, index: TitleIndex, own: str) -> list[NamedRef]:
    """Titles the capture names, then archived URLs it links to, each once."""
    out: list[NamedRef] = []
    seen: set[str] = set()
    _, _, titles, urls = named
    for title, kind, key in titles:
        target = index.page_of_key(kind, key)
        if title not in seen:
            seen.add(title)
            out.append(NamedRef(title, target if target != own else None))
    for url, key in urls:
        target = index.page_of_key("url", key)
        if target and target != own and url not in seen:
            seen.add(url)
            out.append(NamedRef(url, target))
    return out


def _no_stories(keys: Sequence[str]) -> Mapping[str, Story]:
    raise KeyError(f"no text for stories {list(keys)[:3]}")


def link_archive(stories: Sequence[Story], params: RelatedParams | None = None, *,
                 keys: Sequence[str] | None = None, facts: Mapping[str, StoryFacts] | None = None,
                 on_pages: PagesReady | None = None) -> LinkedArchive:
    """Versions, paths, explicit links, related stories, backlinks and tags for every story.

    ``keys`` name the stories in the returned model (default: capture path and hash);
    ``facts`` are their :func:`story_facts` by key where already known.
    """
    params = params or RelatedParams()
    keys = list(keys) if keys is not None else [f"{s.capture.path}\0{s.capture.sha256}" for s in stories]
    order = sorted(range(len(stories)), key=lambda i: stories[i].capture.path)
    ordered = [stories[i] for i in order]
    keys = [keys[i] for i in order]
    known = facts or {}
    story_facts_ = [known.get(k) or story_facts(s) for k, s in zip(keys, ordered, strict=True)]
    vocabulary, z = Vocabulary.fit([f.terms or doc_terms(link_doc(s))
                                    for f, s in zip(story_facts_, ordered, strict=True)], params)
    days = np.array([day_number(s.date) for s in ordered], dtype=np.float64)
    n = len(ordered)
    top = top_candidates(z, days, params) if n > 1 else sp.csr_matrix((n, n), dtype=np.float32)
    model = LinkModel(params, keys, [_stub(s) for s in ordered], [_named_of(f) for f in story_facts_],
                      TagModel.of([f.mentions for f in story_facts_]), vocabulary, z, days, top)
    return _assemble(model, ordered, dict(zip(keys, ordered, strict=True)), _no_stories, on_pages)


def update_links(model: LinkModel, keys: Sequence[str], fresh: Mapping[str, tuple[Story, StoryFacts]],
                 load: Loader, on_pages: PagesReady | None = None) -> LinkedArchive:
    """The link result for the stories ``keys``, updated from ``model`` rather than fitted again.

    ``fresh`` holds the stories (with their facts) that are not in the model; ``load`` gives
    the text of others when a versions check needs it. The vocabulary stays as fitted; only the
    added stories are compared with the others (and stories that lost one of a full list of
    candidates are compared again), so this costs in proportion to what changed.
    """
    params = model.params
    keyset = set(keys)
    old_row = {k: i for i, k in enumerate(model.keys)}
    added = [k for k in dict.fromkeys(keys) if k not in old_row]
    removed = [k for k in model.keys if k not in keyset]
    rows = sorted([(model.stubs[i][0], k, i) for k, i in old_row.items() if k in keyset] +
                  [(fresh[k][0].capture.path, k, -1) for k in added])
    n = len(rows)
    new_keys = [k for _, k, _ in rows]
    source = np.array([i for _, _, i in rows], dtype=np.int64)
    added_at = {k: len(model.keys) + j for j, k in enumerate(added)}
    source[source < 0] = [added_at[k] for _, k, i in rows if i < 0]
    added_rows = np.flatnonzero(source >= len(model.keys))
    new_terms = [fresh[k][1].terms or doc_terms(link_doc(fresh[k][0])) for k in added]
    z = model.z
    if added:
        z = sp.vstack([z, model.vocabulary.transform(new_terms)], format="csr", dtype=np.float32)
    z = z[source]
    days = np.concatenate([model.days, [day_number(fresh[k][0].date) for k in added]])[source]
    new_of_old = np.full(len(model.keys), -1, dtype=np.int64)
    kept_rows = source < len(model.keys)
    new_of_old[source[kept_rows]] = np.flatnonzero(kept_rows)
    old = model.top.tocoo()
    lost = (new_of_old[old.col] < 0) & (new_of_old[old.row] >= 0)
    full = np.diff(model.top.indptr) >= CANDIDATES
    redo_old = np.unique(old.row[lost])
    redo = np.concatenate([added_rows, new_of_old[redo_old[full[redo_old]]]])
    keep = (new_of_old[old.row] >= 0) & (new_of_old[old.col] >= 0)
    top = sp.csr_matrix((old.data[keep], (new_of_old[old.row[keep]], new_of_old[old.col[keep]])),
                        shape=(n, n), dtype=np.float32)
    top = update_top(top, z, days, redo.astype(np.int64), added_rows, params)
    stubs = [model.stubs[i] if i < len(model.keys) else _stub(fresh[k][0])
             for k, i in zip(new_keys, source.tolist(), strict=True)]
    named = [model.named[i] if i < len(model.keys) else _named_of(fresh[k][1])
             for k, i in zip(new_keys, source.tolist(), strict=True)]
    tags = model.tags.with_rows(np.where(source < len(model.keys), source, -1),
                                [fresh[new_keys[r]][1].mentions for r in added_rows])
    updated = LinkModel(
        params, new_keys, stubs, named, tags,
        model.vocabulary, z, days, top, model.drift + len(added) + len(removed),
        {pair: v for pair, v in model.contained.items() if pair[0] in keyset and pair[1] in keyset},
        model.folders, model.ranking,
    )
    stories = [_story(s) for s in updated.stubs]  # tags are set on these
    return _assemble(updated, stories, {k: fresh[k][0] for k in added}, load, on_pages)


def _contains(model: LinkModel, stories: Sequence[Story], full: Mapping[str, Story],
              load: Loader) -> Callable[[int, int], bool]:
    """The versions rule for two stories by index, remembered in the model by their keys."""
    texts: dict[str, Story] = dict(full)

    def text(i: int) -> Story:
        key = model.keys[i]
        if key not in texts:
            texts.update(load([key]))
        return texts[key]

    def contains(i: int, j: int) -> bool:
        pair = (model.keys[i], model.keys[j])
        if pair not in model.contained:
            model.contained[pair] = same_text(text(i), text(j))
        return model.contained[pair]

    return contains


def _assemble(model: LinkModel, stories: list[Story], full: Mapping[str, Story],
              load: Loader, on_pages: PagesReady | None = None) -> LinkedArchive:
    """From the model's candidates and facts to pages: versions, paths, links, tags.

    ``on_pages`` is told the page stories and paths as soon as they are final, before related
    stories and named links are worked out (which no archive page shows).
    """
    params = model.params
    candidates = symmetric(model.top)
    groups = version_groups(stories, candidates, _contains(model, stories, full, load),
                            [n[1] for n in model.named])
    heads = [g[0] for g in groups]
    pages_stories = [stories[i] for i in heads]
    page_paths = model.page_paths(pages_stories)
    paths: dict[str, str] = {}
    for group in groups:
        page = page_paths[stories[group[0]].capture.path]
        for i in group:
            paths[stories[i].capture.path] = page
    pages = {page_paths[s.capture.path]: PageLinks() for s in pages_stories}
    title_of = {page_paths[s.capture.path]: s.title for s in pages_stories}
    for group in groups:
        if len(group) > 1:
            pages[paths[stories[group[0]].capture.path]].versions = [stories[i] for i in group]

    for story, tags in zip(pages_stories, model.tags.tags(heads), strict=True):
        if not story.tags:  # tags a sidecar gives are the user's choice
            story.tags = tags
    if on_pages is not None:  # what archive pages show is known: they can be made meanwhile
        on_pages(pages_stories, paths)

    if len(stories) > 1:
        model.ranking = rank_update(candidates[heads][:, heads].tocsr(), [model.keys[i] for i in heads],
                                    params, model.ranking)
        ref_of = [(page_paths[s.capture.path], s.title) for s in pages_stories]
        for (page, _), related in zip(ref_of, model.ranking.related, strict=True):
            pages[page].related = [PageRef(*ref_of[j], score) for j, score in related]

    index = TitleIndex.of_keys((n[0], n[1], paths[s.capture.path])
                               for n, s in zip(model.named, stories, strict=True))
    backlinks: dict[str, set[str]] = {}
    for i, story in zip(heads, pages_stories, strict=True):
        page = page_paths[story.capture.path]
        pages[page].named = _named(model.named[i], index, page)
        for ref in pages[page].named:
            if ref.path:
                backlinks.setdefault(ref.path, set()).add(page)
    for target, sources in backlinks.items():
        pages[target].linked_from = [
            PageRef(p, title_of[p]) for p in sorted(sources, key=lambda p: (title_of[p], p))
        ]
    return LinkedArchive(stories=pages_stories, paths=paths, pages=pages, model=model)
