"""Ingest: every capture in ``sources/`` becomes a page in ``docs/``; the I/O lives here.

Reading and cleaning one capture is a pure function (:func:`clean_one`), so the expensive part
can run in any order or in parallel; paths, links and archive pages need all stories at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from archivist.config import ArchiveConfig
from archivist.generate.archive_pages import (
    TAGS_DIR,
    home_page,
    outlets_page,
    tag_pages,
    tags_page,
    timeline_page,
)
from archivist.generate.frontmatter_io import is_untouched
from archivist.generate.paths import CAPTURES_DIR, STORIES_DIR, capture_copy_path
from archivist.generate.story_page import story_markdown
from archivist.link.archive import link_archive
from archivist.model import CaptureError, Story
from archivist.readers import READERS, read_capture
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


Result = tuple[str, Story | CaptureError]


def clean_one(job: Job) -> Result:
    """Read, clean and apply the sidecar; a bad capture comes back as its error, not raised."""
    try:
        sidecar = parse_sidecar(job.sidecar_text) if job.sidecar_text is not None else None
        if sidecar and sidecar.get("exclude"):
            return job.rel_path, CaptureError("excluded by its sidecar")
        return job.rel_path, read_capture(job.raw, job.rel_path, sidecar)
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
        elif path.suffix.lower() not in READERS:
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
    for folder in (STORIES_DIR, CAPTURES_DIR, TAGS_DIR):
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


def ingest(
    config: ArchiveConfig,
    *,
    force: bool = False,
    prune: bool = False,
    progress: bool = True,
    mapper: Callable[[Callable[[Job], Result], Iterator[Job]], Iterator[Result]] = map,
) -> Summary:
    """Archive every capture: clean, link, generate and write pages; return what happened."""
    summary = Summary()
    paths = discover(config, summary)
    summary.read = len(paths)
    stories: list[Story] = []
    by_hash: dict[str, str] = {}
    bar = tqdm(total=len(paths), desc="Cleaning", unit="capture", file=sys.stderr,
               disable=None if progress else True, leave=False)
    with bar:
        for rel_path, result in mapper(clean_one, _jobs(config, paths, summary)):
            bar.update()
            if isinstance(result, CaptureError):
                summary.skipped.append((rel_path, str(result)))
            elif result.capture.sha256 in by_hash:
                summary.skipped.append((rel_path, f"same bytes as {by_hash[result.capture.sha256]}"))
            else:
                by_hash[result.capture.sha256] = rel_path
                stories.append(result)
    links = link_archive(stories)  # versions merged into one page; related, backlinks, tags
    stories, paths_by_capture = links.stories, links.paths
    summary.stories = len(stories)
    produced: set[str] = set()
    for story in stories:
        page = paths_by_capture[story.capture.path]
        produced.add(page)
        summary.record(page, write_page(config.docs / page,
                                        story_markdown(story, page, links), force=force))
        for version in links.versions(story):
            copy = capture_copy_path(version)
            produced.add(copy)
            summary.record(copy, write_copy(config.docs / copy, config.root / version.capture.path))
    archive = {
        "index.md": home_page(stories, paths_by_capture, config.site_name),
        "timeline.md": timeline_page(stories, paths_by_capture),
        "outlets.md": outlets_page(stories, paths_by_capture),
        "tags.md": tags_page(stories),
        **(tags := tag_pages(stories)),
    }
    produced.update(tags)
    for name, text in archive.items():
        summary.record(name, write_page(config.docs / name, text, force=force))
    _prune(config, produced, summary, prune)
    return summary
