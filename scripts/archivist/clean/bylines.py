"""Authors from bylines: "By TOM KRISHER, AP Auto Writer" gives "Tom Krisher", not the job."""

from __future__ import annotations

import re

from archivist.clean.dates import find_date

_BYLINE = re.compile(
    r"^(?:(?:written |reported |story )?by|por|par|von|di|door|av|автор(?:ы)?:?|text:?|texto:?)"
    r"\s+(?P<names>.+)$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&|\be\b|\bund\b|\bet\b|\by\b|\bи\b|\|)\s*")
# Words that make a byline part a job or an affiliation rather than a name.
_ROLE = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|staff|contributor|columnist|press|associated|"
    r"bureau|chief|news|service|times|post|journal|reuters|afp|ap|analyst|producer|"
    r"redação|redacción|rédaction|redaktion|updated|published|posted|hours?|minutes?|ago)\b",
    re.IGNORECASE,
)
_PARTICLES = {"de", "da", "do", "dos", "das", "van", "von", "der", "den", "di", "du", "la", "le",
              "del", "bin", "al", "el", "ter", "st"}
_NAME_WORD = re.compile(r"^[\w.'’-]+$")


def _clean_name(part: str) -> str | None:
    part = part.strip(" .:-–—|")
    words = part.split()
    if not 1 <= len(words) <= 5 or _ROLE.search(part) or find_date(part) or re.search(r"\d", part):
        return None
    for word in words:
        if not _NAME_WORD.match(word):
            return None
        if word[0].islower() and word.lower() not in _PARTICLES:
            return None
    if part.isupper():
        part = " ".join(w.capitalize() if w.lower() not in _PARTICLES else w.lower() for w in words)
    return part


def parse_byline(line: str) -> list[str] | None:
    """Names in a byline line, or None when the line is not a byline."""
    if len(line) > 160:
        return None
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names = []
    for part in _SEPARATORS.split(match.group("names")):
        name = _clean_name(part)
        if name and name not in names:
            names.append(name)
        elif name is None and names and _ROLE.search(part):
            continue  # a job title after the names: keep the names seen so far
    return names or None
