"""Resolve what a capture names ("Related: ..." titles, links to URLs) to pages in the archive.

A title resolves only when it is the same title, compared without case, accents, punctuation or
spacing: similar-looking titles are different stories ("Iran Loses Its Indispensable Man" is
not "Iran Loses Its Terror-Master"), so there is no fuzzy matching here. A URL resolves when it
is the same page address once the parts that do not name the page (scheme, ``www.``, trailing
slash, fragment, tracking parameters) are set aside. Whatever does not resolve stays plain text;
resolution is redone on every ingest, so it links by itself once the story is archived.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

from archivist.clean.text import key
from archivist.model import Story

URL = re.compile(r"\bhttps?://[^\s<>\"'“”‘’]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»"
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|mc_[ce]id|cmpid|ref|smid|ncid|ocid|cid|__twitter_impression)$",
    re.IGNORECASE,
)


def title_key(title: str) -> str:
    """Case, accents, punctuation and spacing ignored; words and their order kept."""
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return key(folded.replace("’", "'").replace("'", ""))


def url_key(url: str) -> str | None:
    """The part of an http(s) URL that names the page, or None for anything else."""
    try:
        parts = urlsplit(url.strip().rstrip(_TRAILING))
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    path = re.sub(r"/(index\.html?|amp)$", "", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return f"{host}{path}" + (f"?{urlencode(sorted(query))}" if query else "")


def urls_in(text: str) -> list[str]:
    """http(s) URLs written in a text, without trailing punctuation, in order of appearance."""
    return [match.group().rstrip(_TRAILING) for match in URL.finditer(text)]


class TitleIndex:
    """Normalised title and URL to page path, for every story (and every version) archived.

    When two different pages share a title, the one first in capture-path order wins, so the
    result does not depend on the order stories were read in.
    """

    def __init__(self, stories: Iterable[Story], paths: dict[str, str]) -> None:
        ordered = sorted(stories, key=lambda s: s.capture.path)
        self._fill((title_key(s.title), url_key(s.url) if s.url else None, paths[s.capture.path])
                   for s in ordered)

    @classmethod
    def of_keys(cls, entries: Iterable[tuple[str, str | None, str]]) -> TitleIndex:
        """From ``(title key, URL key, page)`` of each story, in capture-path order."""
        index = cls([], {})
        index._fill(entries)
        return index

    def _fill(self, entries: Iterable[tuple[str, str | None, str]]) -> None:
        self._by_title: dict[str, str] = {}
        self._by_url: dict[str, str] = {}
        for k, u, page in entries:
            if k:
                self._by_title.setdefault(k, page)
            if u:
                self._by_url.setdefault(u, page)

    def resolve(self, title_or_url: str) -> str | None:
        """The page path of the archived story with this title or URL, or None."""
        return self.page_of_key(*named_key(title_or_url))

    def resolve_url(self, url: str) -> str | None:
        u = url_key(url)
        return self._by_url.get(u) if u else None

    def page_of_key(self, kind: str, key: str | None) -> str | None:
        """The page of a key from :func:`named_key` (or a URL key), or None."""
        if not key:
            return None
        return (self._by_url if kind == "url" else self._by_title).get(key)


def named_key(title_or_url: str) -> tuple[str, str | None]:
    """How :meth:`TitleIndex.resolve` looks a named title or URL up: ``("url" | "title", key)``."""
    text = title_or_url.strip()
    if URL.fullmatch(text.rstrip(_TRAILING)):
        return "url", url_key(text)
    return "title", title_key(text)
