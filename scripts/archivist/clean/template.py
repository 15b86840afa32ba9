"""Site template across captures: lines that recur in several captures of one outlet.

A page's menus, footers, newsletter pitches and "about us" paragraphs are the same on every
article of a site, while its story is not. When an archive holds several captures of one outlet,
the lines they share are template and can never be body text. This needs all captures at once,
so it is a separate pass: the caller groups captures by outlet (sidecar URL's site, folder...),
calls :func:`template_keys` on each group and hands the result to
:func:`archivist.clean.clean_text` for each capture of the group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from archivist.clean.text import split_lines

MIN_CAPTURES = 2  # a line seen in this many different stories of one outlet is template
STORY_LINES = 3  # captures whose longest lines are all the same hold the same story


def line_key(line: str) -> str:
    """The comparison key of a line whose spacing is already collapsed (as the cleaner uses)."""
    return line.casefold()


def template_keys(texts: Iterable[str], min_captures: int = MIN_CAPTURES) -> frozenset[str]:
    """Keys of the lines that recur in at least ``min_captures`` different stories.

    Two captures of the same story (same three longest lines) count once, so that a story
    archived twice does not turn its own paragraphs into template.
    """
    seen_stories: set[tuple[str, ...]] = set()
    counts: Counter[str] = Counter()
    for text in texts:
        lines = split_lines(text)
        if not lines:
            continue
        story = tuple(sorted(sorted(lines, key=len)[-STORY_LINES:]))
        if story in seen_stories:
            continue
        seen_stories.add(story)
        counts.update({line_key(line) for line in lines})
    return frozenset(key for key, n in counts.items() if n >= min_captures)
