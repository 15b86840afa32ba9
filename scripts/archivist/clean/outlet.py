"""The outlet, from the capture's own words about itself or from its URL's site."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

_NAME = r"(?P<name>[A-Z][\w&.'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z0-9][\w&.'’-]*){0,4})"
# Each pattern with the words it cannot match without (cheap substring tests skip the regex).
_SELF_REFERENCES = [
    # "Defense One's complete coverage of Iran"
    (("coverage",),
     re.compile(rf"{_NAME}['’]s\s+(?:complete|full|latest|continuing|ongoing|live)\s+coverage\b")),
    # "© 2019 The Example Times", "Copyright 2019 Example Media. All rights reserved."
    (("©", "(c)", "Copyright"),
     re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?,?\s+){_NAME}")),
    # "Subscribe to Example Weekly", "Follow Example News on Twitter"
    (("Subscribe to", "Follow"),
     re.compile(rf"\b(?:Subscribe to|Follow)\s+{_NAME}\s+on\s+(?:Twitter|Facebook|Instagram)")),
]
_TRIGGERS = ("coverage", "©", "(c)", "Copyright", "Follow", "Subscribe")  # one of them in every match
_TRAILING_NOISE = re.compile(
    r"\s+(?:All|Inc|LLC|Ltd|Corp|Media|Group|Company|Co)\.?$|[.,]$", re.IGNORECASE
)


def outlet_from_text(lines: list[str]) -> str | None:
    """The name the page most often uses for itself, if it names itself at all."""
    found: Counter[str] = Counter()
    # The lines worth matching, found by substring searches over the whole text (faster than a
    # regex, and most lines hold no trigger word).
    joined = "\n".join(lines)
    starts = set()
    for word in _TRIGGERS:
        at = joined.find(word)
        while at >= 0:
            starts.add(joined.rfind("\n", 0, at) + 1)
            end = joined.find("\n", at)
            at = joined.find(word, end) if end >= 0 else -1
    for start in sorted(starts):
        end = joined.find("\n", start)
        line = joined[start:end] if end >= 0 else joined[start:]
        for needles, pattern in _SELF_REFERENCES:
            if not any(needle in line for needle in needles):
                continue
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
