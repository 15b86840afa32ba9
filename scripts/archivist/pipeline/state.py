"""The state one ingest leaves for the next: what it found in sources/ and made in docs/.

Like git's index, it records each source file's signature (size, mtime, ctime, inode, device)
with its sha256, so an unchanged file is not read again; each capture's cleaning key and
outcome; each outlet group's site template; the link model; and for every file written into
``docs/``, a digest of what it was made from, the sha256 of its text and its signature.

It is one pickle (:class:`archivist.cache.StateFile`: replaced atomically, tied to the code that
wrote it). Anything it does not vouch for is done in full: a missing, damaged or old state, or
one of another archive, just means a full run.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from typing import Any

from archivist import site_template
from archivist.cache import StateFile
from archivist.config import ArchiveConfig
from archivist.link.archive import LinkModel

Sig = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device
Listing = tuple[str, str, str | None, str | None, tuple[str, ...]]  # page, title, date, outlet, tags
RACY_NS = 2_000_000_000  # a file changed this close to when its signature was saved is re-read


def signature(info: os.stat_result) -> Sig:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def trusted(sig: Sig | None, saved_ns: int) -> bool:
    """Whether a signature recorded at ``saved_ns`` vouches for the file's content: not when the
    file changed so close to the save that a later same-size edit could keep its times (git's
    "racily clean")."""
    return sig is not None and max(sig[1], sig[2]) < saved_ns - RACY_NS


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
    # What the archive pages show of each page story, and the first page of every list: so
    # that a re-run remakes only the month, outlet and tag lists whose stories changed.
    listing: dict[str, Listing] = field(default_factory=dict)  # capture path -> its line's inputs
    lists: dict[str, str] = field(default_factory=dict)  # "month:", "outlet:", "tag:" + name -> page




def state_for(loaded: Any, config: ArchiveConfig) -> State:
    """The saved state if it describes this archive (its outputs only if also this docs/)."""
    fresh = State(str(config.root), str(config.sources), str(config.docs), config.site_name)
    if not isinstance(loaded, State) or loaded.root != fresh.root or loaded.sources != fresh.sources:
        return fresh
    if loaded.docs != fresh.docs:
        loaded.docs, loaded.pages, loaded.copies, loaded.archive = fresh.docs, {}, {}, {}
        loaded.archive_digest = ""
    return loaded


def store_of(config: ArchiveConfig) -> StateFile:
    return StateFile(config.cache_dir / "state.pickle" if config.cache_dir else None)


def load(store: StateFile, config: ArchiveConfig) -> State:
    """The last run's state for this archive, or an empty one (then the run is a full one)."""
    gc.disable()  # loading makes many objects at once: no collections meanwhile
    try:
        return state_for(store.load(), config)
    finally:
        gc.enable()


def save(store: StateFile, state: State) -> None:
    gc.disable()
    try:
        store.save(state)
    finally:
        gc.enable()
