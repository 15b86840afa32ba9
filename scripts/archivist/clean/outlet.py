"""The outlet, from the capture's own words about itself or from its URL's site."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

_NAME = r"(?P<name>[A-Z][\w&.'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z0-9][\w&.'’-]*){0,4})"
_SELF_REFERENCES = [
    # "Defense One's complete coverage of Iran"
    re.compile(rf"{_NAME}['’]s\s+(?:complete|full|latest|continuing|ongoing|live)\s+coverage\b"),
    # "© 2019 The Example Times", "Copyright 2019 Example Media. All rights reserved."
    re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?,?\s+){_NAME}"),
    # "Subscribe to Example Weekly", "Follow Example News on Twitter"
    re.compile(rf"\b(?:Subscribe to|Follow)\s+{_NAME}\s+on\s+(?:Twitter|Facebook|Instagram)"),
]
_TRIGGER = re.compile(r"coverage|©|\(c\)|Copyright|Follow|Subscribe")
_TRAILING_NOISE = re.compile(
    r"\s+(?:All|Inc|LLC|Ltd|Corp|Media|Group|Company|Co)\.?$|[.,]$", re.IGNORECASE
)


def outlet_from_text(lines: list[str]) -> str | None:
    """The name the page most often uses for itself, if it names itself at all."""
    found: Counter[str] = Counter()
    for line in lines:
        if not _TRIGGER.search(line):
            continue
        for pattern in _SELF_REFERENCES:
            for match in pattern.finditer(line):
                name = re.split(r"\.\s|\.(?=[A-Z])", match.group("name"))[0]  # "X. All Rights..."
                while True:
                    trimmed = _TRAILING_NOISE.sub("", name).strip()
                    if trimmed == name:
                        break
                    name = trimmed
                if len(name) >= 2:
                    found[name] += 1
    return found.most_common(1)[0][0] if found else None


def outlet_from_url(url: str | None) -> str | None:
    """The site's host name without ``www.``: honest when the page never names itself."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
