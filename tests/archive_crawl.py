"""Following the archive's own pages as a reader would: from an index, through every page of
every list, counting the stories listed. Used on pages on disk and on pages in memory."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from archivist.generate.paths import STORIES_DIR

_LINK = re.compile(r"\]\(([^()\s]+\.md)\)")


@dataclass
class Crawl:
    """The archive pages reached, and how many times each story page is listed on them."""

    pages: list[str] = field(default_factory=list)
    stories: Counter[str] = field(default_factory=Counter)


def crawl(read: Callable[[str], str | None], start: str, folders: tuple[str, ...]) -> Crawl:
    """Every page reachable from ``start`` through links into ``folders``; links are resolved
    relative to the page they are on, as MkDocs does, and a link to a missing page fails."""
    out = Crawl()
    todo, seen = [start], {start}
    while todo:
        page = todo.pop()
        text = read(page)
        assert text is not None, f"{page} is linked but missing"
        out.pages.append(page)
        for link in _LINK.findall(text):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
            if target.startswith(STORIES_DIR + "/"):
                out.stories[target] += 1
            elif target.split("/")[0] in folders and target not in seen:
                seen.add(target)
                todo.append(target)
    return out
