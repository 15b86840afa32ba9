"""Ingest: every capture in ``sources/`` becomes a page in ``docs/``; the I/O lives here.

Reading and cleaning one capture is a pure function (:func:`clean_one`), so the expensive part
can run in any order or in parallel; paths, links and archive pages need all stories at once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from archivist import site_template
from archivist.cache import CleanCache, job_key
from archivist.clean.template import template_lines
from archivist.config import ArchiveConfig
from archivist.executors import Runner, batched
from archivist.generate.archive_pages import home_page, outlets_page, tags_page, timeline_page
from archivist.generate.frontmatter_io import is_untouched
from archivist.generate.paths import CAPTURES_DIR, STORIES_DIR, assign_paths, capture_copy_path
from archivist.generate.story_page import story_markdown
from archivist.link.titles import TitleIndex
from archivist.model import CaptureError, Story
from archivist.readers import is_capture, read_capture
from archivist.readers.decode import read_text
from archivist.readers.sidecar import SIDECAR_SUFFIXES, parse_sidecar, sidecar_path
from archivist.writer import Outcome, write_copy, write_page

ARCHIVE_PAGES = ("index.md", "timeline.md", "outlets.md", "tags.md")


@dataclass
class Summary:
    """What an ingest did, for the report at the end of the run."""

    read: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edits: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (capture path, reason)
    stale: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    stories: int = 0

    def record(self, rel: str, outcome: Outcome) -> None:
        if outcome is Outcome.WRITTEN:
            self.written.append(rel)
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.kept_edits.append(rel)

    @property
    def problems(self) -> int:
        return len(self.skipped) + len(self.kept_edits) + len(self.stale)

    def lines(self) -> list[str]:
        out = [
            f"{self.read} captures read, {self.stories} stories archived: "
            f"{len(self.written)} files written, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped."
        ]
        out += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        out += [f"  kept {path}: edited by hand (use --force to regenerate)" for path in
                self.kept_edits]
        out += [f"  stale {path}: its capture is gone (use --prune to remove)" for path in
                self.stale]
        out += [f"  removed {path}" for path in self.pruned]
        return out


@dataclass(frozen=True)
class Job:
    """One capture to clean: everything :func:`clean_one` needs, nothing it must look up."""

    rel_path: str
    raw: bytes
    sidecar_text: str | None
    template: frozenset[int] = frozenset()  # hashes of this capture's site-template lines


Result = tuple[str, Story | CaptureError]


def clean_one(job: Job) -> Result:
    """Read, clean and apply the sidecar; a bad capture comes back as its error, not raised."""
    try:
        sidecar = parse_sidecar(job.sidecar_text) if job.sidecar_text is not None else None
        if sidecar and sidecar.get("exclude"):
            return job.rel_path, CaptureError("excluded by its sidecar")
        template = template_lines(read_text(job.raw), job.template) if job.template else frozenset()
        return job.rel_path, read_capture(job.raw, job.rel_path, sidecar, template)
    except CaptureError as exc:
        return job.rel_path, exc
    except Exception as exc:  # a cleaner bug must not lose the other captures
        error = CaptureError(f"internal error while cleaning ({type(exc).__name__}: {exc})")
        return job.rel_path, error


def discover(config: ArchiveConfig, summary: Summary) -> list[Path]:
    """Capture files under ``sources/``, sorted; other files are reported, not read."""
    if not config.sources.is_dir():
        raise CaptureError(f"sources folder not found: {config.sources}")
    found = []
    for path in sorted(config.sources.rglob("*")):
        rel = path.relative_to(config.sources)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        if path.suffix.lower() in SIDECAR_SUFFIXES:
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(config.sources):
            summary.skipped.append((config.relative(path), "symlink pointing outside sources/"))
        elif not is_capture(path.name):
            summary.skipped.append((config.relative(path), f"unsupported file type '{path.suffix}'"))
        else:
            found.append(path)
    return found


def _jobs(config: ArchiveConfig, paths: list[Path], summary: Summary) -> Iterator[Job]:
    for path in paths:
        rel = config.relative(path)
        try:
            raw = path.read_bytes()
            side = sidecar_path(path)
            side_text = side.read_text(encoding="utf-8", errors="replace") if side else None
        except OSError as exc:
            summary.skipped.append((rel, f"cannot read: {exc.strerror or exc}"))
            continue
        yield Job(rel, raw, side_text)


def _prune(config: ArchiveConfig, produced: set[str], summary: Summary, prune: bool) -> None:
    for folder in (STORIES_DIR, CAPTURES_DIR):
        root = config.docs / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(config.docs).as_posix()
            if path.is_dir() or rel in produced or path.name.startswith("."):
                continue
            is_page = path.suffix == ".md"
            if prune and (not is_page or is_untouched(path.read_text("utf-8", errors="replace"))):
                path.unlink()
                summary.pruned.append(rel)
            elif is_page:
                summary.stale.append(rel)


BATCH = 1000  # captures in memory at once while cleaning


def _clean_all(jobs: Iterator[Job], runner: Runner, cache: CleanCache) -> Iterator[Result]:
    """Results in job order: cached ones straight away, the rest cleaned by the runner."""
    for batch in batched(jobs, BATCH):
        keys = [job_key(job) for job in batch]
        hits = cache.get_many(keys)
        todo = [job for job, key in zip(batch, keys, strict=True) if key not in hits]
        fresh = dict(zip((job.rel_path for job in todo), runner.map(clean_one, todo), strict=True))
        cache.put_many((key, fresh[job.rel_path]) for job, key in zip(batch, keys, strict=True)
                       if key not in hits)
        for job, key in zip(batch, keys, strict=True):
            yield hits[key] if key in hits else fresh[job.rel_path]


def ingest(
    config: ArchiveConfig,
    *,
    force: bool = False,
    prune: bool = False,
    progress: bool = True,
    jobs: int | None = None,
    executor: str | None = None,
) -> Summary:
    """Archive every capture: clean, link, generate and write pages; return what happened."""
    summary = Summary()
    paths = discover(config, summary)
    summary.read = len(paths)
    stories: list[Story] = []
    by_hash: dict[str, str] = {}
    bar = tqdm(total=len(paths), desc="Cleaning", unit="capture", file=sys.stderr,
               disable=None if progress else True, leave=False)
    cache = CleanCache(config.cache_dir / "cleaned.sqlite" if config.cache_dir else None)
    with bar, Runner(jobs, executor) as runner:
        shared = site_template.templates(
            ((j.rel_path, j.raw, j.sidecar_text) for j in _jobs(config, paths, Summary())), runner, cache)
        feed = (replace(j, template=shared.get(j.rel_path, frozenset()))
                for j in _jobs(config, paths, summary))
        for rel_path, result in _clean_all(feed, runner, cache):
            bar.update()
            if isinstance(result, CaptureError):
                summary.skipped.append((rel_path, str(result)))
            elif result.capture.sha256 in by_hash:
                summary.skipped.append((rel_path, f"same bytes as {by_hash[result.capture.sha256]}"))
            else:
                by_hash[result.capture.sha256] = rel_path
                stories.append(result)
    cache.close()
    summary.stories = len(stories)
    paths_by_capture = assign_paths(stories)
    titles = TitleIndex(stories, paths_by_capture)
    produced: set[str] = set()
    for story in stories:
        page = paths_by_capture[story.capture.path]
        copy = capture_copy_path(story)
        produced.update((page, copy))
        summary.record(page, write_page(config.docs / page,
                                        story_markdown(story, page, titles), force=force))
        summary.record(copy, write_copy(config.docs / copy, (config.root / story.capture.path)))
    archive = {
        "index.md": home_page(stories, paths_by_capture, config.site_name),
        "timeline.md": timeline_page(stories, paths_by_capture),
        "outlets.md": outlets_page(stories, paths_by_capture),
        "tags.md": tags_page(),
    }
    for name, text in archive.items():
        summary.record(name, write_page(config.docs / name, text, force=force))
    _prune(config, produced, summary, prune)
    return summary
