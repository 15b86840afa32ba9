"""Readers: a capture's bytes (plus its sidecar) in, one :class:`~archivist.model.Story` out.

Each reader is registered by file extension; everything here is pure, so captures can be read
in any order or in parallel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from archivist.clean import clean_text
from archivist.clean.dates import find_date
from archivist.clean.outlet import outlet_from_url
from archivist.model import Capture, CaptureError, Cleaned, Story
from archivist.readers.decode import read_text


def _read_plain_text(raw: bytes) -> Cleaned:
    return clean_text(read_text(raw))


READERS: dict[str, Callable[[bytes], Cleaned]] = {".txt": _read_plain_text}


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        found = find_date(value)
        if found is None:
            raise CaptureError(f"sidecar: date '{value}' is not a date") from None
        return found.isoformat()


def read_capture(raw: bytes, rel_path: str, sidecar: dict[str, Any] | None = None) -> Story:
    """Clean a capture and apply its sidecar: sidecar values win over what the cleaner found."""
    suffix = "." + rel_path.rsplit(".", 1)[-1].lower() if "." in rel_path else ""
    reader = READERS.get(suffix)
    if reader is None:
        raise CaptureError(f"no reader for '{suffix or rel_path}' files")
    cleaned = reader(raw)
    side = sidecar or {}
    url = side.get("url") or cleaned.url
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
        outlet=side.get("outlet") or cleaned.outlet or outlet_from_url(url),
        url=url,
        captured_at=side.get("captured_at"),
    )
    story.tags = side.get("tags") or []  # otherwise chosen across the archive by link/entities.py
    return story
