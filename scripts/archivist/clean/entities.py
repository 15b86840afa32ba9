"""First-pass tags: names of people, organisations and places the story repeats."""

from __future__ import annotations

import re
from collections import Counter

# Two to four capitalised words in a row ("Qasem Soleimani", "Quds Force", "Middle East").
_NAME_RUN = re.compile(
    r"\b[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-’'][A-Za-z]+)?){1,3}\b"
)
_STOP_FIRST = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "When", "While", "After",
    "Before",
    "This", "That", "These", "Those", "It", "He", "She", "They", "We", "Its", "His", "Her", "Their",
    "As", "For", "From", "With", "By", "To", "Of", "Last", "Next", "Then", "Mr", "Mrs", "Ms", "Dr",
    "Sen", "Rep", "Gen", "Gov", "President", "General", "Secretary", "Related", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Just", "Several", "Some", "Many",
}
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"}


def _strip_leading_stop_words(name: str) -> str:
    words = name.split()
    while words and (words[0] in _STOP_FIRST or words[0] in _MONTHS):
        words.pop(0)
    return " ".join(words)


def name_tags(paragraphs: list[str], limit: int = 8) -> list[str]:
    """Multi-word proper names mentioned at least twice, most frequent first."""
    counts: Counter[str] = Counter()
    for paragraph in paragraphs:
        for match in _NAME_RUN.finditer(paragraph):
            name = _strip_leading_stop_words(match.group(0))
            if len(name.split()) >= 2:
                counts[name] += 1
    tags = [name for name, n in counts.most_common() if n >= 2]
    return sorted(tags[:limit], key=lambda t: (-counts[t], t))
