"""Authors from bylines: "By TOM KRISHER, AP Auto Writer" gives "Tom Krisher", not the job.

Bylines come in many shapes: "By Ann Lee and Bo Chen", "Posted by Ann Lee on May 2, 2019",
"5:45 AM PST 11/19/2019 by Ann Lee", "By Ann Lee - 11/19/19 06:56 AM EST", "Ann Lee - Nov 19,
2019", "By Ann Lee@handle Nov 18, 2019", "Analysis by Ann Lee, CNN Editor", "Текст: Анна Ли".
The names are what stands between the byline word and the first date, handle or separator.

An organisation is a fair author when it is the byline's whole name ("By Reuters", "By Staff
Reports", "The Associated Press" alone over the dateline); a job or desk after a person's name is
not ("By TOM KRISHER, AP Auto Writer" gives only "Tom Krisher").
"""

from __future__ import annotations

import re

from archivist.clean.dates import MONTHS, find_date
from archivist.clean.text import contains_any

# The byline word; it counts at the start of the line, after one word ("Posted by", "Analysis
# by"), after a separator, or after a date or time ("5:45 AM PST 11/19/2019 by ...").
_BY = re.compile(
    r"(?:^|(?<=\s)|(?<=[|•·/:]))(?:by|por|par|von|door|av|автор(?:ы)?|текст|text|texto"
    r"|authors?|autor(?:a|es)?|auteurs?)\s*:?\s+"
    r"(?=\S)",
    re.IGNORECASE,
)
_NOT_AUTHOR = re.compile(r"^(?:photo|photos|image|picture|foto|illustration|video|graphic|map)s?\b",
                         re.IGNORECASE)
_BY_WORDS = frozenset(["by", "por", "par", "von", "door", "av", "автор", "авторы", "текст", "text", "texto",
                       "author", "authors", "autor", "autora", "autores", "auteur", "auteurs"])
_AFTER_DATE = re.compile(r"[\d|•·/]\s*\w*\s*\w*\s+(?:by|por|par|von|door|av)\b", re.IGNORECASE)
DIGIT_OR_HANDLE = re.compile(r"[\d@]")  # (a dateline needs a digit too: the cleaner tests once)
# The same for ASCII lines (most): a plain class is tested inline, where ``\d`` calls a Unicode
# lookup for every character.
DIGIT_OR_HANDLE_ASCII = re.compile(r"[0-9@]")
_TIME = re.compile(r"\d{1,2}:\d{2}|\b(?:19|20)\d\d\b")
# A byline without a byline word: a name, then a separator and a date or a handle.
_NAME_THEN_DATE = re.compile(
    r"^(?P<names>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\s*(?:[-–—|•·/]\s*|(?=@))(?P<rest>.+)$"
)
# Where the names end: a date or time, a handle, a separator, "on <date>", "Updated".
_NAMES_END = re.compile(
    r"\s[-–—|•·/]\s|[|•·]|@|\s+on\s+(?=\w+\.?\s+\d|\d)|\d|\s(?:updated|published|posted)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&|\be\b|\bund\b|\bet\b|\by\b|\bи\b)\s*")
# Words that make a byline part a job or an affiliation rather than a name.
_ROLE_WORDS = frozenset((
    "writer", "reporter", "correspondent", "editor", "staff", "contributor", "columnist", "press",
    "associated", "bureau", "chief", "news", "service", "times", "post", "journal", "reuters",
    "afp", "ap", "analyst", "producer", "special", "redação", "redacción", "rédaction",
    "redaktion", "updated", "published", "posted", "hour", "hours", "minute", "minutes", "ago",
    "ms", "rdn", "phd", "md", "rn", "mph", "mba", "senior", "associate", "deputy", "managing",
    "contributing", "sports", "business", "politics", "science", "health", "technology",
    "entertainment", "opinion",
))
_ROLE = re.compile(r"\b(?:" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_ASCII_WORD = re.compile(r"[a-z0-9_]+")


def _has_role(part: str) -> bool:
    """Whether a job or affiliation word stands in ``part`` as a whole word, in any case.

    ASCII text (most bylines) is split into words and looked up in a set; a case-insensitive
    scan of the alternatives tries every one of them at every word boundary.
    """
    if part.isascii():
        return not _ROLE_WORDS.isdisjoint(_ASCII_WORD.findall(part.lower()))
    return _ROLE.search(part) is not None


_GLUED_CAPS = re.compile(r"(?<=[a-z])(?=[A-Z]{2})")
_JOINERS = {"and", "e", "und", "et", "y", "и"}
_PARTICLES = {"de", "da", "do", "dos", "das", "van", "von", "der", "den", "di", "du", "la", "le",
              "del", "bin", "al", "el", "ter", "st"}
_NAME_WORD = re.compile(r"^[\w.'’-]+$")
_DIGIT = re.compile(r"\d")
_CAMEL = re.compile(r"[a-z][A-Z]")  # "McBride", "DeSantis": one word, still a name


def clean_name(part: str) -> str | None:
    """A person's name as printed (capitalised if it was all caps), or None if it is not one."""
    part = part.strip(" .:-–—|")
    words = part.split()
    if not 1 <= len(words) <= 5:
        return None
    for word in words:
        if not _NAME_WORD.match(word):
            return None
        if not word[0].isupper() and word.lower() not in _PARTICLES:
            return None
    if _DIGIT.search(part) or _has_role(part):  # the costlier tests last
        return None
    if len(words) == 1 and not part.isupper() and not _CAMEL.search(part):
        return None  # one ordinary word ("Staff", "Editorial") is not a name
    if part.isupper():  # "ANN DE LA CRUZ" -> "Ann de la Cruz"; a name never opens with a particle
        part = " ".join(w.capitalize() if n == 0 or w.lower() not in _PARTICLES else w.lower()
                        for n, w in enumerate(words))
    return part


# Connecting words an organisation's name may hold ("Bureau of Statistics", "Johnson & Johnson").
_ORG_CONNECTORS = {"of", "the", "for", "&", "de", "do", "da", "des", "du", "der", "die", "la", "el"}
# Words of newsrooms and wire services, in the languages met so far: what a bare name line next
# to the dateline must contain to be taken for an organisation byline (a section label must not).
_NEWSROOM = re.compile(
    r"\b(?:press|news|newsroom|wire|wires|staff|reports?|bureau|desk|agency|service|reuters|afp|ap"
    r"|dpa|efe|ansa|xinhua|kyodo|tass|interfax|bloomberg|agência|agencia|agence|agentur|redação"
    r"|redacción|redaccion|rédaction|redaktion|redazione|notícias|noticias|nachrichten"
    r"|редакция|новости|агентство)\b",
    re.IGNORECASE,
)


def organisation_name(part: str) -> str | None:
    """An organisation (or a one-word pen name) printed as a byline's whole name, or None.

    One to five capitalised words, no digits, no month name ("By November 19, ..." is a
    date). Only called where the byline shape is already certain: after a byline word with
    nothing else before the date or separator, or alone next to the dateline.
    """
    part = part.strip(" .:-–—|")
    words = part.split()
    if not 1 <= len(words) <= 5 or any(c.isdigit() for c in part) or "@" in part:
        return None
    if not words[0][:1].isupper() or all(w.lower().strip(".") in MONTHS for w in words):
        return None
    for word in words[1:]:
        if not (word[:1].isupper() or word.lower() in _ORG_CONNECTORS or word.lower() in _PARTICLES):
            return None
    if not all(_NAME_WORD.match(w) or w == "&" for w in words):
        return None
    if part.isupper():  # "THE ASSOCIATED PRESS" -> "The Associated Press"; "AP" stays
        part = " ".join(
            (w.lower() if n else w.capitalize()) if w.lower() in _ORG_CONNECTORS
            else w if len(w) <= 3 else w.capitalize()
            for n, w in enumerate(words)
        )
    return part


def newsroom_name(line: str) -> str | None:
    """A short line that is only the name of a newsroom or agency ("The Associated Press")."""
    if len(line) > 60 or not _NEWSROOM.search(line):
        return None
    return organisation_name(line)


def newsroom_in_dateline(line: str) -> str | None:
    """A newsroom named in a dateline's text part: "Updated May 2, 2019 / 10:07 AM / Example News"."""
    for segment in re.split(r"\s[|/·•–—-]\s|\s?\|\s?", line):
        segment = segment.strip()
        if segment and not any(c.isdigit() for c in segment):
            name = newsroom_name(segment.rsplit(",", 1)[-1].strip())  # "City, Example Bureau"
            if name:
                return name
    return None


def _names(text: str) -> list[str]:
    text = _GLUED_CAPS.split(text, 1)[0]  # "Ann LeeNEWSDESK": a label run into the name
    cut = _NAMES_END.search(text)
    if cut:
        text = text[: cut.start()]
    words = text.split()
    whole = True  # nothing but names up to the date or separator
    for n, word in enumerate(words):  # names end where ordinary words begin ("... publiziert am")
        if n and word[0].islower() and word.lower() not in _PARTICLES and word.lower() not in _JOINERS:
            text, whole = " ".join(words[:n]), False
            break
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        name = clean_name(part)
        if name and name not in names:
            names.append(name)
        elif name is None and not names:
            # The first part must be a name ("By the way, ..." is not a byline), unless the whole
            # byline is one organisation: "By Staff Reports", "By Reuters".
            org = organisation_name(text) if whole else None
            return [org] if org else []
    return names


def _byline_start(line: str) -> int | None:
    """Where the names begin, if the line has a byline word in a byline position."""
    head = line[:12].casefold().replace(":", " ").split()[:2]
    if not any(word in _BY_WORDS for word in head) and not _AFTER_DATE.search(line):
        return None  # cheap test first: the byline word opens the line or follows a date/separator
    for match in _BY.finditer(line):
        before = line[: match.start()].strip()
        if (not before or len(before.split()) == 1 or before.endswith(("|", "•", "·", "/", "-", "–"))
                or _TIME.search(before)):
            return match.end()
    return None


_LABEL_ONLY = re.compile(
    r"^(?:(?:by|por|par|von|door|av)\s*:?"
    r"|(?:автор(?:ы)?|текст|text|texto|authors?|autor(?:a|es)?|auteurs?)\s*:)$",
    re.IGNORECASE,
)


# The words of those labels, case-folded: a label is one of them once its colon (and the spaces
# before it) are stripped, so a set lookup rules out other short lines before the regex.
BYLINE_LABEL_WORDS = frozenset(("by", "por", "par", "von", "door", "av", "автор", "авторы", "текст", "text",
                                "texto", "author", "authors", "autor", "autora", "autores", "auteur",
                                "auteurs"))


def is_byline_label(line: str) -> bool:
    """A byline word alone on its line ("Author:", "By"): the name is on the next line."""
    return len(line) <= 10 and bool(_LABEL_ONLY.match(line))


# A byline word where _BY can match it, in case-folded text: at the start or after a space or
# separator, and followed by a space or colon. Most lines have none, and then only the bare
# "Name - date" form is left to test. (Two regexes: one that opens with a character class scans
# fast, which "^|..." would prevent.)
_BY_WORDS_FOLDED = (r"(?:by|por|par|von|door|av|автор|авторы|текст|text|texto|authors?|autor(?:a|es)?"
                    r"|auteurs?)[\s:]")
# Every byline word holds one of these: a few substring tests rule out most lines faster than
# the regexes' scan, which tests a character class at each position.
BY_WORD_STEMS = ("by", "aut", "av", "por", "par", "von", "door", "text", "автор", "текст")
_BY_WORD_FIRST = re.compile(_BY_WORDS_FOLDED)
_BY_WORD_AFTER = re.compile(r"[\s|•·/:]" + _BY_WORDS_FOLDED)


def parse_byline(line: str, folded: str | None = None, has_digit: bool | None = None) -> list[str] | None:
    """Names in a byline line, or None when the line is not a byline.

    ``folded`` is the line case-folded and ``has_digit`` whether :data:`DIGIT_OR_HANDLE` finds
    anything in it, when the caller knows them already (the cleaner does).
    """
    if len(line) > 160 or line.count(" ") > 24:  # bylines are short
        return None
    line = line.strip()
    if has_digit is None:
        has_digit = DIGIT_OR_HANDLE.search(line) is not None
    folded = line.casefold() if folded is None else folded
    has_by = contains_any(folded, BY_WORD_STEMS) and (
        _BY_WORD_FIRST.match(folded) is not None or _BY_WORD_AFTER.search(folded) is not None)
    if not (has_by or has_digit):  # cheap tests first: most lines are neither form
        return None
    if _NOT_AUTHOR.match(line):  # "Photo by ...": a credit, not a byline
        return None
    start = _byline_start(line) if has_by else None
    if start is not None:
        return _names(line[start:]) or None
    if not has_digit:  # the bare "Name - date" form needs a date or handle
        return None
    match = _NAME_THEN_DATE.match(line)
    if match and (find_date(match.group("rest")) or match.group("rest").startswith("@")):
        name = clean_name(match.group("names"))
        return [name] if name else None
    return None
