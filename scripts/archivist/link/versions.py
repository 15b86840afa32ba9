"""Versions: captures of the same story (an update, a re-capture with other junk) become one page.

Two captures are versions of one story when they are the same page address, or when one's
text is nearly contained in the other's (word 5-grams: an update adds or rewrites a few
paragraphs, a re-capture keeps the article and changes the furniture around it). Syndicated
copies in two outlets are different pages of the archive, so texts only merge within one outlet
(or when an outlet is unknown). Candidate pairs come from the similarity candidates that
related-story linking computes anyway, so there is no all-pairs comparison here either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import scipy.sparse as sp

from archivist.clean.text import WORD
from archivist.link.titles import url_key
from archivist.model import Story

SHINGLE = 5  # words per shingle
MIN_CONTAINMENT = 0.6  # of the shorter text's shingles found in the longer one
MIN_SIMILARITY = 0.5  # candidate pairs to check: time-decayed TF-IDF similarity at least this


def _shingles(story: Story) -> set[int]:
    words = WORD.findall(f"{story.title} {story.cleaned.body}".casefold())
    grams = [" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))]
    return {
        int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
        for gram in grams if gram
    }


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger one (1.0 when one text contains the other)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _same_outlet(a: Story, b: Story) -> bool:
    return not a.outlet or not b.outlet or a.outlet.casefold() == b.outlet.casefold()


def newest_first(stories: Sequence[Story]) -> list[Story]:
    """Versions in the order a reader wants them: last captured (or last dated) first."""
    return sorted(stories, key=lambda s: (s.captured_at or "", s.date or "", s.capture.path),
                  reverse=True)


def shingles(story: Story) -> set[int]:
    """The hashed word 5-grams of a story's title and body, as :func:`containment` compares them."""
    return _shingles(story)


def same_text(a: Story, b: Story) -> bool:
    """One story's text nearly contained in the other's (the versions rule, without the outlet)."""
    return containment(_shingles(a), _shingles(b)) >= MIN_CONTAINMENT


def version_groups(stories: Sequence[Story], candidates: sp.csr_matrix | None = None,
                   contains: Callable[[int, int], bool] | None = None,
                   url_keys: Sequence[str | None] | None = None) -> list[list[int]]:
    """Indices of stories grouped by story, each group newest first, groups in index order.

    ``candidates`` is a sparse matrix of similarities between stories (as from
    :func:`archivist.link.related.candidate_matrix`); without it every pair is checked, which is
    only for small sets. ``contains(i, j)`` tells whether one text nearly contains the other
    (default: compare their shingles); the link stage passes one that remembers past answers,
    and each story's :func:`url_key` when it knows them.
    """
    n = len(stories)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_url: dict[str, int] = {}
    for i, story in enumerate(stories):
        u = url_keys[i] if url_keys is not None else url_key(story.url) if story.url else None
        if u:
            if u in by_url:
                union(by_url[u], i)
            else:
                by_url[u] = i
    if candidates is None:
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    else:
        upper = sp.triu(candidates, k=1).tocoo()
        keep = upper.data >= MIN_SIMILARITY
        pairs = list(zip(upper.row[keep].tolist(), upper.col[keep].tolist(), strict=True))
    if contains is None:
        grams: dict[int, set[int]] = {}

        def contains(i: int, j: int) -> bool:
            a = grams.setdefault(i, _shingles(stories[i]))
            b = grams.setdefault(j, _shingles(stories[j]))
            return containment(a, b) >= MIN_CONTAINMENT

    for i, j in sorted(pairs):
        if find(i) == find(j) or not _same_outlet(stories[i], stories[j]):
            continue
        if contains(i, j):
            union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) > 1:
            order = {id(s): k for k, s in enumerate(newest_first([stories[i] for i in members]))}
            members = sorted(members, key=lambda i: order[id(stories[i])])
        out.append(members)
    return sorted(out, key=lambda g: min(g))
