"""``archivist eval related``: recall@5 of related stories on a labelled corpus, through the product.

The corpus (JSON lines: id, title, date, source, url, authors, body) is written out as text
captures with sidecars in a temporary project, ingested by the real pipeline, and the related
stories are read back from the pages' front matter. For every labelled article A and every other
article B of its story, it is a hit when B's page is among A's page's related stories; recall@5
is hits over pairs. ``--fast`` skips the files and the cleaner (stories built straight from the
corpus, then the same link stage), for quick iteration on the linking alone.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import frontmatter
import yaml

from archivist import pipeline
from archivist.config import ArchiveConfig
from archivist.evaluate import eval_group
from archivist.link.archive import link_archive
from archivist.model import Capture, Cleaned, Story
from archivist.pipeline import linking

TOP = 5


def read_corpus(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def iso_date(value: str | None) -> str | None:
    """The corpus writes dates as YYYY-MM-DD, M/D/YY or nothing; sidecars take ISO dates."""
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y"):
        try:
            return datetime.strptime(value[:10] if fmt == "%Y-%m-%d" else value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]


def _authors(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").split(",") if a.strip()]


def write_captures(rows: list[dict[str, Any]], sources: Path) -> dict[str, str]:
    """One capture (headline, byline, body) and one sidecar per article; id -> capture path."""
    sources.mkdir(parents=True, exist_ok=True)
    out = {}
    for row in rows:
        name = f"{row['id']}.txt"
        lines = [row["title"].strip(), ""]
        if _authors(row.get("authors")):
            lines += ["By " + ", ".join(_authors(row.get("authors"))), ""]
        lines += [p + "\n" for p in _paragraphs(row["body"])]
        (sources / name).write_text("\n".join(lines), encoding="utf-8")
        side = {"title": row["title"].strip(), "outlet": row.get("source") or None,
                "url": row.get("url") or None, "authors": _authors(row.get("authors")),
                "date": iso_date(row.get("date"))}
        (sources / f"{row['id']}.yml").write_text(
            yaml.safe_dump({k: v for k, v in side.items() if v}, allow_unicode=True), encoding="utf-8"
        )
        out[row["id"]] = f"sources/{name}"
    return out


def read_related(docs: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """From the written pages: capture path -> page, and page -> its related pages in order."""
    page_of: dict[str, str] = {}
    related: dict[str, list[str]] = {}
    for path in sorted((docs / "stories").rglob("*.md")):
        page = path.relative_to(docs).as_posix()
        meta = frontmatter.load(path).metadata
        page_of[meta["capture"]["path"]] = page
        for version in meta.get("versions", []):
            page_of[version["capture"]] = page
        related[page] = [r["path"] for r in meta.get("related", [])]
    return page_of, related


def recall_at(stories: dict[str, list[str]], page_of: dict[str, str], related: dict[str, list[str]],
              top: int = TOP) -> tuple[float, int, int, int]:
    """(recall, hits, pairs, pairs merged into one page) over labelled pairs found in page_of."""
    hits = pairs = merged = 0
    for ids in stories.values():
        for a in ids:
            for b in ids:
                if a == b or a not in page_of or b not in page_of:
                    continue
                pairs += 1
                if page_of[a] == page_of[b]:
                    merged += 1  # counted as a miss: two articles should be two pages
                elif page_of[b] in related.get(page_of[a], [])[:top]:
                    hits += 1
    return (hits / pairs if pairs else 0.0), hits, pairs, merged


def _stories_from_rows(rows: list[dict[str, Any]]) -> Iterator[Story]:
    for row in rows:
        paragraphs = _paragraphs(row["body"])
        path = f"sources/{row['id']}.txt"
        yield Story(
            capture=Capture(path, f"{row['id']:0>64}"[-64:], 0), title=row["title"].strip(),
            cleaned=Cleaned(title=row["title"], paragraphs=paragraphs), date=iso_date(row.get("date")),
            outlet=row.get("source") or None, url=row.get("url") or None,
            authors=_authors(row.get("authors")),
        )


@eval_group.command("related")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="JSON lines (optionally .gz): id, title, date, source, url, authors, body.")
@click.option("--stories", "stories_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help='JSON {"stories": {key: [id, ...]}}: articles about one event.')
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder to write captures and pages into [default: a temporary one].")
@click.option("--limit", type=int, default=None, help="Only the first N articles (scale runs).")
@click.option("--fast", is_flag=True,
              help="Link stories built straight from the corpus: no captures, cleaner or pages.")
def related_command(corpus: Path, stories_file: Path, workdir: Path | None, limit: int | None,
                    fast: bool) -> None:
    """Recall@5 of same-story articles among each article's related stories."""
    rows = read_corpus(corpus, limit)
    labels = json.loads(stories_file.read_text(encoding="utf-8"))["stories"]
    click.echo(f"{len(rows)} articles, {len(labels)} labelled stories", err=True)
    timings: dict[str, float] = {}
    if fast:
        start = time.perf_counter()
        linked = link_archive(list(_stories_from_rows(rows)))
        timings["link"] = time.perf_counter() - start
        page_of = {f"sources/{row['id']}.txt": "" for row in rows}
        page_of = {k: linked.paths[k] for k in page_of if k in linked.paths}
        related = {page: [r.path for r in links.related] for page, links in linked.pages.items()}
    else:
        with tempfile.TemporaryDirectory(prefix="archivist-eval-related-") as tmp:
            root = workdir or Path(tmp)
            start = time.perf_counter()
            write_captures(rows, root / "sources")
            timings["write captures"] = time.perf_counter() - start
            original = linking.link_archive

            def timed(stories: list[Story], *args: Any, **kwargs: Any) -> Any:
                begin = time.perf_counter()
                try:
                    return original(stories, *args, **kwargs)
                finally:
                    timings["link (inside ingest)"] = time.perf_counter() - begin

            linking.link_archive = timed  # measure the link stage of the real ingest
            try:
                start = time.perf_counter()
                summary = pipeline.ingest(ArchiveConfig.at(root), progress=False, prune=True)
                timings["ingest"] = time.perf_counter() - start
            finally:
                linking.link_archive = original
            for path, reason in summary.skipped[:10]:
                click.echo(f"  skipped {path}: {reason}", err=True)
            page_of, related = read_related(root / "docs")
    by_id = {row["id"]: f"sources/{row['id']}.txt" for row in rows}
    pages_by_id = {i: page_of[p] for i, p in by_id.items() if p in page_of}
    recall, hits, pairs, merged = recall_at(labels, pages_by_id, related)
    for name, seconds in timings.items():
        click.echo(f"{name}: {seconds:.1f} s", err=True)
    with_related = sum(1 for r in related.values() if r)
    click.echo(f"pages: {len(related)}, with related stories: {with_related}; "
               f"labelled pairs merged into one page: {merged}", err=True)
    click.echo(f"recall@{TOP}: {recall:.4f} ({hits}/{pairs} pairs)")
