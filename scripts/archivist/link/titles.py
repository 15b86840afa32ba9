"""Resolve the titles a capture names ("Related: ...") to stories in the archive.

A title resolves only when it is the same title, compared without case, punctuation or
spacing: similar-looking titles are different stories, so no fuzzy matching here.
"""

from __future__ import annotations

from collections.abc import Iterable

from archivist.clean.text import key
from archivist.model import Story


class TitleIndex:
    """Normalised title to page path, for every story in the archive."""

    def __init__(self, stories: Iterable[Story], paths: dict[str, str]) -> None:
        self._by_title: dict[str, str] = {}
        for story in sorted(stories, key=lambda s: s.capture.path):
            k = key(story.title)
            if k:
                self._by_title.setdefault(k, paths[story.capture.path])

    def resolve(self, title: str) -> str | None:
        """The page path of the archived story with this title, or None."""
        return self._by_title.get(key(title))
