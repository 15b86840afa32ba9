"""docs/ before and after a run: one scan of what is there, and removing what is no longer made.

The scan (signatures of every file) is what lets a re-run check its outputs without reading
them; pruning works from the same scan and reads only files this run did not produce.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from archivist.config import ArchiveConfig
from archivist.generate.archive_pages import ARCHIVE_DIRS
from archivist.generate.frontmatter_io import is_untouched
from archivist.generate.paths import CAPTURES_DIR, STORIES_DIR
from archivist.pipeline.report import Summary
from archivist.pipeline.state import Sig, signature
from archivist.pipeline.tree import walk
from archivist.writer import TEMP_PREFIX, TEMP_SUFFIX


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
    for rel, entry, is_dir in walk(str(docs), hidden=True):
        if is_dir:
            scan.folders.append(rel)
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX):
                    os.unlink(entry.path)
                else:
                    scan.files[rel] = signature(entry.stat(follow_symlinks=False))
            else:
                scan.others.add(rel)
        except FileNotFoundError:
            continue
    return scan

_CAPTURE_COPY = re.compile(r"^[0-9a-f]{64}\.txt$")


def prune_stale(config: ArchiveConfig, scan: DocsScan, produced: set[str], summary: Summary,
                prune: bool) -> None:
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

