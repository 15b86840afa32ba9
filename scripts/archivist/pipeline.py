"""Ingest: every capture in ``sources/`` becomes a page in ``docs/``; the I/O lives here.

Reading and cleaning one capture is a pure function (:func:`clean_one`), so the expensive part
can run in any order or in parallel; paths, links and archive pages need all stories at once.

A re-run does only what changed. The last run's :class:`State` (in ``.archivist-cache/``)
records, like git's index, each source file's signature (size, mtime, ctime, inode, device)
with its sha256, so an unchanged file is not read again; each capture's cleaning key and
outcome; each outlet group's site template; the link model; and for every file written into
``docs/``, a digest of what it was made from, the sha256 of its text and its signature. So:

- a capture is read only when its signature changed (then hashed: a touched file is unchanged),
  cleaned only when its key changed, and the site template is worked out again only for groups
  whose members changed;
- linking updates the last link model with the stories added and removed (see ``link/``);
- a story page is generated only when its inputs changed (its story, tags, path, named links,
  related stories, backlinks, versions, tag pages), an archive page only when the list of
  stories they show changed, and a file is checked against disk by its signature (by its
  content when the signature is missing, changed or too recent to tell, as git does with
  "racily clean" entries);
- pruning works from one scan of ``docs/`` and reads only files that were not produced.

Anything the state does not vouch for is done in full, and the state is only saved at the end
of a run, so a killed run, a deleted cache or an edited file costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import re
import stat
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from archivist import site_template
from archivist.cache import CleanCache, StateFile, bytes_key, job_key
from archivist.config import ArchiveConfig
from archivist.executors import Runner, batched
from archivist.generate.archive_pages import ARCHIVE_DIRS, archive_pages, tag_paths
from archivist.generate.frontmatter_io import is_untouched
from archivist.generate.paths import CAPTURES_DIR, STORIES_DIR, capture_copy_path
from archivist.generate.story_page import story_markdown
from archivist.link.archive import (
    LinkedArchive,
    LinkModel,
    PageLinks,
    StoryFacts,
    link_archive,
    story_facts,
    update_links,
)
from archivist.model import CaptureError, Story
from archivist.readers import READERS, capture_suffix, read_capture
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


def _name_problem(name: str) -> str | None:
    """File names end up in pages and in the report; refuse ones that cannot be shown as typed."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    if _UNPRINTABLE.search(name):
        return "file name has control characters"
    return None


# --- discovery ---------------------------------------------------------------------------------

Sig = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device
RACY_NS = 2_000_000_000  # a file changed this close to when its signature was saved is re-read
RAW_BUDGET = 256 * 2**20  # bytes of captures kept in memory between reading and cleaning


def signature(info: os.stat_result) -> Sig:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


_SUFFIXES: dict[str, str | None] = {}
assert max(map(len, READERS)) < 16, "capture suffixes are remembered by a name's last 16 characters"


def _capture_suffix(name: str) -> str | None:
    """:func:`capture_suffix`, remembered by the end of the name (capture suffixes are short)."""
    if len(name) <= 16:
        return capture_suffix(name)
    end = name[-16:].lower()
    if end not in _SUFFIXES:
        _SUFFIXES[end] = capture_suffix("_" + end)
    return _SUFFIXES[end]


def _suffix(name: str) -> str:
    """``PurePath.suffix`` of a file name, without making a path."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


@dataclass(frozen=True)
class Found:
    """A capture to archive, and the sidecar that goes with it."""

    path: str  # absolute (a symlink's own path: it is read through the link)
    rel: str  # as reported and recorded in pages: relative to the root when inside it
    info: os.stat_result  # of the file read (a symlink's target)
    side: str | None = None
    side_rel: str | None = None
    side_info: os.stat_result | None = None


def _walk(root: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """``(path relative to root, entry)`` of everything under ``root`` except hidden entries;
    symlinked folders are listed, not entered."""
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    stack.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    yield prefix + entry.name, entry


def _check(path: str, is_link: bool, sources: Path, limit: int) -> tuple[str | None, os.stat_result | None]:
    """Why a file under sources/ cannot be read safely (or None), and its stat."""
    if is_link:
        try:
            target = Path(path).resolve(strict=True)
        except (OSError, RuntimeError):
            return "broken symlink or symlink loop", None
        if not target.is_relative_to(sources):
            return "symlink pointing outside sources/", None
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}", None
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file", None
    if info.st_size > limit:
        return (f"too large: {info.st_size / 2**20:.1f} MiB, the limit is "
                f"{limit / 2**20:g} MiB"), None
    return None, info


def _report_prefix(config: ArchiveConfig) -> str:
    """What goes before a path inside sources/ to make it relative to the root (or absolute)."""
    try:
        inside = config.sources.relative_to(config.root).as_posix()
    except ValueError:
        return config.sources.as_posix().rstrip("/") + "/"
    return "" if inside == "." else inside + "/"


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
    prefix = _report_prefix(config)
    captures: list[tuple[str, str, os.stat_result]] = []  # (path, report path, stat)
    stems: set[str] = set()
    # stem -> (sidecar path, report path, problem, stat)
    sidecars: dict[str, tuple[str, str, str | None, os.stat_result | None]] = {}
    entries = sorted(_walk(str(config.sources)), key=lambda e: e[0].split("/"))
    for inside, entry in entries:
        path, rel, name = entry.path, prefix + inside, entry.name
        problem = _name_problem(inside)
        if problem:
            summary.skipped.append((rel, problem))
            continue
        is_link = entry.is_symlink()
        if is_link and Path(path).is_dir() and Path(path).resolve().is_relative_to(config.sources):
            continue  # its files are reached through the folder it points to
        suffix = _suffix(name)
        if suffix.lower() in SIDECAR_SUFFIXES:
            stem = path[: -len(suffix)]
            problem, info = _check(path, is_link, config.sources, MAX_SIDECAR_BYTES)
            if stem in sidecars:  # x.yml and x.yaml: the first in SIDECAR_SUFFIXES wins
                first = sidecars[stem]
                keep, extra = sorted(((first[0], first[1]), (path, rel)),
                                     key=lambda p: SIDECAR_SUFFIXES.index(_suffix(p[0]).lower()))
                if keep[0] == path:
                    sidecars[stem] = (path, rel, problem, info)
                summary.skipped.append((extra[1], f"ignored: {os.path.basename(keep[0])} is the "
                                                  "sidecar of this capture"))
            else:
                sidecars[stem] = (path, rel, problem, info)
            continue
        cap_suffix = _capture_suffix(name)
        stems.add(path[: -len(cap_suffix)] if cap_suffix else path[: len(path) - len(suffix)])
        problem, info = _check(path, is_link, config.sources, config.max_capture_bytes)
        if problem is None and cap_suffix is None:
            problem = f"unsupported file type '{suffix}'"
        if problem or info is None:
            summary.skipped.append((rel, problem or "cannot read"))
        else:
            captures.append((path, rel, info))
    found: list[Found] = []
    for path, rel, info in captures:
        side = sidecars.get(path[: len(path) - len(_suffix(os.path.basename(path)))])
        if side is not None and side[2]:
            summary.skipped.append((rel, f"{side[1]}: {side[2]}"))
        elif side is not None:
            found.append(Found(path, rel, info, side[0], side[1], side[3]))
        else:
            found.append(Found(path, rel, info))
    for stem, (_, side_rel, problem, _) in sidecars.items():
        if stem not in stems:
            summary.skipped.append((side_rel, problem or
                                    "sidecar without a capture of the same name beside it"))
    return found


def _read_limited(path: str, limit: int) -> bytes:
    """Read at most ``limit`` bytes; a file that grew past it since discovery is an error."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise CaptureError(f"too large: over {limit / 2**20:g} MiB")
    return data


# --- docs/ ------------------------------------------------------------------------------------

@dataclass
class DocsScan:
    """What is under docs/ before this run writes: regular files with their signatures."""

    files: dict[str, Sig] = field(default_factory=dict)  # relative POSIX path -> lstat signature
    others: set[str] = field(default_factory=set)  # symlinks, FIFOs...: never ours
    folders: list[str] = field(default_factory=list)  # relative POSIX paths of real folders


def scan_docs(docs: Path) -> DocsScan:
    """One walk of docs/ (hidden entries included); deletes what an interrupted run left
    half-written (see :func:`archivist.writer.atomic_write`) on the way."""
    scan = DocsScan()
    stack = [("", str(docs))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                rel = prefix + entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        scan.folders.append(rel)
                        stack.append((rel + "/", entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX):
                            os.unlink(entry.path)
                        else:
                            scan.files[rel] = signature(entry.stat(follow_symlinks=False))
                    else:
                        scan.others.add(rel)
                except FileNotFoundError:
                    continue
    return scan


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


def _prune(config: ArchiveConfig, scan: DocsScan, produced: set[str], summary: Summary, prune: bool) -> None:
    """Report (or with ``prune``, delete) generated files whose capture is gone.

    Only what Archivist made is ever deleted: pages whose digest shows no hand edit, and capture
    copies named by a hash. Anything else a person put under ``docs/`` is left alone. Month,
    outlet and tag pages are archive pages, not a capture's: an untouched one that this run did
    not produce (its tag is gone, its list got shorter) is removed even without ``prune``.
    """
    for folder in (STORIES_DIR, CAPTURES_DIR, *ARCHIVE_DIRS):
        inside = folder + "/"
        leftovers = sorted((rel for rel in scan.files if rel.startswith(inside) and rel not in produced),
                           key=lambda rel: rel.split("/"))
        for rel in leftovers:
            name = rel.rsplit("/", 1)[-1]
            if name.startswith("."):
                continue
            path = config.docs / rel
            if folder == CAPTURES_DIR:
                if prune and _CAPTURE_COPY.match(name):
                    path.unlink(missing_ok=True)
                    summary.pruned.append(rel)
                continue
            if not name.endswith(".md"):
                continue
            try:
                text = path.read_text("utf-8", errors="replace")
            except OSError:
                continue
            if not is_untouched(text):
                summary.stale_edited.append(rel)
            elif prune or folder in ARCHIVE_DIRS:  # an archive page no longer produced just goes
                path.unlink(missing_ok=True)
                summary.pruned.append(rel)
            else:
                summary.stale.append(rel)
        if prune or folder in ARCHIVE_DIRS:
            for sub in sorted((f for f in scan.folders if f.startswith(inside)),
                              key=lambda f: f.split("/"), reverse=True):  # deepest first
                with contextlib.suppress(OSError):  # not empty (or gone): kept
                    os.rmdir(config.docs / sub)


# --- the state of the last run ------------------------------------------------------------------

@dataclass
class Entry:
    """What the last run knew of one capture."""

    sha256: str
    sidecar_sha256: str | None
    group: str | None  # site-template group (text captures only)
    key: str  # cleaning key
    outcome: tuple[str, str]  # ("story", ""), ("excluded", ""), ("error", reason)


@dataclass
class Output:
    """A file the last run made in docs/."""

    digest: str  # of what it was made from (story pages), or "" (archive pages)
    sha256: str  # of its text as generated (or, for a kept hand edit, as edited)
    sig: Sig | None
    kept: bool = False  # a hand edit that was kept


@dataclass
class State:
    """The last run's account of sources/ and docs/ (see the module docstring)."""

    root: str
    sources: str
    docs: str
    site_name: str
    saved_ns: int = 0
    files: dict[str, tuple[Sig, str]] = field(default_factory=dict)  # source -> (signature, sha256)
    entries: dict[str, Entry] = field(default_factory=dict)  # capture path -> entry
    groups: dict[str, site_template.Group] = field(default_factory=dict)
    model: LinkModel | None = None
    pages: dict[str, Output] = field(default_factory=dict)
    copies: dict[str, Sig] = field(default_factory=dict)
    archive_digest: str = ""
    archive: dict[str, Output] = field(default_factory=dict)
    stories: int = 0
    complete: bool = False  # every story's page was written
    tag_pages: tuple[tuple[str, ...], dict[str, str]] | None = None  # the tags, and their pages


def _state_for(loaded: Any, config: ArchiveConfig) -> State:
    """The saved state if it describes this archive (its outputs only if also this docs/)."""
    fresh = State(str(config.root), str(config.sources), str(config.docs), config.site_name)
    if not isinstance(loaded, State) or loaded.root != fresh.root or loaded.sources != fresh.sources:
        return fresh
    if loaded.docs != fresh.docs:
        loaded.docs, loaded.pages, loaded.copies, loaded.archive = fresh.docs, {}, {}, {}
        loaded.archive_digest = ""
    return loaded


def _digest(*parts: Any) -> str:
    """sha256 of plain values (strings, numbers, None, tuples), each written out in full."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: equal values always give equal bytes
    pickler.dump(parts)
    return hashlib.sha256(out.getbuffer()).hexdigest()


def _page_digest(key: str, story: Story, page: str, links: PageLinks, tag_pages: Mapping[str, str]) -> str:
    """Everything a story page is made from: the story (by its cleaning key, which includes the
    code's fingerprint), its tags and path, and the links shown on it."""
    return _digest(
        key, page, tuple(story.tags), tuple(tag_pages.get(t) for t in story.tags),
        tuple(map(tuple, links.named)), tuple(map(tuple, links.related)),  # plain tuples: faster
        tuple(map(tuple, links.linked_from)),
        tuple((v.title, v.date, v.captured_at, v.capture.path, v.capture.sha256, v.capture.bytes)
              for v in links.versions) if links.versions else (),
    )


def _archive_digest(stories: Sequence[Story], paths: Mapping[str, str], site_name: str) -> str:
    return _digest(site_name, tuple((s.capture.path, paths[s.capture.path], s.title, s.date, s.outlet,
                                     tuple(s.tags)) for s in stories))


# --- the run -------------------------------------------------------------------------------------

BATCH = 1000  # captures in memory at once while cleaning
Cleaned = tuple[str, Story | CaptureError, StoryFacts | None]  # a cached cleaning result


def _clean_job(job: Job) -> Cleaned:
    """Clean one capture and, for a story, work out its link facts (in the same worker)."""
    rel, result = clean_one(job)
    facts = None
    if isinstance(result, Story):
        try:
            facts = story_facts(result)
        except Exception:  # the link stage works them out again, and reports what fails
            facts = None
    return rel, result, facts


T = TypeVar("T")


def _background(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child, on another core; the call returned waits for its result.

    Only where forking is safe (a POSIX system, no other thread in this process); otherwise,
    and if the child fails, the work is done here, where any error is raised as usual.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        result = work()
        return lambda: result
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        result = work()
        return lambda: result
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def wait() -> T:
        with os.fdopen(read_end, "rb") as result_in:
            data = result_in.read()
        _, status = os.waitpid(pid, 0)
        return pickle.loads(data) if status == 0 and data else work()

    return wait


def _archive_texts(stories: list[Story], paths: dict[str, str], site_name: str,
                   recorded: Mapping[str, str]) -> list[tuple[str, str, str | None]]:
    """Every archive page as ``(path, sha256, text)``; the text is None where its sha256 is the
    one ``recorded`` (no need to send it back)."""
    out = []
    for name, text in archive_pages(stories, paths, site_name).items():
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        out.append((name, sha, None if recorded.get(name) == sha else text))
    return out


class _Bar(tqdm):  # type: ignore[type-arg]
    """A progress bar without tqdm's monitor thread (a thread would keep :func:`_background`
    from forking)."""

    monitor_interval = 0


@dataclass
class _Capture:
    found: Found
    sha256: str
    sidecar_sha256: str | None
    group: str | None = None
    template: frozenset[int] = frozenset()
    key: str = ""


class _Ingest:
    """One run: the previous state, what is known so far, and the files it reads."""

    def __init__(self, config: ArchiveConfig, state: State, cache: CleanCache, runner: Runner,
                 summary: Summary, scan: DocsScan, force: bool) -> None:
        self.config, self.old, self.cache, self.runner, self.summary = config, state, cache, runner, summary
        self.scan, self.force = scan, force
        self.new = State(state.root, state.sources, state.docs, config.site_name)
        # The archive pages being made: (digest of what they show, signatures if all are kept
        # as they are, else the call that waits for the child making them).
        self.archive: tuple[str, dict[str, Sig] | None, Callable[[], Any] | None] | None = None
        self.raw: dict[str, bytes] = {}  # bytes read this run, by absolute path
        self.raw_bytes = 0
        self.captures: dict[str, _Capture] = {}  # by capture path, in discovery order
        self.by_key: dict[str, _Capture] = {}
        self.stories: dict[str, tuple[Story, StoryFacts | None]] = {}  # whole stories, by key

    # sources -----------------------------------------------------------------------------------
    def _trusted(self, sig: Sig | None, saved_ns: int) -> bool:
        return sig is not None and max(sig[1], sig[2]) < saved_ns - RACY_NS

    def _identify(self, rel: str, path: str, info: os.stat_result, limit: int) -> str:
        """The sha256 of a source file: from the state when its signature vouches for it."""
        sig = signature(info)
        known = self.old.files.get(rel)
        if known and known[0] == sig and self._trusted(sig, self.old.saved_ns):
            self.new.files[rel] = known
            return known[1]
        data = _read_limited(path, limit)
        if self.raw_bytes + len(data) <= RAW_BUDGET:  # else read again when needed
            self.raw[path] = data
            self.raw_bytes += len(data)
        sha = hashlib.sha256(data).hexdigest()
        self.new.files[rel] = (sig, sha)
        return sha

    def read(self, path: str, limit: int) -> bytes:
        return self.raw[path] if path in self.raw else _read_limited(path, limit)

    def identify(self, found: list[Found]) -> None:
        for f in found:
            try:
                sha = self._identify(f.rel, f.path, f.info, self.config.max_capture_bytes)
                side_sha = self._identify(f.side_rel, f.side, f.side_info, MAX_SIDECAR_BYTES) \
                    if f.side and f.side_rel and f.side_info else None
            except CaptureError as exc:
                self.summary.skipped.append((f.rel, str(exc)))
                continue
            except OSError as exc:
                self.summary.skipped.append((f.rel, f"cannot read: {exc.strerror or exc}"))
                continue
            self.captures[f.rel] = _Capture(f, sha, side_sha)

    def _sidecar_text(self, f: Found) -> str | None:
        if not f.side:
            return None
        return self.read(f.side, MAX_SIDECAR_BYTES).decode("utf-8", "replace")

    def site_templates(self) -> None:
        """Each text capture's site-template lines, worked out again only for changed groups."""
        members: dict[str, list[tuple[str, str]]] = defaultdict(list)
        seen: set[str] = set()
        holder: dict[str, str] = {}  # line-hashes key -> a capture with those bytes
        for rel, cap in self.captures.items():
            if _capture_suffix(rel) != ".txt":
                continue
            old = self.old.entries.get(rel)
            if old and old.sha256 == cap.sha256 and old.sidecar_sha256 == cap.sidecar_sha256 and old.group:
                cap.group = old.group
            else:
                try:
                    cap.group = site_template.outlet_group(rel, self._sidecar_text(cap.found))
                except (OSError, CaptureError):
                    cap.group = site_template.outlet_group(rel, None)  # cleaning reports the sidecar
            key = bytes_key(cap.sha256)
            if key not in seen:  # the same bytes twice are one story
                seen.add(key)
                holder[key] = rel
                members[cap.group].append((rel, key))

        def read(keys: Sequence[str]) -> dict[str, bytes]:
            out = {}
            for key in keys:
                cap = self.captures[holder[key]]
                try:
                    out[key] = self.read(cap.found.path, self.config.max_capture_bytes)
                except (OSError, CaptureError):
                    continue
            return out

        groups = site_template.templates({g: tuple(m) for g, m in members.items()}, read, self.runner,
                                         self.cache, self.old.groups)
        self.new.groups = groups
        for rel, cap in self.captures.items():
            if cap.group is not None and cap.group in groups:
                cap.template = groups[cap.group][1].get(rel, frozenset())

    # cleaning ----------------------------------------------------------------------------------
    def _job(self, cap: _Capture) -> Job:
        f = cap.found
        raw = self.read(f.path, self.config.max_capture_bytes)
        side = self.read(f.side, MAX_SIDECAR_BYTES) if f.side else None
        if hashlib.sha256(raw).hexdigest() != cap.sha256 or \
                (side is not None and hashlib.sha256(side).hexdigest() != cap.sidecar_sha256):
            raise CaptureError("changed while it was being archived; run ingest again")
        return Job(f.rel, raw, side, f.side_rel, cap.template)

    def _clean(self, caps: list[_Capture], bar: tqdm[Any] | None = None) -> dict[str, Cleaned]:
        """Cleaning results by key: from the cache, else cleaned by the runner (and cached)."""
        out: dict[str, Cleaned] = {}
        for batch in batched(caps, BATCH):
            hits = self.cache.get_many([c.key for c in batch])
            out.update(hits)
            todo, jobs = [], []
            for cap in batch:
                if cap.key in hits:
                    continue
                try:
                    jobs.append(self._job(cap))
                    todo.append(cap)
                except CaptureError as exc:
                    out[cap.key] = (cap.found.rel, exc, None)
                except OSError as exc:
                    out[cap.key] = (cap.found.rel, CaptureError(f"cannot read: {exc.strerror or exc}"), None)
            fresh = dict(zip((c.key for c in todo), self.runner.map(_clean_job, jobs), strict=True))
            self.cache.put_many(fresh.items())
            out.update(fresh)
            for cap in batch:  # keep memory bounded
                for path in (cap.found.path, cap.found.side):
                    self.raw_bytes -= len(self.raw.pop(path, b"")) if path else 0
            if bar is not None:
                bar.update(len(batch))
        return out

    def clean(self, progress: bool) -> list[str]:
        """Keys of the stories to archive, in capture order; skipped and excluded ones reported."""
        todo: list[_Capture] = []
        for rel, cap in self.captures.items():
            old = self.old.entries.get(rel)
            if old and old.sha256 == cap.sha256 and old.sidecar_sha256 == cap.sidecar_sha256 and \
                    old.group == cap.group and (cap.group is None or self.new.groups.get(cap.group) is
                                                self.old.groups.get(cap.group)):
                cap.key = old.key  # same bytes, sidecar and site template (and code: same state)
            else:
                cap.key = job_key(rel, cap.sha256, cap.sidecar_sha256, cap.template)
            self.by_key[cap.key] = cap
            if not (old and old.key == cap.key):
                todo.append(cap)
        bar = _Bar(total=len(todo), desc="Cleaning", unit="capture", file=sys.stderr,
                   disable=None if progress and todo else True, leave=False)
        with bar:
            results = self._clean(todo, bar)
        story_keys: list[str] = []
        by_hash: dict[str, str] = {}
        for rel, cap in self.captures.items():
            if cap.key in results:
                _, result, facts = results[cap.key]
                if isinstance(result, Excluded):
                    outcome = ("excluded", "")
                elif isinstance(result, CaptureError):
                    outcome = ("error", str(result))
                else:
                    outcome = ("story", "")
                    self.stories[cap.key] = (result, facts)
            else:
                outcome = self.old.entries[rel].outcome
            self.new.entries[rel] = Entry(cap.sha256, cap.sidecar_sha256, cap.group, cap.key, outcome)
            kind, reason = outcome
            if kind == "excluded":
                self.summary.excluded.append(rel)
            elif kind == "error":
                self.summary.skipped.append((rel, reason))
            elif cap.sha256 in by_hash:
                self.summary.skipped.append((rel, f"same bytes as {by_hash[cap.sha256]}"))
            else:
                by_hash[cap.sha256] = rel
                story_keys.append(cap.key)
        return story_keys

    def whole(self, keys: Sequence[str]) -> dict[str, tuple[Story, StoryFacts | None]]:
        """Whole stories (and facts) by key: in memory, from the cache, or cleaned again."""
        missing = [self.by_key[k] for k in keys if k not in self.stories]
        for key, (_, result, facts) in self._clean(missing).items():
            if isinstance(result, Story):
                self.stories[key] = (result, facts)
        lost = [k for k in keys if k not in self.stories]
        if lost:
            raise CaptureError(f"{self.by_key[lost[0]].found.rel}: its cleaning result changed; "
                               "run ingest again")
        return {k: self.stories[k] for k in keys}

    # linking -----------------------------------------------------------------------------------
    def link(self, keys: list[str], relink: bool) -> LinkedArchive:
        model = self.old.model
        if model is None or relink or model.needs_refit(keys):
            whole = self.whole(keys)
            facts = {k: f for k, (_, f) in whole.items() if f is not None}
            return link_archive([whole[k][0] for k in keys], keys=keys, facts=facts,
                                on_pages=self.start_archive)
        known = set(model.keys)
        added = [k for k in keys if k not in known]
        fresh = {k: (story, facts or story_facts(story)) for k, (story, facts) in self.whole(added).items()}
        return update_links(model, keys, fresh, lambda ks: {k: s for k, (s, _) in self.whole(ks).items()},
                            self.start_archive)

    # docs/ -------------------------------------------------------------------------------------
    def output_ok(self, rel: str, sha256: str, sig: Sig | None, scan: DocsScan) -> Sig | None:
        """The file's current signature if it still holds what was recorded, else None."""
        now = scan.files.get(rel)
        if now is None:
            return None
        if now == sig and self._trusted(sig, self.old.saved_ns):
            return now
        try:
            data = (self.config.docs / rel).read_bytes()
        except OSError:
            return None
        return now if hashlib.sha256(data).hexdigest() == sha256 else None

    def record_page(self, rel: str, digest: str, text: str, outcome: Outcome) -> Output | None:
        path = self.config.docs / rel
        try:
            sig = signature(os.lstat(path))
            if outcome is Outcome.KEPT_EDIT:
                return Output(digest, hashlib.sha256(path.read_bytes()).hexdigest(), sig, kept=True)
        except OSError:
            return None
        return Output(digest, hashlib.sha256(text.encode("utf-8")).hexdigest(), sig)

    def reuse(self, rel: str, old: Output, scan: DocsScan, into: dict[str, Output]) -> bool:
        """Keep a recorded output if the file still holds it; reported as it was."""
        sig = self.output_ok(rel, old.sha256, old.sig, scan)
        if sig is None:
            return False
        old.sig = sig  # the old state is not kept: its record moves to the new one
        into[rel] = old
        if old.kept:
            self.summary.kept_edits.append(rel)
        else:
            self.summary.unchanged += 1
        return True

    def copy_ok(self, rel: str, scan: DocsScan) -> Sig | None:
        """The signature of a capture copy if it still holds the bytes its name promises."""
        sig, now = self.old.copies.get(rel), scan.files.get(rel)
        if now is None or sig is None:
            return None
        if now == sig and self._trusted(sig, self.old.saved_ns):
            return now
        try:
            data = (self.config.docs / rel).read_bytes()
        except OSError:
            return None
        return now if f"{hashlib.sha256(data).hexdigest()}.txt" == rel.rsplit("/", 1)[-1] else None

    def copy(self, version: Story, scan: DocsScan) -> str:
        rel = capture_copy_path(version)
        sig = self.copy_ok(rel, scan)
        if sig is not None:
            self.summary.unchanged += 1
            self.new.copies[rel] = sig
            return rel
        path = self.config.docs / rel
        self.summary.record(rel, write_copy(path, self.config.root / version.capture.path,
                                            version.capture.sha256))
        with contextlib.suppress(OSError):
            self.new.copies[rel] = signature(os.lstat(path))
        return rel

    def no_change(self, keys: list[str], scan: DocsScan, force: bool, relink: bool) -> bool:
        """True (and reported) when the stories and every file the last run made are unchanged."""
        old = self.old
        if force or relink or old.model is None or not old.complete or not old.archive_digest or \
                old.model.keys != sorted(keys, key=self._path_of) or old.site_name != self.config.site_name:
            return False
        pages, archive, copies = {}, {}, {}
        counts = Summary()
        for outputs, into in ((old.pages, pages), (old.archive, archive)):
            for rel, out in outputs.items():
                sig = self.output_ok(rel, out.sha256, out.sig, scan)
                if sig is None:
                    return False
                into[rel] = replace(out, sig=sig)
                if out.kept:
                    counts.kept_edits.append(rel)
                else:
                    counts.unchanged += 1
        for rel in old.copies:
            sig = self.copy_ok(rel, scan)
            if sig is None:
                return False
            copies[rel] = sig
            counts.unchanged += 1
        self.new.pages, self.new.archive, self.new.copies = pages, archive, copies
        self.new.archive_digest, self.new.model, self.new.stories = old.archive_digest, old.model, old.stories
        self.new.complete, self.new.tag_pages = True, old.tag_pages
        self.summary.unchanged += counts.unchanged
        self.summary.kept_edits += counts.kept_edits
        self.summary.stories = old.stories
        return True

    def _path_of(self, key: str) -> str:
        return self.by_key[key].found.rel

    def start_archive(self, stories: list[Story], paths: dict[str, str]) -> None:
        """Start making the archive pages (month, outlet and tag lists), on another core, while
        linking finishes and story pages are written; assuming every story page gets written
        (else they are made again at the end of :meth:`write`)."""
        digest = _archive_digest(stories, paths, self.config.site_name)
        kept = self._archive_kept(digest, self.scan, self.force)
        old_sha = {} if self.force else {name: out.sha256 for name, out in self.old.archive.items()}
        site_name = self.config.site_name
        pending = None if kept is not None else \
            _background(lambda: _archive_texts(stories, paths, site_name, old_sha))
        self.archive = (digest, kept, pending)

    def _archive_kept(self, digest: str, scan: DocsScan, force: bool) -> dict[str, Sig] | None:
        """The archive pages' signatures if they are all as the last run made them, from the
        same stories (so there is nothing to make), else None."""
        if force or digest != self.old.archive_digest or not self.old.archive:
            return None
        kept = {}
        for name, out in self.old.archive.items():
            sig = self.output_ok(name, out.sha256, out.sig, scan)
            if sig is None:
                return None
            kept[name] = sig
        return kept

    def write(self, links: LinkedArchive, scan: DocsScan, force: bool) -> set[str]:
        """Story pages, capture copies and archive pages; what is unchanged is not generated."""
        summary, config = self.summary, self.config
        key_of = {self.by_key[k].found.rel: k for k in links.model.keys} if links.model else {}
        stories = links.stories
        tags = tuple(sorted({t for s in stories for t in s.tags}))
        known = self.old.tag_pages
        tag_pages = known[1] if known and known[0] == tags else tag_paths(stories)
        self.new.tag_pages = (tags, tag_pages)
        if self.archive is None:
            self.start_archive(stories, links.paths)
        assert self.archive is not None
        archive_digest, kept, pending = self.archive
        old_sha = {} if force else {name: out.sha256 for name, out in self.old.archive.items()}
        produced: set[str] = set()
        failed: set[str] = set()  # stories whose page could not be written: not listed anywhere
        for story in stories:
            page = links.paths[story.capture.path]
            produced.add(page)
            key = key_of.get(story.capture.path, "")
            page_links = links.links(page)
            digest = _page_digest(key, story, page, page_links, tag_pages)
            old = self.old.pages.get(page)
            if not force and old is not None and old.digest == digest and \
                    self.reuse(page, old, scan, self.new.pages):
                try:
                    for version in links.versions(story):
                        produced.add(self.copy(version, scan))
                except CaptureError as exc:
                    summary.skipped.append((story.capture.path, str(exc)))
                    failed.add(story.capture.path)
                continue
            try:
                whole = self.whole([key])[key][0] if key else story
                if whole.tags != story.tags:
                    whole = replace(whole, tags=list(story.tags))
                markdown = story_markdown(whole, page, links, tag_pages)
            except Exception as exc:  # a generator bug must not lose the other stories
                summary.skipped.append((story.capture.path, f"internal error while writing its page "
                                                            f"({type(exc).__name__}: {exc})"))
                failed.add(story.capture.path)
                continue
            try:
                for version in links.versions(story):
                    produced.add(self.copy(version, scan))
            except CaptureError as exc:
                summary.skipped.append((story.capture.path, str(exc)))
                failed.add(story.capture.path)
                continue
            outcome = write_page(config.docs / page, markdown, force=force)
            summary.record(page, outcome)
            record = self.record_page(page, digest, markdown, outcome)
            if record is not None:
                self.new.pages[page] = record
        listed = [s for s in stories if s.capture.path not in failed]
        summary.stories = self.new.stories = len(listed)
        self.new.complete = not failed
        if failed:  # the archive pages list every story but these: made again, here
            if pending is not None:
                pending()
            archive_digest = _archive_digest(listed, links.paths, config.site_name)
            kept = self._archive_kept(archive_digest, scan, force)
            pending = None
        if kept is not None:
            for name, out in self.old.archive.items():
                self.new.archive[name] = replace(out, sig=kept[name])
                if out.kept:
                    summary.kept_edits.append(name)
                else:
                    summary.unchanged += 1
        else:
            texts = pending() if pending is not None else \
                _archive_texts(listed, links.paths, config.site_name, old_sha)
            every: dict[str, str] = {}
            for name, _sha, text in texts:
                old = self.old.archive.get(name)
                if text is None and old is not None and self.reuse(name, old, scan, self.new.archive):
                    continue
                if text is None:  # as recorded, but no longer on disk as it was: write it again
                    every = every or archive_pages(listed, links.paths, config.site_name)
                    text = every[name]
                outcome = write_page(config.docs / name, text, force=force)
                summary.record(name, outcome)
                record = self.record_page(name, "", text, outcome)
                if record is not None:
                    self.new.archive[name] = record
        self.new.archive_digest = archive_digest
        self.new.model = links.model
        produced.update(self.new.archive)
        return produced


def ingest(
    config: ArchiveConfig,
    *,
    force: bool = False,
    prune: bool = False,
    progress: bool = True,
    jobs: int | None = None,
    executor: str | None = None,
    relink: bool = False,
) -> Summary:
    """Archive every capture: clean, link, generate and write pages; return what happened.

    ``relink`` fits the link stage from scratch instead of updating the last one.
    """
    summary = Summary()
    started = time.perf_counter()
    store = StateFile(config.cache_dir / "state.pickle" if config.cache_dir else None)
    gc.disable()  # loading a state makes many objects at once: no collections meanwhile
    try:
        state = _state_for(store.load(), config)
    finally:
        gc.enable()
    gc.freeze()  # and none of them is garbage: keep later collections from walking them
    try:
        return _ingest(config, state, store, summary, started, force=force, prune=prune, progress=progress,
                       jobs=jobs, executor=executor, relink=relink)
    finally:
        gc.unfreeze()


def _ingest(config: ArchiveConfig, state: State, store: StateFile, summary: Summary, started: float, *,
            force: bool, prune: bool, progress: bool, jobs: int | None, executor: str | None,
            relink: bool) -> Summary:
    scan = scan_docs(config.docs)
    found = discover(config, summary)
    summary.read = len(found)
    cache = CleanCache(config.cache_dir / "cleaned.sqlite" if config.cache_dir else None)
    try:
        with Runner(jobs, executor) as runner:
            run = _Ingest(config, state, cache, runner, summary, scan, force)
            run.identify(found)
            run.site_templates()
            keys = run.clean(progress)
            linking = time.perf_counter()
            summary.timings["cleaning"] = linking - started
            if run.no_change(keys, scan, force, relink):
                produced = set(run.new.pages) | set(run.new.copies) | set(run.new.archive)
                writing = time.perf_counter()
                summary.timings["linking"] = writing - linking
            else:
                links = run.link(keys, relink)  # versions merged; related, backlinks, tags
                writing = time.perf_counter()
                summary.timings["linking"] = writing - linking
                runner.close()  # no worker processes (nor their threads) while writing
                produced = run.write(links, scan, force)
    finally:
        cache.close()
    _prune(config, scan, produced, summary, prune)
    if summary.written or summary.pruned:
        os.sync()  # one flush for the whole run, so a power cut after ingest loses nothing
    run.new.saved_ns = time.time_ns()
    gc.disable()
    try:
        store.save(run.new)
    finally:
        gc.enable()
    summary.timings["writing"] = time.perf_counter() - writing
    return summary
