"""MkDocs hook: front matter text that came from a capture or a sidecar is text, never HTML.

MkDocs renders its templates without autoescaping, and Material (like MkDocs' own themes)
prints ``page.title``, ``page.meta.title``, ``page.meta.description`` and tag names as they
are: in the header, the ``<title>``, the description ``<meta>``, the tag chips on each page,
the tags index and its table of contents. They are HTML to those templates. So this hook
turns the text into that HTML once, as soon as MkDocs has read a page's front matter and
before any plugin or template uses it: ``<script>`` in a title then shows as ``<script>``.

It runs first (priority 100; Material's tags plugin reads tags at -50). The pages in docs/
keep the plain text, so their front matter stays true to the capture for other tools.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape
from mkdocs.plugins import event_priority

ESCAPED_TEXT_KEYS = ("title", "description")
ESCAPED_LIST_KEYS = ("tags",)


def escape_meta(meta: dict[str, Any]) -> None:
    """HTML-escape, in place, the front matter values that themes print without escaping."""
    for key in ESCAPED_TEXT_KEYS:
        if isinstance(meta.get(key), str):
            meta[key] = str(escape(meta[key]))
    for key in ESCAPED_LIST_KEYS:
        values = meta.get(key)
        if isinstance(values, list):
            meta[key] = [str(escape(v)) if isinstance(v, str) else v for v in values]


@event_priority(100)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Escape this page's front matter text before the tags and search plugins read it."""
    escape_meta(page.meta)
    return markdown
