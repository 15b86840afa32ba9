"""The captures of one run, from files to cleaned stories, doing again only what changed.

A capture is read only when its file signature changed (then hashed: a touched file is
unchanged), its outlet group's site template is worked out again only when the group's members
changed, and it is cleaned only when its cleaning key (bytes, sidecar, template, code) changed;
results come from the cache of cleaning results otherwise.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from archivist import site_template
from archivist.cache import CleanCache, bytes_key, job_key
from archivist.config import ArchiveConfig
from archivist.executors import Runner, batched
from archivist.link.archive import StoryFacts
from archivist.model import CaptureError, Story
from archivist.pipeline.cleaning import Cleaned, Excluded, Job, clean_job_pickled
from archivist.pipeline.discover import MAX_SIDECAR_BYTES, Found, capture_suffix_of, read_limited
from archivist.pipeline.report import Summary
from archivist.pipeline.state import Entry, State, signature, trusted

BATCH = 1000  # captures in memory at once while cleaning
RAW_BUDGET = 256 * 2**20  # bytes of captures kept in memory between reading and cleaning


class _Bar(tqdm):  # type: ignore[type-arg]
    """A progress bar without tqdm's monitor thread (a thread would keep
    :func:`archivist.pipeline.background.in_background` from forking)."""

    monitor_interval = 0


@dataclass
class Capture:
    found: Found
    sha256: str
    sidecar_sha256: str | None
    group: str | None = None
    template: frozenset[int] = frozenset()
    key: str = ""


class Captures:
    """This run's captures: by path and by cleaning key, and the whole stories cleaned so far.

    Reads the last run's ``old`` state and fills in ``new``'s files, entries and groups.
    """

    def __init__(self, config: ArchiveConfig, old: State, new: State, cache: CleanCache, runner: Runner,
                 summary: Summary) -> None:
        self.config, self.old, self.new, self.cache, self.runner, self.summary = \
            config, old, new, cache, runner, summary
        self.raw: dict[str, bytes] = {}  # bytes read this run, by absolute path
        self.raw_bytes = 0
        self.captures: dict[str, Capture] = {}  # by capture path, in discovery order
        self.by_key: dict[str, Capture] = {}
        self.stories: dict[str, tuple[Story, StoryFacts | None]] = {}  # whole stories, by key

    # sources -----------------------------------------------------------------------------------
    def _identify(self, rel: str, path: str, info: os.stat_result, limit: int) -> str:
        """The sha256 of a source file: from the state when its signature vouches for it."""
        sig = signature(info)
        known = self.old.files.get(rel)
        if known and known[0] == sig and trusted(sig, self.old.saved_ns):
            self.new.files[rel] = known
            return known[1]
        data = read_limited(path, limit)
        if self.raw_bytes + len(data) <= RAW_BUDGET:  # else read again when needed
            self.raw[path] = data
            self.raw_bytes += len(data)
        sha = hashlib.sha256(data).hexdigest()
        self.new.files[rel] = (sig, sha)
        return sha

    def read(self, path: str, limit: int) -> bytes:
        return self.raw[path] if path in self.raw else read_limited(path, limit)

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
            self.captures[f.rel] = Capture(f, sha, side_sha)

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
            if capture_suffix_of(rel) != ".txt":
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
    def _job(self, cap: Capture) -> Job:
        f = cap.found
        raw = self.read(f.path, self.config.max_capture_bytes)
        side = self.read(f.side, MAX_SIDECAR_BYTES) if f.side else None
        if hashlib.sha256(raw).hexdigest() != cap.sha256 or \
                (side is not None and hashlib.sha256(side).hexdigest() != cap.sidecar_sha256):
            raise CaptureError("changed while it was being archived; run ingest again")
        return Job(f.rel, raw, side, f.side_rel, cap.template)

    def _clean(self, caps: list[Capture], bar: tqdm[Any] | None = None) -> dict[str, Cleaned]:
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
            blobs = dict(zip((c.key for c in todo), self.runner.map(clean_job_pickled, jobs), strict=True))
            self.cache.put_pickled(blobs.items())
            fresh = {key: pickle.loads(blob) for key, blob in blobs.items()}
            del blobs
            out.update(fresh)
            for cap in batch:  # keep memory bounded
                for path in (cap.found.path, cap.found.side):
                    self.raw_bytes -= len(self.raw.pop(path, b"")) if path else 0
            if bar is not None:
                bar.update(len(batch))
        return out

    def clean(self, progress: bool) -> list[str]:
        """Keys of the stories to archive, in capture order; skipped and excluded ones reported."""
        todo: list[Capture] = []
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

