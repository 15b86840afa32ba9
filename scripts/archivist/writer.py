"""Putting pages on disk: atomically, only when changed, never over a hand edit."""

from __future__ import annotations

import contextlib
import os
import tempfile
from enum import Enum
from pathlib import Path

from archivist.generate.frontmatter_io import is_untouched


class Outcome(Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    KEPT_EDIT = "kept hand-edited page"


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers (and a crash) see
    either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
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


def write_copy(path: Path, source: Path) -> Outcome:
    """Copy a raw capture into the site; named by its hash, so an existing file is identical."""
    if path.exists() and path.stat().st_size == source.stat().st_size:
        return Outcome.UNCHANGED
    atomic_write(path, source.read_bytes())
    return Outcome.WRITTEN
