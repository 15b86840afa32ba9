"""Putting pages on disk: atomically, only when changed, never over a hand edit."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import stat
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from archivist.generate.frontmatter_io import is_untouched
from archivist.model import CaptureError

# Temporary files are hidden (MkDocs skips dot files) and named so that the next run can find
# and delete what a killed run left behind, and nothing else.
TEMP_PREFIX = ".archivist-"
TEMP_SUFFIX = ".tmp"


class Outcome(Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    KEPT_EDIT = "kept hand-edited page"


FSYNC_MAX = 256  # files a run wrote or removed: fsync each up to this many, else one os.sync()
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_SERIAL = itertools.count()


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, open for writing, and its name.

    Named by process and a counter (so no random names to draw, and two processes never clash);
    its folder is made only when the file cannot be created, so a page costs no ``mkdir``.
    """
    folder, name = os.path.split(path)
    made_folder = False
    while True:
        tmp = os.path.join(folder, f"{TEMP_PREFIX}{name}.{os.getpid()}-{next(_SERIAL)}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, _FLAGS, 0o644), tmp
        except FileNotFoundError:
            if made_folder:
                raise
            os.makedirs(folder or ".", exist_ok=True)
            made_folder = True
        except FileExistsError:  # left by an earlier run that had this process id: take another
            continue


def _make_readable(fd: int, name: str) -> None:
    """Mode 0644 whatever the umask: a published page must be readable by the web server."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o644)
    else:  # Windows before Python 3.13
        os.chmod(name, 0o644)


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers (and a killed run)
    see either the old file or the new one, never half of one.

    No fsync here: at 2.5 ms each it would cost half a minute per 10,000 pages. Ingest flushes
    once at the end instead (:func:`flush`).
    """
    fd, tmp = _create_temporary(path)
    try:
        try:
            _make_readable(fd, tmp)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_page(path: Path, text: str, *, force: bool = False) -> Outcome:
    """Write a generated page unless it is already identical or a person has edited it."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as handle:
            old = handle.read()
    except FileNotFoundError:
        old = None
    if old is not None:
        if old == data:
            return Outcome.UNCHANGED
        if not force and not is_untouched(old.decode("utf-8", errors="replace")):
            return Outcome.KEPT_EDIT
    atomic_write(path, data)
    return Outcome.WRITTEN


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in blocks (captures can be large)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_copy(path: Path, source: Path, sha256: str) -> Outcome:
    """Copy a raw capture into the site under its hash, checking the hash both ways.

    The source is read again here, so a capture changed since it was cleaned is refused rather
    than published under its old hash; an existing copy is kept only if its bytes still match
    its name (a damaged or tampered copy is replaced).
    """
    try:
        regular = stat.S_ISREG(os.lstat(path).st_mode)  # a file, not a link to one
    except FileNotFoundError:
        regular = False
    if regular and file_sha256(path) == sha256:
        return Outcome.UNCHANGED
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise CaptureError("changed while it was being archived; run ingest again")
    atomic_write(path, data)
    return Outcome.WRITTEN


def flush(root: Path, written: Iterable[str], removed: Iterable[str] = ()) -> None:
    """Make a run's writes and removals under ``root`` durable.

    A run that touched a few files (one capture added to a large archive) fsyncs each of them
    and their folders: that waits for those files only, where ``os.sync()`` would also wait for
    every other dirty page on the machine (a site just built beside the archive: seconds). A run
    that touched many flushes everything at once, as an fsync per file would cost more.
    """
    written, removed = list(written), list(removed)
    if len(written) + len(removed) > FSYNC_MAX or not hasattr(os, "O_DIRECTORY"):
        if hasattr(os, "sync"):
            os.sync()
        return
    folders = {(root / rel).parent for rel in [*written, *removed]}
    for path, flags in [*((root / rel, os.O_RDONLY) for rel in written),
                        *((folder, os.O_RDONLY | os.O_DIRECTORY) for folder in sorted(folders))]:
        try:
            fd = os.open(path, flags)
        except OSError:  # gone since (a folder pruned empty): nothing left to flush
            continue
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
