"""MkDocs hook: each tag chip at the top of a story page links to the tag's own page.

Material's tags plugin links a chip only to a *listing* (a ``<!-- material/tags -->`` directive
on some page) that features the tag, and a listing prints every page with the tag. At archive
scale that is what must not happen: a tag's listing grows with the archive, and the plugin
matches every listing against every page (pages x tags). So the archive has no listings: its
tag pages are paginated lists that ingest writes (:func:`archivist.generate.archive_pages.
tags_pages`), and this hook gives each chip the link the plugin would have given it.

Each tag's first page says which tag it is in its front matter (``tag:``). MkDocs reads every
page (``on_page_markdown``) before it renders any (``on_page_context``), so by the time a story
page is rendered every tag page is known. Under ``mkdocs serve --dirty`` only re-read pages are
known, exactly as with Material's own listings.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Link

# archive_pages.TAGS_DIR, repeated (a test checks they agree): importing archive_pages would load
# the linking stage and scikit-learn into every build, 1.3 s and 100 MB for one string.
TAGS_DIR = "tag"

_PAGES: dict[str, str] = {}  # tag as the tags plugin holds it (HTML-escaped) -> page URL


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Remember the URL of each tag's first page."""
    tag = page.meta.get("tag")
    if isinstance(tag, str) and page.file.src_uri.startswith(f"{TAGS_DIR}/"):
        # site_safety.py escapes the ``tags`` of every page before the tags plugin reads them,
        # so the plugin's tag names are escaped text: key the map the same way.
        _PAGES[str(escape(tag))] = page.url
    return markdown


@event_priority(-100)  # after the tags plugin has put the page's tags into the context
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Point each of the page's tag chips at its tag page (first page, where the list starts)."""
    for ref in context.get("tags") or ():
        url = _PAGES.get(getattr(ref, "name", None) or "")
        if url and hasattr(ref, "links") and not ref.links:
            ref.links.append(Link(ref.name, url))
    return context
