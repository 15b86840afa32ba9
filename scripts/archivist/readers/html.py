"""Saved HTML pages (``.html``, ``.htm``, gzipped or not), read through trafilatura.

Trafilatura finds the article and its metadata in the page's markup; this module only turns its
result into our model. The body is kept twice: as plain paragraphs (for search, tags and the
benchmark) and as Markdown that keeps headings, lists, quotes and links. Every piece of page text
in that Markdown is escaped, so the page's text can never become markup of our site.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from lxml import etree

from archivist.clean.cleaner import tidy_blocks
from archivist.clean.language import detect_language
from archivist.clean.text import collapse_spaces
from archivist.generate.escape import escape_inline
from archivist.model import CaptureError, Cleaned

_GZIP_MAGIC = b"\x1f\x8b"
_HEADING_LEVEL = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}  # h1 is the page title
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_AUTHOR_SPLIT = re.compile(r"\s*;\s*")


def html_bytes(raw: bytes, name: str) -> bytes:
    """The page's bytes, gunzipped when the file is gzip (by name or by magic number)."""
    if name.lower().endswith(".gz") or raw.startswith(_GZIP_MAGIC):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise CaptureError(f"not a readable gzip file ({exc})") from None
    return raw


def html_text(raw: bytes, name: str) -> str:
    """All the visible text of a page (used to judge what metadata a page prints)."""
    import trafilatura

    return trafilatura.html2txt(html_bytes(raw, name)) or ""


def _extract(page: bytes):  # type: ignore[no-untyped-def]
    """Trafilatura's document, or None; precision first, then its defaults as a fallback."""
    import trafilatura  # imported here: it costs ~0.3 s and text-only archives never need it

    options = {"include_formatting": True, "include_links": True, "include_tables": True,
               "with_metadata": True, "include_comments": False}
    doc = trafilatura.bare_extraction(page, favor_precision=True, **options)
    if doc is None or doc.body is None or not doc.text:
        doc = trafilatura.bare_extraction(page, **options)
    return doc


def _text(element: etree._Element) -> str:
    return collapse_spaces("".join(element.itertext()))


def _inline(element: etree._Element) -> str:
    """An element's text as escaped Markdown: bold/italic marks and safe links are kept."""
    parts = [escape_inline(element.text or "")] if element.text else []
    for child in element:
        inner = _inline(child)
        if child.tag == "ref" and inner.strip():
            target = (child.get("target") or "").strip()
            if target.startswith(_SAFE_SCHEMES):
                target = target.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
                inner = f"[{inner.strip()}]({target})"
        elif child.tag == "hi" and inner.strip():
            mark = {"#b": "**", "#i": "*"}.get(child.get("rend", ""), "")
            inner = f"{mark}{inner.strip()}{mark}" if mark else inner
        elif child.tag == "lb":
            inner = " "
        parts.append(inner)
        if child.tail:
            parts.append(escape_inline(child.tail))
    return re.sub(r"\s+", " ", "".join(parts))


_ORDERED = re.compile(r"^(\d+)([.)])")


def _guard_block(markdown: str) -> str:
    """Escape what would make a paragraph's first characters a heading, list or admonition."""
    ordered = _ORDERED.match(markdown)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{markdown[ordered.end():]}"
    return "\\" + markdown if markdown[:1] in "#+-!" else markdown


def _blocks(body: etree._Element) -> Iterator[tuple[str, str, str]]:
    """``(kind, plain text, Markdown)`` for each block of the body, in order."""
    for element in body:
        tag = element.tag
        if tag in ("list",):
            ordered = element.get("rend") == "ol"
            for number, item in enumerate(element.iter("item"), 1):
                text = _text(item)
                if text:
                    mark = f"{number}." if ordered else "-"
                    yield "item", text, f"{mark} {_inline(item).strip()}"
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_text(cell) for cell in row.iter("cell")]
                text = " | ".join(c for c in cells if c)
                if text:
                    yield "row", text, _guard_block(escape_inline(text))
        elif tag == "quote":
            text = _text(element)
            if text:
                yield "quote", text, "> " + _inline(element).strip()
        elif tag == "head":
            text = _text(element)
            if text:
                level = _HEADING_LEVEL.get(element.get("rend", ""), 3)
                yield "head", text, "#" * level + " " + _inline(element).strip()
        elif tag == "div":
            yield from _blocks(element)
        else:
            text = _text(element)
            if text:
                yield "p", text, _guard_block(_inline(element).strip())


# Between a page's headline and its site's name in a document title: "Headline | Site",
# "Headline - Site", "Site: Headline".
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»/]\s+|\s*[|｜]\s*|:\s+")
HEADLINE_MAX_WORDS = 30  # an <h1> longer than this is not a headline
HEADLINE_MIN_WORDS = 3  # ... nor one shorter ("Guides", "World News"), unless in an unspaced script
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def site_names(sitename: str | None, url: str | None) -> set[str]:
    """Squashed forms of the names a page's site goes by: its declared name, its host name and the
    host's first label ("News Nation" for newsnation.in, "9to5Mac" for 9to5mac.com)."""
    names = {_squash(sitename)} if sitename else set()
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    if host:
        names |= {_squash(host), _squash(host.split(".")[0])}
    return {name for name in names if name}


def strip_site_name(title: str, names: set[str]) -> str:
    """The title without the site's name before or after it ("Headline | Site" gives "Headline")."""
    for _ in range(2):  # "Site: Headline - Site"
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            break
        last, first = separators[-1], separators[0]
        if _squash(title[last.end():]) in names and _squash(title[:last.start()]):
            title = title[:last.start()].strip()
        elif _squash(title[:first.start()]) in names and _squash(title[first.end():]):
            title = title[first.end():].strip()
        else:
            break
    return title


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def choose_title(title: str | None, headings: Iterable[str], names: set[str]) -> str | None:
    """The article's headline, from the page's metadata title and its ``<h1>`` headings.

    Metadata titles (``<title>``, ``og:title``) often carry the site's name or a section label,
    and sometimes an SEO wording that the page does not print; the ``<h1>`` is what the page shows
    as the headline. A single headline-like ``<h1>`` wins; among several, the one that shares most
    of its words with the metadata title, if it shares at least half. Otherwise the metadata title,
    without the site's name.
    """
    stripped = strip_site_name(title, names) if title else None
    candidates = []
    for heading in dict.fromkeys(collapse_spaces(h) for h in headings):
        words = len(heading.split())
        long_enough = words >= HEADLINE_MIN_WORDS or (len(heading) >= 10 and _UNSPACED_SCRIPT.search(heading))
        if long_enough and words <= HEADLINE_MAX_WORDS and len(heading) <= 300 \
                and _squash(heading) not in names:
            candidates.append(heading)
    if not candidates or (stripped and any(_same(h, stripped) for h in candidates)):
        return stripped
    if len(candidates) == 1 or not stripped:
        return candidates[0]
    title_words = _words(stripped)
    best = max(candidates, key=lambda h: len(_words(h) & title_words) / max(1, len(_words(h))))
    return best if len(_words(best) & title_words) >= 0.5 * len(_words(best)) else stripped


def _headings(page: bytes) -> list[str]:
    """The text of the page's ``<h1>`` elements (the page parsed with trafilatura's decoding)."""
    from trafilatura import load_html

    tree = load_html(page)
    if tree is None:
        return []
    return [" ".join(h.text_content().split()) for h in tree.iter("h1")]


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and collapse_spaces(a).casefold() == collapse_spaces(b).casefold()  # type: ignore[union-attr]


def read_html(raw: bytes, name: str = "page.html") -> Cleaned:
    """Extract the article of a saved page into a :class:`Cleaned` story."""
    page = html_bytes(raw, name)
    doc = _extract(page)
    if doc is None or doc.body is None:
        raise CaptureError("no article text found in the page")
    title = choose_title(collapse_spaces(doc.title) if doc.title else None, _headings(page),
                         site_names(doc.sitename, doc.url))
    blocks = list(_blocks(doc.body))
    # The page's own headline and dek open the body in trafilatura's output; they are metadata.
    while blocks and blocks[0][0] in ("head", "p") and (
        _same(blocks[0][1], doc.title) or _same(blocks[0][1], doc.description)
    ):
        blocks.pop(0)
    if blocks and blocks[0][0] == "head" and _same(blocks[0][1], title):  # the <h1> chosen as title
        blocks.pop(0)
    tidy = tidy_blocks([text for _, text, _ in blocks])
    kept = [block for block, keep in zip(blocks, tidy.keep, strict=True) if keep]
    out = Cleaned(
        title=title,
        description=collapse_spaces(doc.description) if doc.description else None,
        authors=[a for a in _AUTHOR_SPLIT.split(doc.author or "") if a],
        date=doc.date[:10] if doc.date else None,
        outlet=collapse_spaces(doc.sitename) if doc.sitename else None,
        url=doc.url or None,
        paragraphs=[text for kind, text, _ in kept if kind != "head"],
        related_titles=tidy.related_titles,
        images=tidy.images,
        update_note=tidy.update_note,
    )
    out.markdown = "\n\n".join(markdown for _, _, markdown in kept)
    out.language = detect_language(out.body or (out.title or ""))
    return out
