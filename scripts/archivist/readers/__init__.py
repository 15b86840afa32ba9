"""Readers: a capture's bytes (plus its sidecar) in, one :class:`~archivist.model.Story` out.

Each reader is registered by file extension; everything here is pure, so captures can be read
in any order or in parallel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from archivist.clean.cleaner import clean_lines
from archivist.clean.dates import find_date
from archivist.clean.outlet import outlet_from_url, site_outlet
from archivist.clean.template import template_lines
from archivist.model import Capture, CaptureError, Cleaned, Story
from archivist.readers.decode import read_lines


def _read_plain_text(raw: bytes, template: frozenset[int] = frozenset()) -> Cleaned:
    lines = read_lines(raw)
    return clean_lines(lines, template_lines(lines, template))


def _read_html(raw: bytes, template: frozenset[int] = frozenset()) -> Cleaned:
    from archivist.readers.html import read_html  # trafilatura loads only when a page needs it

    return read_html(raw)


# By capture extension; compound ones (".html.gz") are matched before simple ones.
# Each reader takes the capture's bytes and the stable hashes of its outlet's site-template lines
# (:mod:`archivist.clean.template`; text captures use them, after decoding the text once).
Reader = Callable[[bytes, frozenset[int]], Cleaned]
READERS: dict[str, Reader] = {
    ".txt": _read_plain_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".html.gz": _read_html,
    ".htm.gz": _read_html,
}


def capture_suffix(name: str) -> str | None:
    """The capture extension of a file name (".txt", ".html.gz"...), or None if it is no capture.

    ``Path.suffix`` sees only ".gz" in "page.html.gz"; callers that pick capture files (ingest's
    discovery, the evaluation) should ask this instead.
    """
    lower = name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix
    return None


def is_capture(name: str) -> bool:
    """Whether a file of this name is a capture some reader can read."""
    return capture_suffix(name) is not None


def reader_for(name: str) -> Reader:
    """The reader for a capture file name; :class:`CaptureError` when there is none."""
    suffix = capture_suffix(name)
    if suffix is None:
        ext = "." + name.rsplit(".", 1)[-1] if "." in name else name
        raise CaptureError(f"no reader for '{ext}' files")
    return READERS[suffix]


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        found = find_date(value)
        if found is None:
            raise CaptureError(f"sidecar: date '{value}' is not a date") from None
        return found.isoformat()


def read_capture(raw: bytes, rel_path: str, sidecar: dict[str, Any] | None = None,
                 template: frozenset[int] = frozenset()) -> Story:
    """Clean a capture and apply its sidecar: sidecar values win over what the cleaner found.

    ``template``: stable hashes of the lines the outlet's other captures share
    (:mod:`archivist.clean.template`).
    """
    name = rel_path.rsplit("/", 1)[-1]
    cleaned = reader_for(name)(raw, template)
    side = sidecar or {}
    url = side.get("url") or cleaned.url
    # A saved page declares its site name (trafilatura reads it); text is checked against the URL.
    outlet = site_outlet(cleaned.outlet, url) if capture_suffix(name) == ".txt" else (
        cleaned.outlet or outlet_from_url(url))
    title = side.get("title") or cleaned.title
    if not title:
        raise CaptureError("no title and no text found")
    story = Story(
        capture=Capture(rel_path, hashlib.sha256(raw).hexdigest(), len(raw)),
        title=title,
        cleaned=cleaned,
        description=side.get("description", cleaned.description),
        authors=side.get("authors", cleaned.authors),
        date=_iso_date(side["date"]) if side.get("date") else cleaned.date,
        outlet=side.get("outlet") or outlet,
        url=url,
        captured_at=side.get("captured_at"),
    )
    story.tags = side.get("tags") or []  # otherwise chosen across the archive by link/entities.py
    return story
