"""Site template across captures: lines that recur in several stories of one outlet.

A page's menus, footers, newsletter pitches and "about us" paragraphs are the same on every
article of a site, while its story is not. When an archive holds several captures of one outlet,
the lines they share are template and can never be body text. This needs all captures at once,
so it is a separate pass: the caller groups captures by outlet (sidecar URL's site, folder...)
and calls :func:`group_template` on each group.

Two captures of the same story (a re-capture, an update) share their paragraphs; counting them
as two stories would turn the story itself into template. So captures that share several long
lines are first clustered into one story, and a line is template only if it appears in at least
two different stories. (Versions of a story share most of their paragraphs; two stories of one
outlet share a footer or two.) Lines are compared by a stable 64-bit hash of their key, so a capture's
template can be stored, compared and sent to worker processes cheaply.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from hashlib import blake2b

from archivist.clean.text import split_lines

MIN_STORIES = 2  # a line seen in this many different stories of one outlet is template
SAME_STORY_SHARE = 0.5  # captures sharing this share of their long lines hold the same story
LONG_LINE = 80  # characters: a line this long is a paragraph, specific to its story
COMMON_POSTINGS = 5  # a long line in more captures than this is template, not story text


def line_key(line: str) -> str:
    """The comparison key of a line whose spacing is already collapsed (as the cleaner uses)."""
    return line.casefold()


def stable_hash(key: str) -> int:
    """A hash that is the same in every process and every run (unlike ``hash``)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def line_hashes(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(all line hashes, long line hashes)`` of a capture's text, each without repeats."""
    keys = {line_key(line): len(line) for line in split_lines(text)}
    return (tuple(stable_hash(k) for k in keys),
            tuple(stable_hash(k) for k, n in keys.items() if n >= LONG_LINE))


def _stories(long_lines: Mapping[str, tuple[int, ...]]) -> dict[str, str]:
    """Cluster captures that share most of their long lines (ignoring lines common to many)."""
    postings: dict[int, list[str]] = defaultdict(list)
    for name, hashes in long_lines.items():
        for h in hashes:
            postings[h].append(name)
    parent = {name: name for name in long_lines}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name in sorted(long_lines):
        shared: Counter[str] = Counter()
        for h in long_lines[name]:
            holders = postings[h]
            if 1 < len(holders) <= COMMON_POSTINGS:
                shared.update(other for other in holders if other != name)
        for other, n in shared.items():
            if n >= SAME_STORY_SHARE * min(len(long_lines[name]), len(long_lines[other])):
                parent[root(other)] = root(name)
    return {name: root(name) for name in long_lines}


def group_template(captures: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]],
                   min_stories: int = MIN_STORIES) -> dict[str, frozenset[int]]:
    """For each capture of one outlet, the hashes of its own lines that are site template.

    ``captures`` maps a capture name to :func:`line_hashes` of its text.
    """
    story_of = _stories({name: long for name, (_, long) in captures.items()})
    per_story: dict[str, set[int]] = defaultdict(set)
    for name, (hashes, _) in captures.items():
        per_story[story_of[name]].update(hashes)
    counts: Counter[int] = Counter()
    for hashes in per_story.values():
        counts.update(hashes)
    return {name: frozenset(h for h in hashes if counts[h] >= min_stories)
            for name, (hashes, _) in captures.items()}


def template_lines(lines: list[str], hashes: frozenset[int]) -> frozenset[str]:
    """The keys of a capture's lines (:func:`~archivist.clean.text.split_lines`) whose hashes are
    template: what the cleaner takes."""
    if not hashes:
        return frozenset()
    return frozenset(k for k in (line_key(line) for line in lines) if stable_hash(k) in hashes)


def template_keys(texts: Iterable[str], min_stories: int = MIN_STORIES) -> frozenset[str]:
    """Keys of the lines that recur in at least ``min_stories`` different stories of ``texts``."""
    texts = list(texts)
    per_capture = group_template({str(i): line_hashes(t) for i, t in enumerate(texts)}, min_stories)
    keys: set[str] = set()
    for i, text in enumerate(texts):
        keys |= template_lines(split_lines(text), per_capture[str(i)])
    return frozenset(keys)
