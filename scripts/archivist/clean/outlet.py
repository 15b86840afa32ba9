"""The outlet, from the capture's own words about itself or from its URL's site."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from archivist.clean.linescan import LineScan

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
_FOLDED_TRIGGERS = tuple(trigger.casefold() for trigger in _TRIGGERS)
_TRAILING_NOISE = re.compile(
    r"\s+(?:All|Inc|LLC|Ltd|Corp|Media|Group|Company|Co)\.?$|[.,]$", re.IGNORECASE
)


def outlet_from_text(lines: list[str], scan: LineScan | None = None) -> str | None:
    """The name the page most often uses for itself, if it names itself at all.

    ``scan``: the :class:`LineScan` of the lines' case-folded keys, when the caller has it.
    """
    found: Counter[str] = Counter()
    # The lines worth matching, found by substring searches over the whole text (faster than a
    # regex, and most lines hold no trigger word). Case-folded triggers may find more lines than
    # the patterns' own words (checked below, case and all); never fewer.
    scan = scan or LineScan([line.casefold() for line in lines])
    for i in sorted(scan.lines_containing(_FOLDED_TRIGGERS)):
        line = lines[i]
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


_WORDS = re.compile(r"[^\W_]+")
_HOST_PREFIXES = frozenset({"www", "m", "amp", "mobile"})


def names_site(name: str, host: str) -> bool:
    """Whether a name the page uses for itself is its site's, as the host spells it: its letters
    are a label of the host, start with one, hold one or sit in one ("The Harbor Gazette":
    harborgazette.com, "HGT News": hgt.co.uk, "Quarry Magazine": quarrymagazine.org), or its
    initials are ("Northern Valley Journal": nvj.com, "Northern Valley Post": nvpost.com). The
    company that owns the site, which its copyright line often names ("Lakeside Holdings"), is
    not its name."""
    words = _WORDS.findall(name.casefold())
    if not words:
        return False
    bare = words[1:] if words[0] == "the" and len(words) > 1 else words
    whole = "".join(bare)
    initials = "".join(w[0] for w in bare)
    forms = {whole, "".join(words), initials[:-1] + bare[-1]}  # "nvpost"; initials: below
    for label in host.casefold().split(".")[:-1]:
        if label in _HOST_PREFIXES or len(label) < 2:
            continue
        if label in forms or (len(initials) >= 2 and label.startswith(initials)):
            return True
        if len(label) >= 4 and len(whole) >= 4 and (label in whole or whole in label):
            return True
        if len(label) >= 3 and whole.startswith(label):  # "Example News" on example.com
            return True
    return False


def site_outlet(name: str | None, url: str | None) -> str | None:
    """A text capture's outlet: the name it uses for itself where that is its site's
    (:func:`names_site`), else the site's host; the name alone when the URL is unknown. The name
    a page prints most about itself is often the company that owns it (its copyright line):
    the host then names the outlet better."""
    host = outlet_from_url(url)
    if host is None or (name and names_site(name, host)):
        return name or host
    return host
