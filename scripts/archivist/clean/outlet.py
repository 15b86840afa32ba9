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
_TRIGGER = re.compile(r"coverage|©|\(c\)|Copyright|Follow|Subscribe")  # any of those words
_TRAILING_NOISE = re.compile(
    r"\s+(?:All|Inc|LLC|Ltd|Corp|Media|Group|Company|Co)\.?$|[.,]$", re.IGNORECASE
)


def outlet_from_text(lines: list[str]) -> str | None:
    """The name the page most often uses for itself, if it names itself at all."""
    found: Counter[str] = Counter()
    # One scan of the whole text finds the lines worth matching: most lines have no trigger.
    joined = "\n".join(lines)
    end = -1
    for trigger in _TRIGGER.finditer(joined):
        if trigger.start() < end:  # a line already matched
            continue
        start = joined.rfind("\n", 0, trigger.start()) + 1
        end = joined.find("\n", trigger.end())
        end = len(joined) if end < 0 else end
        line = joined[start:end]
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
