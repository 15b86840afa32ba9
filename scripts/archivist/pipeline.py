"""Ingest: every capture in ``sources/`` becomes a page in ``docs/``; the I/O lives here.

Reading and cleaning one capture is a pure function (:func:`clean_one`), so the expensive part
can run in any order or in parallel; paths, links and archive pages need all stories at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from archivist import site_template
from archivist.cache import CleanCache, code_fingerprint, job_key
from archivist.config import ArchiveConfig
from archivist.executors import Runner, batched
from archivist.generate.archive_pages import ARCHIVE_DIRS, archive_pages, tag_paths
from archivist.generate.frontmatter_io import is_untouched
from archivist.generate.paths import CAPTURES_DIR, STORIES_DIR, capture_copy_path
from archivist.generate.story_page import story_markdown
from archivist.link.archive import LinkedArchive, link_archive
from archivist.model import CaptureError, Story
from archivist.readers import capture_suffix, read_capture
from archivist.readers.sidecar import MAX_SIDECAR_BYTES, SIDECAR_SUFFIXES, read_sidecar
from archivist.writer import TEMP_PREFIX, TEMP_SUFFIX, Outcome, write_copy, write_page

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: controls, bidi overrides and lone surrogates escaped."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace")
                            .decode("ascii"), text)


@dataclass
class Summary:
    """What an ingest did, for the report at the end of the run."""

    read: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edits: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (capture path, reason)
    excluded: list[str] = field(default_factory=list)  # by their sidecar; not a problem
    stale: list[str] = field(default_factory=list)
    stale_edited: list[str] = field(default_factory=list)  # kept even with --prune
    pruned: list[str] = field(default_factory=list)
    stories: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def timing_line(self) -> str:
        return "time: " + ", ".join(f"{stage} {secs:.1f} s" for stage, secs in self.timings.items())

    def record(self, rel: str, outcome: Outcome) -> None:
        if outcome is Outcome.WRITTEN:
            self.written.append(rel)
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.kept_edits.append(rel)

    @property
    def problems(self) -> int:
        return len(self.skipped) + len(self.kept_edits) + len(self.stale) + len(self.stale_edited)

    def lines(self) -> list[str]:
        """The report: a one-line count, then one line per file that needs a person's attention.

        Paths and reasons can hold text from the captures (file names, YAML snippets), so control
        characters are shown escaped: a file name must not be able to drive the terminal.
        """
        return [printable(line) for line in self._lines()]

    def _lines(self) -> list[str]:
        out = [
            f"{self.read} captures read, {self.stories} stories archived: "
            f"{len(self.written)} files written, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped."
        ]
        out += [f"  skipped {path}: {reason}" for path, reason in sorted(self.skipped)]
        out += [f"  excluded {path}: by its sidecar" for path in self.excluded]
        out += [f"  kept {path}: edited by hand (use --force to regenerate)" for path in
                self.kept_edits]
        out += [f"  stale {path}: its capture is gone (use --prune to remove)" for path in
                self.stale]
        out += [f"  stale {path}: its capture is gone, but it was edited by hand, so it is kept"
                for path in self.stale_edited]
        out += [f"  removed {path}" for path in self.pruned]
        return out


@dataclass(frozen=True)
class Job:
    """One capture to clean: everything :func:`clean_one` needs, nothing it must look up."""

    rel_path: str
    raw: bytes
    sidecar_raw: bytes | None = None
    sidecar_rel: str | None = None
    template: frozenset[int] = frozenset()  # hashes of this capture's site-template lines


Result = tuple[str, Story | CaptureError]


class Excluded(CaptureError):
    """A capture its sidecar leaves out on purpose: listed in the summary, not a problem."""


def clean_one(job: Job) -> Result:
    """Read, clean and apply the sidecar; a bad capture comes back as its error, not raised."""
    try:
        sidecar = None
        if job.sidecar_raw is not None:
            try:
                sidecar = read_sidecar(job.sidecar_raw)
            except CaptureError as exc:  # name the file that is wrong: the sidecar
                raise CaptureError(f"{job.sidecar_rel}: {exc}") from None
        if sidecar and sidecar.get("exclude"):
            return job.rel_path, Excluded("excluded by its sidecar")
        if job.template:
            try:
                story = read_capture(job.raw, job.rel_path, sidecar, job.template)
                if story.cleaned.paragraphs or story.cleaned.markdown:
                    return job.rel_path, story
            except CaptureError:
                pass  # the site template must never cost a story: clean it on its own instead
        return job.rel_path, read_capture(job.raw, job.rel_path, sidecar)
    except CaptureError as exc:
        return job.rel_path, exc
    except Exception as exc:  # a cleaner bug must not lose the other captures
        error = CaptureError(f"internal error while cleaning ({type(exc).__name__}: {exc})")
        return job.rel_path, error


def _name_problem(rel: Path) -> str | None:
    """File names end up in pages and in the report; refuse ones that cannot be shown as typed."""
    name = rel.as_posix()
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    if _UNPRINTABLE.search(name):
        return "file name has control characters"
    return None


def _walk(root: Path) -> Iterator[Path]:
    """Every entry under ``root`` except hidden ones; symlinked folders are listed, not entered."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in dirs:
            if (here / name).is_symlink():
                yield here / name
        for name in files:
            if not name.startswith("."):
                yield here / name


Found = tuple[Path, Path | None]  # a capture and the sidecar that goes with it


def _problem(config: ArchiveConfig, path: Path, limit: int) -> str | None:
    """Why a file under sources/ cannot be read safely, or None."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "broken symlink or symlink loop"
        if not target.is_relative_to(config.sources):
            return "symlink pointing outside sources/"
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > limit:
        return (f"too large: {info.st_size / 2**20:.1f} MiB, the limit is "
                f"{limit / 2**20:g} MiB")
    return None


def discover(config: ArchiveConfig, summary: Summary) -> list[Found]:
    """Captures under ``sources/`` with their sidecars, in a fixed order; every other file is
    reported once.

    Hidden files and folders are left alone silently (editor backups, ``.git``). A symlink is
    followed only when it stays inside ``sources/``, so neither a capture nor a sidecar can make
    Archivist read or publish a file from elsewhere on the machine. A capture whose sidecar is
    unusable is skipped (the sidecar might have excluded it), with the sidecar's problem as the
    reason.
    """
    if not config.sources.is_dir():
        raise CaptureError(f"sources folder not found: {config.sources}")
    captures: list[Path] = []
    stems: set[Path] = set()
    sidecars: dict[Path, tuple[Path, str | None]] = {}  # stem -> (sidecar, problem)
    entries = sorted(_walk(config.sources), key=lambda p: p.relative_to(config.sources).parts)
    for path in entries:
        rel = _rel_unresolved(config, path)
        problem = _name_problem(path.relative_to(config.sources))
        if problem:
            summary.skipped.append((rel, problem))
            continue
        if path.is_symlink() and path.is_dir() and path.resolve().is_relative_to(config.sources):
            continue  # its files are reached through the folder it points to
        if path.suffix.lower() in SIDECAR_SUFFIXES:
            stem = path.with_suffix("")
            if stem in sidecars:  # x.yml and x.yaml: the first in SIDECAR_SUFFIXES wins
                first, _ = sidecars[stem]
                keep, extra = sorted((first, path),
                                     key=lambda p: SIDECAR_SUFFIXES.index(p.suffix.lower()))
                if keep is path:
                    sidecars[stem] = (path, _problem(config, path, MAX_SIDECAR_BYTES))
                summary.skipped.append((_rel_unresolved(config, extra),
                                        f"ignored: {keep.name} is the sidecar of this capture"))
            else:
                sidecars[stem] = (path, _problem(config, path, MAX_SIDECAR_BYTES))
            continue
        suffix = capture_suffix(path.name)
        stems.add(Path(str(path)[: -len(suffix)]) if suffix else path.with_suffix(""))
        problem = _problem(config, path, config.max_capture_bytes)
        if problem is None and suffix is None:
            problem = f"unsupported file type '{path.suffix}'"
        if problem:
            summary.skipped.append((rel, problem))
        else:
            captures.append(path)
    found: list[Found] = []
    for capture in captures:
        side, problem = sidecars.get(capture.with_suffix(""), (None, None))
        if side is not None and problem:
            summary.skipped.append((_rel_unresolved(config, capture),
                                    f"{_rel_unresolved(config, side)}: {problem}"))
        else:
            found.append((capture, side))
    for stem, (side, problem) in sidecars.items():
        if stem not in stems:
            summary.skipped.append((_rel_unresolved(config, side),
                                    problem or "sidecar without a capture of the same name beside it"))
    return found


def _rel_unresolved(config: ArchiveConfig, path: Path) -> str:
    """The report path of a link itself (not its target), relative to the root when inside it."""
    absolute = config.sources / path.relative_to(config.sources)
    try:
        return absolute.relative_to(config.root).as_posix()
    except ValueError:
        return absolute.as_posix()


def _read_limited(path: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes; a file that grew past it since discovery is an error."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise CaptureError(f"too large: over {limit / 2**20:g} MiB")
    return data


def _jobs(config: ArchiveConfig, found: list[Found], summary: Summary) -> Iterator[Job]:
    for path, side in found:
        rel = _rel_unresolved(config, path)
        try:
            raw = _read_limited(path, config.max_capture_bytes)
            side_raw = _read_limited(side, MAX_SIDECAR_BYTES) if side else None
        except CaptureError as exc:
            summary.skipped.append((rel, str(exc)))
            continue
        except OSError as exc:
            summary.skipped.append((rel, f"cannot read: {exc.strerror or exc}"))
            continue
        yield Job(rel, raw, side_raw, _rel_unresolved(config, side) if side else None)


def remove_temporary_files(docs: Path) -> list[Path]:
    """Delete what an interrupted run left half-written (see :func:`archivist.writer.atomic_write`)."""
    removed = []
    if docs.is_dir():
        for path in sorted(docs.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
    return removed


_CAPTURE_COPY = re.compile(r"^[0-9a-f]{64}\.txt$")


def _prune(config: ArchiveConfig, produced: set[str], summary: Summary, prune: bool) -> None:
    """Report (or with ``prune``, delete) generated files whose capture is gone.

    Only what Archivist made is ever deleted: pages whose digest shows no hand edit, and capture
    copies named by a hash. Anything else a person put under ``docs/`` is left alone. Month,
    outlet and tag pages are archive pages, not a capture's: an untouched one that this run did
    not produce (its tag is gone, its list got shorter) is removed even without ``prune``.
    """
    for folder in (STORIES_DIR, CAPTURES_DIR, *ARCHIVE_DIRS):
        root = config.docs / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(config.docs).as_posix()
            if path.is_dir() or path.is_symlink() or rel in produced or path.name.startswith("."):
                continue
            if folder == CAPTURES_DIR:
                if prune and _CAPTURE_COPY.match(path.name):
                    path.unlink()
                    summary.pruned.append(rel)
                continue
            if path.suffix != ".md":
                continue
            if not is_untouched(path.read_text("utf-8", errors="replace")):
                summary.stale_edited.append(rel)
            elif prune or folder in ARCHIVE_DIRS:  # an archive page no longer produced just goes
                path.unlink()
                summary.pruned.append(rel)
            else:
                summary.stale.append(rel)
        if prune or folder in ARCHIVE_DIRS:
            for folder_path in sorted(root.rglob("*"), reverse=True):  # deepest first
                if folder_path.is_dir() and not folder_path.is_symlink() and \
                        not any(folder_path.iterdir()):
                    folder_path.rmdir()


BATCH = 1000  # captures in memory at once while cleaning


def _clean_all(jobs: Iterator[Job], runner: Runner, cache: CleanCache) -> Iterator[tuple[str, Result]]:
    """``(job key, result)`` in job order: cached ones straight away, the rest cleaned by the runner."""
    for batch in batched(jobs, BATCH):
        keys = [job_key(job) for job in batch]
        hits = cache.get_many(keys)
        todo = [job for job, key in zip(batch, keys, strict=True) if key not in hits]
        fresh = dict(zip((job.rel_path for job in todo), runner.map(clean_one, todo), strict=True))
        cache.put_many((key, fresh[job.rel_path]) for job, key in zip(batch, keys, strict=True)
                       if key not in hits)
        for job, key in zip(batch, keys, strict=True):
            yield key, hits[key] if key in hits else fresh[job.rel_path]


def _linked(stories: list[Story], keys: list[str], cache: CleanCache) -> LinkedArchive:
    """The link stage, or its previous result when no story changed (``mkdocs serve`` rebuilds
    after an edit in docs/, a second ingest): linking is the one stage that sees every story."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for key in sorted(keys):
        digest.update(key.encode())
    links_key = digest.hexdigest()
    cached = cache.get_many([links_key], "links").get(links_key)
    if cached is not None:
        return cached
    links = link_archive(stories)
    cache.replace_all(links_key, links, "links")
    return links


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
    started = time.perf_counter()
    remove_temporary_files(config.docs)
    paths = discover(config, summary)
    summary.read = len(paths)
    stories: list[Story] = []
    story_keys: list[str] = []  # each story's cleaning key: together they fix the link result
    by_hash: dict[str, str] = {}
    bar = tqdm(total=len(paths), desc="Cleaning", unit="capture", file=sys.stderr,
               disable=None if progress else True, leave=False)
    cache = CleanCache(config.cache_dir / "cleaned.sqlite" if config.cache_dir else None)
    with bar, Runner(jobs, executor) as runner:
        shared = site_template.templates(
            ((j.rel_path, j.raw, j.sidecar_raw.decode("utf-8", "replace") if j.sidecar_raw else None)
             for j in _jobs(config, paths, Summary())), runner, cache)
        feed = (replace(j, template=shared.get(j.rel_path, frozenset()))
                for j in _jobs(config, paths, summary))
        for key, (rel_path, result) in _clean_all(feed, runner, cache):
            bar.update()
            if isinstance(result, Excluded):
                summary.excluded.append(rel_path)
            elif isinstance(result, CaptureError):
                summary.skipped.append((rel_path, str(result)))
            elif result.capture.sha256 in by_hash:
                summary.skipped.append((rel_path, f"same bytes as {by_hash[result.capture.sha256]}"))
            else:
                by_hash[result.capture.sha256] = rel_path
                stories.append(result)
                story_keys.append(key)
    linking = time.perf_counter()
    summary.timings["cleaning"] = linking - started
    links = _linked(stories, story_keys, cache)  # versions merged; related, backlinks, tags
    cache.close()
    stories, paths_by_capture = links.stories, links.paths
    writing = time.perf_counter()
    summary.timings["linking"] = writing - linking
    summary.stories = len(stories)
    tag_pages = tag_paths(stories)
    produced: set[str] = set()
    failed: set[str] = set()  # stories whose page could not be written: not listed anywhere
    for story in stories:
        page = paths_by_capture[story.capture.path]
        produced.add(page)
        try:
            markdown = story_markdown(story, page, links, tag_pages)
        except Exception as exc:  # a generator bug must not lose the other stories
            summary.skipped.append((story.capture.path, f"internal error while writing its page "
                                                        f"({type(exc).__name__}: {exc})"))
            failed.add(story.capture.path)
            continue
        try:
            for version in links.versions(story):
                copy = capture_copy_path(version)
                produced.add(copy)
                summary.record(copy, write_copy(config.docs / copy, config.root / version.capture.path,
                                                version.capture.sha256))
        except CaptureError as exc:
            summary.skipped.append((story.capture.path, str(exc)))
            failed.add(story.capture.path)
            continue
        summary.record(page, write_page(config.docs / page, markdown, force=force))
    stories = [s for s in stories if s.capture.path not in failed]
    summary.stories = len(stories)
    archive = archive_pages(stories, paths_by_capture, config.site_name)
    produced.update(archive)
    for name, text in archive.items():
        summary.record(name, write_page(config.docs / name, text, force=force))
    _prune(config, produced, summary, prune)
    if summary.written or summary.pruned:
        os.sync()  # one flush for the whole run, so a power cut after ingest loses nothing
    summary.timings["writing"] = time.perf_counter() - writing
    return summary
