"""Which lines of a capture a rule can match, found in one pass over all of its lines.

Some per-line rules cannot match a line without a trigger at a known place: the end rules match
at the line's start, the site-notice rule needs a privacy word. Testing every line costs a Python
call (and a regex call or a few substring tests) per line and rule; one search of all lines
joined together finds the few lines that qualify, and the rule itself then runs on those only.
A search must find every line where the rule could match (a superset is fine: the rule still
decides). Regex scans pay off only with a literal first character (a line break here): a scan
that tests a character class at every position costs as much as the per-line calls it saves.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate


class LineScan:
    """The lines of one capture joined into one text, for scans that name lines by index."""

    __slots__ = ("starts", "text")

    def __init__(self, lines: list[str]) -> None:
        # A line break before the first line too: a pattern that opens with a character class
        # containing "\n" then sees every line's start alike.
        self.text = "\n" + "\n".join(lines)
        # Where each line starts (and, last, the end): all in C, no Python step per line.
        self.starts = list(accumulate(map((1).__add__, map(len, lines)), initial=1))

    def lines_with(self, pattern: re.Pattern[str], offset: int = 0) -> set[int]:
        """Indexes of the lines where ``pattern`` finds a match (one that starts ``offset``
        characters before the line's own text, when the pattern opens with the character
        that precedes it)."""
        starts = self.starts
        return {bisect_right(starts, m.start() + offset) - 1 for m in pattern.finditer(self.text)}

    def lines_containing(self, needles: tuple[str, ...]) -> set[int]:
        """Indexes of the lines that hold any of ``needles`` (plain substrings, no line break):
        string searches, faster than a regex scan."""
        text, starts = self.text, self.starts
        found: set[int] = set()
        for needle in needles:
            at = text.find(needle)
            while at >= 0:
                line = bisect_right(starts, at) - 1
                found.add(line)
                at = text.find(needle, starts[line + 1])  # on from the next line
        return found

