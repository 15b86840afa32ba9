"""One walk of a folder tree with ``os.scandir`` (its entries carry their type, so most need no
extra ``stat``), shared by the scan of ``sources/`` and of ``docs/``."""

from __future__ import annotations

import os
from collections.abc import Iterator


def walk(root: str, *, hidden: bool) -> Iterator[tuple[str, os.DirEntry[str], bool]]:
    """``(path relative to root, entry, is a folder)`` of everything under ``root``; real
    folders are listed and entered, symlinked ones only listed (as non-folders). Without
    ``hidden``, entries whose name starts with a dot are left out (and not entered)."""
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not hidden and entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                rel = prefix + entry.name
                if is_dir:
                    stack.append((rel + "/", entry.path))
                yield rel, entry, is_dir
