"""A story page's search record, read from its Markdown page in ``docs/``, as minimal HTML.

Pagefind indexes these instead of the built site, so the index can be built while MkDocs is
still rendering (MkDocs is single-threaded; the machine's other cores are idle). Rendering the
Markdown again with Python-Markdown would cost as much as MkDocs' own rendering (8-17 ms a
page measured), so the text comes from the page's front matter and a light reading of its body:
the record holds what a reader searches the page for (title, dek, outlet, date, authors, tags,
update note, image captions and credits, the article text), not the lists of other stories'
titles under it (related, linked from, versions), which would make a query match pages that only
link to a story.

The HTML carries the same Pagefind attributes as the story page (title from the ``<h1>``,
``outlet`` and ``date`` meta, ``outlet`` filter), so results look the same.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader  # libyaml: ~1 ms a page
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Sections the generator appends after the article: other stories' titles and the versions list.
LINK_SECTIONS = frozenset({"Related coverage", "Related stories", "Linked from", "Versions"})
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes (ASCII punctuation)
_ATTR_LINE = re.compile(r"^\{:?\s*[.#\w][^{}]*\}\s*$")  # an attr_list line: "{ .archivist-meta }"
_ATTRS = re.compile(r"\{:?\s*[.#\w][^{}\n]*=?[^{}\n]*\}")  # inline attr_list after a span or link
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # [text](url) -> text
_MARKER = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-+*]\s+|\d+[.)]\s+)")  # block markers
_EMPHASIS = re.compile(r"[*_`]")  # left after escapes are hidden: emphasis and code marks
_TAG = re.compile(r"<[^>]+>")
# Punctuation of ASCII, Latin-1 and the General Punctuation block (quotes, dashes, ellipses)
_PUNCTUATION = re.compile("[" + re.escape("".join(
    chr(i) for i in [*range(0x100), *range(0x2000, 0x2070)]
    if unicodedata.category(chr(i)).startswith("P"))) + "]")
_MARKS = re.compile(r"[\u0300-\u036f]")  # combining diacritics, once NFD has split them off
_PLACEHOLDER = "\x00{}\x01"
_RESTORE = re.compile("\x00(\\d+)\x01")


def split_page(text: str) -> tuple[dict[str, Any], str]:
    """Front matter and body of a MkDocs page; no (or unreadable) front matter: ``{}``."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            try:
                meta = yaml.load(text[4:end], Loader=_Loader)  # a safe loader
            except yaml.YAMLError:
                meta = None
            if isinstance(meta, dict):
                return meta, text[end + 5:]
    return {}, text


def markdown_text(line: str) -> str:
    """The words a reader sees in one line of the generator's Markdown: escapes, emphasis,
    link targets and attribute lists removed, entities decoded."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group(1))
        return _PLACEHOLDER.format(len(kept) - 1)

    line = _ESCAPED.sub(hide, line)
    line = _MARKER.sub("", line)
    line = _ATTRS.sub("", _LINK.sub(r"\1", line))
    line = _EMPHASIS.sub("", line)
    line = _RESTORE.sub(lambda m: kept[int(m.group(1))], line)
    return html.unescape(line).strip()


def article_blocks(body: str) -> list[str]:
    """The article's paragraphs: the body without the generator's labelled blocks (tag chips,
    title, dek, meta line, images: taken from the front matter instead), the link sections at
    its end and the raw-capture line."""
    cut = body.rfind("\n---\n")
    if cut != -1 and ".archivist-capture" in body[cut:]:
        body = body[:cut]
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", body) if b.strip()]
    # The link sections come last: drop them from the end while they are known ones.
    heading = None
    for n in range(len(blocks) - 1, -1, -1):
        if blocks[n].startswith("## "):
            if blocks[n][3:].strip() not in LINK_SECTIONS:
                break
            heading = n
    if heading is not None:
        blocks = blocks[:heading]
    out = []
    for block in blocks:
        lines = block.split("\n")
        if _ATTR_LINE.match(lines[-1]) or (len(lines) == 1 and lines[0].startswith("# ")):
            continue  # a labelled block (chips, dek, meta, image, update) or the title
        text = " ".join(filter(None, (markdown_text(line) for line in lines)))
        if text:
            out.append(text)
    return out


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        return [str(v) for v in value if isinstance(v, str | int | float)]
    return []


def human_date(iso: str) -> str:
    """The date as the story page prints it (generate/story_page.py), so "March 2019" matches."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def record_html(text: str, language: str = "en", fallback_title: str = "") -> str:
    """Minimal HTML of a story page's search record, from the page's Markdown source."""
    meta, body = split_page(text)
    esc = html.escape
    title = str(meta.get("title") or "").strip()
    if not title:
        heading = re.search(r"^# (.+)$", body, re.M)
        title = markdown_text(heading.group(1)) if heading else fallback_title
    parts = [f"<h1>{esc(title)}</h1>"]
    if isinstance(meta.get("description"), str):
        parts.append(f"<p>{esc(meta['description'])}</p>")
    line = ["Unknown outlet", "undated"]  # as the page's meta line reads without them
    outlet = meta.get("outlet")
    if isinstance(outlet, str) and outlet:
        line[0] = f'<span data-pagefind-meta="outlet" data-pagefind-filter="outlet">{esc(outlet)}</span>'
    day = meta.get("date")
    day = day.isoformat() if hasattr(day, "isoformat") else day
    if isinstance(day, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        # No data-pagefind-sort: the search box orders by relevance, and a sort list costs
        # about 10 KB of every shard's metadata (pf_meta) at 6,000 pages, on every first search.
        line[1] = f'<span data-pagefind-meta="date:{day}">{esc(human_date(day))}</span>'
    authors = _texts(meta.get("authors"))
    if authors:
        line.append("By " + esc(", ".join(authors)))
    parts.append("<p>" + " · ".join(line) + "</p>")
    if isinstance(meta.get("update_note"), str):
        parts.append(f"<p>{esc(meta['update_note'])}</p>")
    images = meta.get("images") or ([meta["image"]] if isinstance(meta.get("image"), Mapping) else [])
    for image in images if isinstance(images, list) else []:
        if isinstance(image, Mapping):
            caption = " ".join(_texts([image.get("caption"), image.get("credit")]))
            if caption:
                parts.append(f"<p>{esc(caption)}</p>")
    parts += [f"<p>{esc(block)}</p>" for block in article_blocks(body)]
    tags = _texts(meta.get("tags"))
    if tags:
        parts.append("<p>" + esc(" · ".join(tags)) + "</p>")
    return (f'<!doctype html><html lang="{esc(language)}"><head><meta charset="utf-8"></head>'
            f"<body>{''.join(parts)}</body></html>")


def record_words(record: str) -> set[str]:
    """The distinct words of a record's text (its HTML without tags) much as the search box
    compares them with Pagefind's index (archivist-search.js, ``indexForm``): no diacritics,
    lower case, no punctuation, letters and digits only. Whole-text passes: a word at a time
    would cost more than writing the record."""
    text = html.unescape(_TAG.sub(" ", record)).lower()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return {w for w in set(_PUNCTUATION.sub("", text).split()) if w.isalnum()}


def write_records(pages: Iterable[tuple[str, str]], site: Path, language: str = "en",
                  words: Counter[str] | None = None) -> int:
    """Write each ``(markdown source, built page path)`` as a record at that path under ``site``
    (so Pagefind gives it the built page's URL); return how many were written. With ``words``,
    count there how many records hold each word (the search box tries rare words first)."""
    count = 0
    for source, dest in pages:
        target = site / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        text = Path(source).read_text(encoding="utf-8", errors="replace")
        record = record_html(text, language, Path(source).stem)
        target.write_text(record, encoding="utf-8")
        if words is not None:
            words.update(record_words(record))
        count += 1
    return count
