"""``archivist eval extraction``: score the readers and cleaner on a labelled set of captures.

The labelled set is given by path (it is never part of the project): a folder of captures named
``<id>.<ext>`` (``.txt``, ``.html``, ``.html.gz``...), a truth file of ``{id, url, body}`` JSON
lines and, optionally, a metadata file of ``{id, title, date, authors, site}`` JSON lines (what
publishers declared in their pages). It prints the benchmark's body F1/precision/recall, the
title/date/author/outlet accuracy, the time per capture and the worst pages.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from archivist.clean.template import stable_hash, template_keys
from archivist.evaluate import eval_group
from archivist.evaluate.metric import PageScore, score_corpus, score_page
from archivist.model import CaptureError, Story
from archivist.readers import capture_suffix, read_capture, reader_for

_WORD = re.compile(r"\w+")


def _norm(text: str | None) -> str:
    """Case, punctuation and spacing do not count when comparing titles and names."""
    return " ".join(_WORD.findall((text or "").casefold()))


def _load_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}:{number}: not JSON ({exc.msg})") from None
            records[str(record["id"])] = record
    return records


def _find_captures(folder: Path) -> dict[str, Path]:
    """Capture files by id (the file name without its capture extension)."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        suffix = capture_suffix(path.name)
        if suffix is not None:
            found.setdefault(path.name[: -len(suffix)], path)
    return found


def _declared_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        found = date.fromisoformat(value[:10])
    except ValueError:
        from archivist.clean.dates import find_date

        found = find_date(value)
    return found if found and found.year > 1900 else None


def _date_printed(capture_text: str, declared: date) -> bool:
    """Whether the capture prints the declared day (±1) in a form the date parser can read."""
    from archivist.clean.dates import find_dates

    return any(abs((found - declared).days) <= 1 for found in find_dates(capture_text))


_AUTHOR_PREFIX = re.compile(r"^(?:\w+\s+)?by\s+", re.IGNORECASE)


def _declared_names(authors: Iterable[str] | None) -> list[str]:
    """Declared author strings as names: "By ANN LEE, AP Writer" counts as "ann lee"."""
    names = []
    for author in authors or ():
        author = _AUTHOR_PREFIX.sub("", author.strip())
        author = re.split(r",|\.\s(?=[A-Z]\w+\s[A-Z])|\s\|\s", author)[0]
        if _norm(author):
            names.append(_norm(author))
    return names


@dataclass
class _Tally:
    """Right answers over eligible pages for one metadata field."""

    right: int = 0
    eligible: int = 0
    wrong: int = 0  # answered but wrong (worse than no answer)
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, answered: bool, note: str) -> None:
        self.eligible += 1
        self.right += ok
        if not ok:
            self.wrong += answered
            self.misses.append(note)

    def line(self, name: str, scope: str) -> str:
        share = self.right / self.eligible if self.eligible else 0.0
        return (f"{name:<8} {share:6.1%}  ({self.right}/{self.eligible} {scope}; "
                f"{self.wrong} wrong, {self.eligible - self.right - self.wrong} absent)")


@dataclass
class _Page:
    id: str
    url: str | None
    score: PageScore
    ms: float


def _capture_text(path: Path, raw: bytes) -> str:
    """The capture's visible text, to decide which metadata it prints at all."""
    from archivist.readers.decode import read_text

    if capture_suffix(path.name) in (".txt",):
        return read_text(raw)
    from archivist.readers.html import html_text

    return html_text(raw, path.name)


def _time_reader(path: Path, raw: bytes, repeat: int, template: frozenset[int]) -> float:
    """Best of ``repeat`` runs of the reader (decode + clean), in milliseconds."""
    reader = reader_for(path.name)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        reader(raw, template)
        best = min(best, time.perf_counter() - start)
    return best * 1000


@eval_group.command("extraction")
@click.option("--captures", "captures_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of captures named <id>.txt, <id>.html, <id>.html.gz ...")
@click.option("--truth", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON lines {id, url, body}: the true article bodies.")
@click.option("--meta", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="JSON lines {id, title, date, authors, site}: declared metadata to score against.")
@click.option("--url/--no-url", "use_url", default=True, show_default=True,
              help="Give each capture its truth URL as if from a sidecar (outlet from the URL's site).")
@click.option("--worst", default=10, show_default=True, help="How many of the worst pages to list.")
@click.option("--repeat", default=5, show_default=True,
              help="Time each capture this many times and keep the best (for the speed figures).")
@click.option("--misses", is_flag=True, help="List the pages each metadata field got wrong.")
@click.option("--template/--no-template", "use_template", default=False, show_default=True,
              help="Drop lines shared by text captures of the same site (grouped by truth URL host).")
def extraction(captures_dir: Path, truth: Path, meta: Path | None, use_url: bool, worst: int,
               repeat: int, misses: bool, use_template: bool) -> None:
    """Body F1/P/R, metadata accuracy, speed and worst pages of the cleaner on labelled captures."""
    truths = _load_jsonl(truth)
    metas = _load_jsonl(meta) if meta else {}
    captures = _find_captures(captures_dir)
    pages: list[_Page] = []
    title, day, authors, outlet = _Tally(), _Tally(), _Tally(), _Tally()
    templates = _site_templates(truths, captures) if use_template else {}
    missing = failed = 0
    for page_id, record in truths.items():
        path = captures.get(page_id)
        if path is None:
            missing += 1
            continue
        raw = path.read_bytes()
        url = record.get("url") if use_url else None
        template = templates.get(_host(record.get("url")), frozenset())
        try:
            story: Story | None = read_capture(raw, path.name, {"url": url} if url else None, template)
        except CaptureError:
            story, failed = None, failed + 1
        body = story.cleaned.body if story else ""
        ms = _time_reader(path, raw, repeat, template) if story else 0.0
        pages.append(_Page(page_id, record.get("url"), score_page(record.get("body", ""), body), ms))
        if page_id in metas and story is not None:
            _score_meta(metas[page_id], story, _capture_text(path, raw), page_id,
                        title, day, authors, outlet)
    if not pages:
        raise click.ClickException("no capture in the folder matches an id of the truth file")
    corpus = score_corpus(p.score for p in pages)
    times = sorted(p.ms for p in pages if p.ms)
    click.echo(f"{len(pages)} pages scored ({missing} without a capture, {failed} unreadable); "
               f"URL given as sidecar: {'yes' if use_url else 'no'}; "
               f"site template: {'yes' if use_template else 'no'}")
    click.echo(f"body     F1 {corpus.f1:.3f}  P {corpus.precision:.3f}  R {corpus.recall:.3f}")
    if metas:
        click.echo(title.line("title", "pages whose declared title is printed"))
        click.echo(day.line("date", "pages printing the declared day, ±1"))
        click.echo(authors.line("authors", "pages printing a declared author"))
        click.echo(outlet.line("outlet", "pages declaring a site name"))
    if times:
        p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
        click.echo(f"speed    median {statistics.median(times):.2f} ms, p90 {p90:.2f} ms, "
                   f"max {times[-1]:.2f} ms per capture (read + clean, best of {repeat})")
    if worst:
        click.echo(f"worst {min(worst, len(pages))} pages by body F1:")
        for page in sorted(pages, key=lambda p: p.score.f1)[:worst]:
            s = page.score
            click.echo(f"  {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}  {page.id}  {page.url or ''}")
    if misses and metas:
        for name, tally in (("title", title), ("date", day), ("authors", authors), ("outlet", outlet)):
            for note in tally.misses:
                click.echo(f"  {name} miss: {note}")


def _host(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def _site_templates(truths: dict[str, dict[str, Any]], captures: dict[str, Path]
                    ) -> dict[str, frozenset[int]]:
    """Hashes of each site's template lines, from its text captures in the set (by URL host)."""
    from archivist.readers.decode import read_text

    by_site: dict[str, list[str]] = {}
    for page_id, record in truths.items():
        path = captures.get(page_id)
        host = _host(record.get("url"))
        if path is not None and host and capture_suffix(path.name) == ".txt":
            try:
                by_site.setdefault(host, []).append(read_text(path.read_bytes()))
            except CaptureError:
                continue
    return {host: frozenset(stable_hash(k) for k in template_keys(texts))
            for host, texts in by_site.items() if len(texts) > 1}


def _score_meta(record: dict[str, Any], story: Story, text: str, page_id: str, title: _Tally,
                day: _Tally, authors: _Tally, outlet: _Tally) -> None:
    """Add one page's title/date/authors/outlet outcome to the tallies where it is eligible."""
    folded = _norm(text)
    short = page_id[:12]
    declared_title = _norm(record.get("title"))
    if declared_title and declared_title in folded:
        got = _norm(story.title)
        title.add(got == declared_title, bool(got), f"{short} got {story.title!r} want {record['title']!r}")
    declared_day = _declared_date(record.get("date"))
    if declared_day and _date_printed(text, declared_day):
        got_day = date.fromisoformat(story.date) if story.date else None
        ok = got_day is not None and abs((got_day - declared_day).days) <= 1
        day.add(ok, got_day is not None, f"{short} got {story.date} want {declared_day}")
    names = [n for n in _declared_names(record.get("authors")) if n and n in folded]
    if names:
        got_names = {_norm(a) for a in story.authors}
        ok = set(names) <= got_names  # the page may print co-authors its metadata leaves out
        authors.add(ok, bool(got_names), f"{short} got {story.authors} want {names}")
    site = _norm(record.get("site"))
    if site:
        got_site = _norm(story.outlet)
        squashed = got_site.replace(" ", "")
        ok = bool(got_site) and (got_site in site or site in got_site
                                 or squashed.split("com")[0] in site.replace(" ", ""))
        outlet.add(ok, bool(got_site), f"{short} got {story.outlet!r} want {record['site']!r}")
