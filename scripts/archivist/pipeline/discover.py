"""Finding the captures under sources/, each with its sidecar; every other file reported once."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from archivist.config import ArchiveConfig
from archivist.model import CaptureError
from archivist.pipeline.report import UNPRINTABLE, Summary
from archivist.pipeline.tree import walk
from archivist.readers import READERS, capture_suffix
from archivist.readers.sidecar import MAX_SIDECAR_BYTES, SIDECAR_SUFFIXES

__all__ = ["MAX_SIDECAR_BYTES", "Found", "capture_suffix_of", "discover", "read_limited"]

def _name_problem(name: str) -> str | None:
    """File names end up in pages and in the report; refuse ones that cannot be shown as typed."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    if UNPRINTABLE.search(name):
        return "file name has control characters"
    return None



_SUFFIXES: dict[str, str | None] = {}
assert max(map(len, READERS)) < 16, "capture suffixes are remembered by a name's last 16 characters"


def capture_suffix_of(name: str) -> str | None:
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
    entries = sorted(((rel, entry) for rel, entry, is_dir in walk(str(config.sources), hidden=False)
                      if not is_dir), key=lambda e: e[0].split("/"))
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
        cap_suffix = capture_suffix_of(name)
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


def read_limited(path: str, limit: int) -> bytes:
    """Read at most ``limit`` bytes; a file that grew past it since discovery is an error."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise CaptureError(f"too large: over {limit / 2**20:g} MiB")
    return data

