"""Putting pages on disk: atomically, only when changed, never over a hand edit."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
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


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers (and a killed run)
    see either the old file or the new one, never half of one.

    No fsync per file: at 2.5 ms each it would cost half a minute per 10,000 pages. Ingest flushes
    everything once at the end instead (see :func:`archivist.pipeline.ingest`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.",
                               suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a published page must be readable
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_page(path: Path, text: str, *, force: bool = False) -> Outcome:
    """Write a generated page unless it is already identical or a person has edited it."""
    data = text.encode("utf-8")
    if path.exists():
        old = path.read_bytes()
        if old == data:
            return Outcome.UNCHANGED
        if not force and not is_untouched(old.decode("utf-8", errors="replace")):
            return Outcome.KEPT_EDIT
    atomic_write(path, data)
    return Outcome.WRITTEN


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in blocks (captures can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_copy(path: Path, source: Path, sha256: str) -> Outcome:
    """Copy a raw capture into the site under its hash, checking the hash both ways.

    The source is read again here, so a capture changed since it was cleaned is refused rather
    than published under its old hash; an existing copy is kept only if its bytes still match
    its name (a damaged or tampered copy is replaced).
    """
    if path.is_file() and not path.is_symlink() and file_sha256(path) == sha256:
        return Outcome.UNCHANGED
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise CaptureError("changed while it was being archived; run ingest again")
    atomic_write(path, data)
    return Outcome.WRITTEN
