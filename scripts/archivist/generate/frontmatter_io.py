"""Front matter in and out, with python-frontmatter, plus the digest that marks a generated page.

The digest is the sha256 of the page without its own ``archivist_digest`` line. A page whose
text no longer matches its digest was edited by hand, and ingest leaves it alone.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import frontmatter

DIGEST_KEY = "archivist_digest"
_DIGEST_LINE = re.compile(rf"^{DIGEST_KEY}: ([0-9a-f]{{64}})\n", re.MULTILINE)


def render(meta: dict[str, Any], body: str) -> str:
    """A page: YAML front matter (keys in the given order) then the Markdown body."""
    post = frontmatter.Post(body, **meta)
    text = frontmatter.dumps(post, sort_keys=False, width=100_000) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    head, sep, rest = text.partition("\n---\n")  # the line closing the front matter
    return f"{head}\n{DIGEST_KEY}: {digest}{sep}{rest}"


def _digest_match(text: str) -> re.Match[str] | None:
    """The digest line, looked for only inside the front matter block.

    The body holds capture text, which may contain a line that looks like a digest; only the
    line Archivist wrote between the ``---`` fences counts.
    """
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    return _DIGEST_LINE.search(text, 0, end + 1)


def recorded_digest(text: str) -> str | None:
    match = _digest_match(text)
    return match.group(1) if match else None


def is_untouched(text: str) -> bool:
    """True when a page is exactly as Archivist generated it (no hand edits since)."""
    match = _digest_match(text)
    if not match:
        return False
    without = text[: match.start()] + text[match.end():]
    return hashlib.sha256(without.encode("utf-8")).hexdigest() == match.group(1)


def read_meta(text: str) -> dict[str, Any]:
    return dict(frontmatter.loads(text).metadata)
