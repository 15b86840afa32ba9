"""Publication dates as printed in bylines and datelines ("Nov. 19, 2019 8:03 am ET").

Only absolute dates count: "3 hours ago" names no day, and a wrong date is worse than none.
"""

from __future__ import annotations

import re
from datetime import date

from archivist.clean.text import contains_any

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janeiro janvier enero gennaio januar januari январь января",
        "february feb fevereiro février fevrier febrero febbraio februar februari февраль февраля",
        "march mar março marco mars marzo märz maart март марта",
        "april apr abril avril aprile апрель апреля",
        "may mai maio mayo maggio mei май мая",
        "june jun junho juin junio giugno juni июнь июня",
        "july jul julho juillet julio luglio juli июль июля",
        "august aug agosto août aout augustus август августа",
        "september sep sept setembro septembre septiembre settembre сентябрь сентября",
        "october oct outubro octobre octubre ottobre oktober октябрь октября",
        "november nov novembro novembre noviembre ноябрь ноября",
        "december dec dezembro décembre decembre diciembre dicembre dezember декабрь декабря",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

MONTHS = frozenset(_MONTHS)  # month names and abbreviations, lower case, in the known languages
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Characters that a case-insensitive regex takes for these lower-case letters besides their
# upper case (long s, Kelvin sign, dotless and dotted i, old Cyrillic letter forms); a test scans
# every code point to prove the month regex's first-letter class complete.
CASE_EXTRAS = {"s": "ſ", "k": "\u212a", "i": "ıİ", "д": "\u1c81", "о": "\u1c82", "с": "\u1c83"}


def _month_word() -> str:
    """``(?i:\b(?:{_MONTH}))`` as a regex that opens with a case-sensitive character class.

    The same matches, but the engine can skip every position where no month's first letter (in
    any case) stands instead of trying ~100 names there. Each first letter's names keep their
    order; a case-insensitive lookbehind checks which letter was taken.
    """
    names = sorted(_MONTHS, key=len, reverse=True)
    firsts = list(dict.fromkeys(name[0] for name in names))
    letters = {c for f in firsts for c in (f, f.upper(), *CASE_EXTRAS.get(f, ""))}
    branches = "|".join(
        f"(?<={re.escape(f)})(?:{'|'.join(re.escape(n[1:]) for n in names if n[0] == f)})" for f in firsts
    )
    return rf"[{''.join(sorted(letters))}](?<!\w.)(?i:{branches})"


_YEAR = r"(?P<y>(?:19|20)\d{2})"
# Each pattern with the characters it cannot match without (a cheap test skips the pattern).
_PATTERNS = [
    # 2019-11-19, 2019/11/19, 2019.11.19
    (re.compile(rf"\b{_YEAR}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})\b"), ("-", "/", ".")),
    # Nov. 19, 2019 / November 19th 2019
    (re.compile(rf"(?P<mon>{_month_word()})\.?\s+(?P<d>\d{{1,2}})(?i:st|nd|rd|th)?,?\s+{_YEAR}\b"),
     ()),
    # 19 November 2019 / 19. November 2019 / 19 de novembro de 2019 / 19 ноября 2019 г.
    (re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<mon>{_MONTH})\.?,?\s+(?:de\s+)?"
        rf"{_YEAR}\b",
        re.IGNORECASE,
    ), ()),
    # 2019年11月19日
    (re.compile(rf"{_YEAR}\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"), ("年",)),
    # 19.11.2019 (day first, as written in most of Europe)
    (re.compile(rf"\b(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{_YEAR}\b"), (".",)),
    # 11/19/2019 (month first when the day cannot be a month; US order otherwise)
    (re.compile(rf"\b(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/{_YEAR}\b"), ("/",)),
    # 11/19/19 06:56 AM: a two-digit year counts only when a time of day follows
    (re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<yy>\d{2})\s+\d{1,2}:\d{2}\b"), ("/",)),
]


def _build(groups: dict[str, str | None]) -> date | None:
    year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])  # type: ignore[arg-type]
    if groups.get("mon"):
        month = _MONTHS.get(groups["mon"].lower().rstrip("."))  # type: ignore[union-attr]
        day = int(groups["d"])  # type: ignore[arg-type]
    elif groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])  # type: ignore[arg-type]
        month, day = (b, a) if a > 12 else (a, b)
    else:
        month, day = int(groups["m"]), int(groups["d"])  # type: ignore[arg-type]
    try:
        return date(year, month, day) if month else None
    except ValueError:
        return None


def find_date(line: str) -> date | None:
    """The first absolute calendar date printed in a line, or None."""
    best: tuple[int, date] | None = None
    for pattern, needles in _PATTERNS:
        if needles and not contains_any(line, needles):
            continue
        for match in pattern.finditer(line):
            found = _build(match.groupdict())
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
            if found:
                break
    return best[1] if best else None


def find_dates(text: str) -> list[date]:
    """Every absolute calendar date printed anywhere in ``text``, in no particular order."""
    found = []
    for pattern, _ in _PATTERNS:
        for match in pattern.finditer(text):
            day = _build(match.groupdict())
            if day:
                found.append(day)
    return found


_DATELINE_HINT = re.compile(
    r"\b(?:published|posted|updated|last updated|on|publicado|atualizado|veröffentlicht|"
    r"publiziert|aktualisiert|publié|mis à jour|опубликовано|обновлено)\b|\d{1,2}:\d{2}",
    re.IGNORECASE,
)


_TWO_DIGITS = re.compile(r"\d\d")
_HAS_YEAR = re.compile(r"(?:19|20)\d\d|/\d\d\s+\d{1,2}:\d\d")


def looks_like_dateline(line: str) -> bool:
    """A short line whose business is the date (not a sentence that mentions one)."""
    if len(line) > 120 or not _TWO_DIGITS.search(line) or not _HAS_YEAR.search(line) \
            or find_date(line) is None:
        return False
    return len(line) < 50 or bool(_DATELINE_HINT.search(line))
