"""Writing docs/: story pages, capture copies and archive pages, each only when its inputs changed.

A story page is generated only when its inputs changed (its story, tags, path, named links,
related stories, backlinks, versions, tag pages: :func:`page_digest`), an archive page only when
the list of stories they show changed, and a file is checked against disk by its signature (by
its content when the signature is missing, changed or too recent to tell, as git does with
"racily clean" entries). Every write goes through :mod:`archivist.writer`: atomic, and a page
edited by hand is kept unless ``--force``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from archivist.config import ArchiveConfig
from archivist.generate.archive_pages import (
    OUTLETS_DIR,
    PAGE_SIZE,
    TIMELINE_DIR,
    UNDATED,
    UNKNOWN_OUTLET,
    archive_pages,
    outlet_paths,
    tag_paths,
)
from archivist.generate.paths import capture_copy_path
from archivist.generate.story_page import story_markdown
from archivist.link.archive import LinkedArchive, PageLinks
from archivist.model import CaptureError, Story
from archivist.pipeline.background import in_background
from archivist.pipeline.captures import Captures
from archivist.pipeline.docs import DocsScan
from archivist.pipeline.report import Summary
from archivist.pipeline.state import Listing, Output, Sig, State, signature, trusted
from archivist.writer import Outcome, write_copy, write_page


def digest_of(*parts: Any) -> str:
    """sha256 of plain values (strings, numbers, None, tuples), each written out in full."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: equal values always give equal bytes
    pickler.dump(parts)
    return hashlib.sha256(out.getbuffer()).hexdigest()


def page_digest(key: str, story: Story, page: str, links: PageLinks, tag_pages: Mapping[str, str]) -> str:
    """Everything a story page is made from: the story (by its cleaning key, which includes the
    code's fingerprint), its tags and path, and the links shown on it."""
    return digest_of(
        key, page, tuple(story.tags), tuple(tag_pages.get(t) for t in story.tags),
        tuple(map(tuple, links.named)), tuple(map(tuple, links.related)),  # plain tuples: faster
        tuple(map(tuple, links.linked_from)),
        tuple((v.title, v.date, v.captured_at, v.capture.path, v.capture.sha256, v.capture.bytes)
              for v in links.versions) if links.versions else (),
    )


def archive_digest_of(stories: Sequence[Story], paths: Mapping[str, str], site_name: str) -> str:
    return digest_of(site_name, tuple((s.capture.path, paths[s.capture.path], s.title, s.date, s.outlet,
                                     tuple(s.tags)) for s in stories))



def archive_texts(stories: list[Story], paths: dict[str, str], site_name: str,
                  recorded: Mapping[str, str], lists: Collection[str] | None = None
                  ) -> list[tuple[str, str, str | None]]:
    """Every archive page (or the indexes and ``lists``) as ``(path, sha256, text)``; the text is
    None where its sha256 is the one ``recorded`` (no need to send it back)."""
    out = []
    for name, text in archive_pages(stories, paths, site_name, lists).items():
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        out.append((name, sha, None if recorded.get(name) == sha else text))
    return out



def listing_of(stories: Sequence[Story], paths: Mapping[str, str]) -> dict[str, Listing]:
    """What the archive pages show of each story (its list line and the lists it is on)."""
    return {s.capture.path: (paths[s.capture.path], s.title, s.date, s.outlet, tuple(s.tags))
            for s in stories}


def _lists_of(entry: Listing) -> Iterator[str]:
    """The lists a story is on: its month, its outlet, each of its tags."""
    _, _, day, outlet, tags = entry
    yield f"month:{day[:7] if day else UNDATED}"
    yield f"outlet:{outlet or ''}"
    yield from (f"tag:{t}" for t in dict.fromkeys(tags))  # a story is listed once per tag


def list_firsts(stories: Sequence[Story], tag_pages: Mapping[str, str]) -> dict[str, str]:
    """The first page of every month, outlet and tag list, as :mod:`archive_pages` names them."""
    months = {s.date[:7] if s.date else UNDATED for s in stories}
    out = {f"month:{m}": f"{TIMELINE_DIR}/{m}.md" for m in months}
    out.update((f"outlet:{name}", page) for name, page in outlet_paths(list(stories)).items())
    if any(not s.outlet for s in stories):
        out["outlet:"] = f"{OUTLETS_DIR}/{UNKNOWN_OUTLET}.md"
    out.update((f"tag:{tag}", page) for tag, page in tag_pages.items())
    return out


def lists_to_make(old: Mapping[str, Listing], new: Mapping[str, Listing], old_firsts: Mapping[str, str],
                  new_firsts: Mapping[str, str]) -> set[str]:
    """First pages of the lists that can differ from the last run's: those a story joined, left
    or shows differently on, and those whose page moved (a list is made from its stories' lines
    only; the indexes are always made)."""
    touched: set[str] = set()
    for rel in old.keys() | new.keys():
        before, after = old.get(rel), new.get(rel)
        if before != after:
            for entry in (before, after):
                if entry is not None:
                    touched.update(_lists_of(entry))
    make = {new_firsts[name] for name in touched if name in new_firsts}
    make.update(page for name, page in new_firsts.items() if old_firsts.get(name) != page)
    return make


def list_pages(listing: Mapping[str, Listing], firsts: Mapping[str, str]) -> dict[str, list[str]]:
    """Every page of every list, by the list's first page (a list of n stories has
    ceil(n / PAGE_SIZE) pages, at least one)."""
    sizes: dict[str, int] = defaultdict(int)
    for entry in listing.values():
        for name in _lists_of(entry):
            sizes[name] += 1
    out = {}
    for name, first in firsts.items():
        n = max(1, -(-sizes[name] // PAGE_SIZE))
        out[first] = [first, *(f"{first.removesuffix('.md')}/{k}.md" for k in range(2, n + 1))]
    return out


class Writer:
    """Writes one run's docs/, checking each file against the last run's record of it (``old``)
    and recording what it leaves there in ``new``."""

    def __init__(self, config: ArchiveConfig, old: State, new: State, captures: Captures, summary: Summary,
                 scan: DocsScan, force: bool) -> None:
        self.config, self.old, self.new, self.captures, self.summary = config, old, new, captures, summary
        self.scan, self.force = scan, force
        # The archive pages being made: (digest of what they show, signatures if all are kept
        # as they are, else the call that waits for the child making them).
        self.archive: tuple[str, dict[str, Sig] | None, Callable[[], Any] | None] | None = None
        self.lists: set[str] | None = None  # the lists being made (None: all of them)
        self._tags: tuple[tuple[str, ...], dict[str, str]] | None = None

    def output_ok(self, rel: str, sha256: str, sig: Sig | None) -> Sig | None:
        """The file's current signature if it still holds what was recorded, else None."""
        now = self.scan.files.get(rel)
        if now is None:
            return None
        if now == sig and trusted(sig, self.old.saved_ns):
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

    def reuse(self, rel: str, old: Output, into: dict[str, Output]) -> bool:
        """Keep a recorded output if the file still holds it; reported as it was."""
        sig = self.output_ok(rel, old.sha256, old.sig)
        if sig is None:
            return False
        old.sig = sig  # the old state is not kept: its record moves to the new one
        into[rel] = old
        if old.kept:
            self.summary.kept_edits.append(rel)
        else:
            self.summary.unchanged += 1
        return True

    def copy_ok(self, rel: str) -> Sig | None:
        """The signature of a capture copy if it still holds the bytes its name promises."""
        sig, name = self.old.copies.get(rel), rel.rsplit("/", 1)[-1]
        if sig is None or not name.endswith(".txt"):
            return None
        return self.output_ok(rel, name.removesuffix(".txt"), sig)

    def copy(self, version: Story) -> str:
        rel = capture_copy_path(version)
        sig = self.copy_ok(rel)
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

    def no_change(self, keys: list[str], relink: bool) -> bool:
        """True (and reported) when the stories and every file the last run made are unchanged."""
        old = self.old
        if self.force or relink or old.model is None or not old.complete or not old.archive_digest or \
                old.model.keys != sorted(keys, key=self._path_of) or old.site_name != self.config.site_name:
            return False
        pages, archive, copies = {}, {}, {}
        counts = Summary()
        for outputs, into in ((old.pages, pages), (old.archive, archive)):
            for rel, out in outputs.items():
                sig = self.output_ok(rel, out.sha256, out.sig)
                if sig is None:
                    return False
                into[rel] = replace(out, sig=sig)
                if out.kept:
                    counts.kept_edits.append(rel)
                else:
                    counts.unchanged += 1
        for rel in old.copies:
            sig = self.copy_ok(rel)
            if sig is None:
                return False
            copies[rel] = sig
            counts.unchanged += 1
        self.new.pages, self.new.archive, self.new.copies = pages, archive, copies
        self.new.archive_digest, self.new.model, self.new.stories = old.archive_digest, old.model, old.stories
        self.new.complete, self.new.tag_pages = True, old.tag_pages
        self.new.listing, self.new.lists = old.listing, old.lists
        self.summary.unchanged += counts.unchanged
        self.summary.kept_edits += counts.kept_edits
        self.summary.stories = old.stories
        return True

    def _path_of(self, key: str) -> str:
        return self.captures.by_key[key].found.rel

    def start_archive(self, stories: list[Story], paths: dict[str, str]) -> None:
        """Start making the archive pages (month, outlet and tag lists), on another core, while
        linking finishes and story pages are written; assuming every story page gets written
        (else they are made again at the end of :meth:`write`)."""
        digest = archive_digest_of(stories, paths, self.config.site_name)
        kept = self._archive_kept(digest)
        old_sha = {} if self.force else {name: out.sha256 for name, out in self.old.archive.items()}
        site_name = self.config.site_name
        self.new.listing = listing_of(stories, paths)
        self.new.lists = list_firsts(stories, self.tag_pages(stories)[1])
        lists = self.lists = None if self.force or not self.old.listing or not self.old.archive else \
            lists_to_make(self.old.listing, self.new.listing, self.old.lists, self.new.lists)
        pending = None if kept is not None else \
            in_background(lambda: archive_texts(stories, paths, site_name, old_sha, lists))
        self.archive = (digest, kept, pending)

    def tag_pages(self, stories: list[Story]) -> tuple[tuple[str, ...], dict[str, str]]:
        """The tags and their pages (the last run's pages when the tags are the same)."""
        tags = tuple(sorted({t for s in stories for t in s.tags}))
        if self._tags is None or self._tags[0] != tags:
            known = self.old.tag_pages
            self._tags = (tags, known[1] if known and known[0] == tags else tag_paths(stories))
        return self._tags

    def _archive_kept(self, digest: str) -> dict[str, Sig] | None:
        """The archive pages' signatures if they are all as the last run made them, from the
        same stories (so there is nothing to make), else None."""
        if self.force or digest != self.old.archive_digest or not self.old.archive:
            return None
        kept = {}
        for name, out in self.old.archive.items():
            sig = self.output_ok(name, out.sha256, out.sig)
            if sig is None:
                return None
            kept[name] = sig
        return kept

    def _copy_versions(self, story: Story, links: LinkedArchive, produced: set[str],
                       failed: set[str]) -> bool:
        """Copy the story's capture versions into the archive, adding them to ``produced``; a
        capture that cannot be copied skips the story (reported, added to ``failed``)."""
        try:
            for version in links.versions(story):
                produced.add(self.copy(version))
        except CaptureError as exc:
            self.summary.skipped.append((story.capture.path, str(exc)))
            failed.add(story.capture.path)
            return False
        return True

    def write(self, links: LinkedArchive) -> set[str]:
        """Story pages, capture copies and archive pages; what is unchanged is not generated."""
        summary, config = self.summary, self.config
        key_of = {self.captures.by_key[k].found.rel: k for k in links.model.keys} if links.model else {}
        stories = links.stories
        self.new.tag_pages = self.tag_pages(stories)
        tag_pages = self.new.tag_pages[1]
        if self.archive is None:
            self.start_archive(stories, links.paths)
        assert self.archive is not None
        archive_digest, kept, pending = self.archive
        old_sha = {} if self.force else {name: out.sha256 for name, out in self.old.archive.items()}
        produced: set[str] = set()
        failed: set[str] = set()  # stories whose page could not be written: not listed anywhere
        for story in stories:
            page = links.paths[story.capture.path]
            produced.add(page)
            key = key_of.get(story.capture.path, "")
            page_links = links.links(page)
            digest = page_digest(key, story, page, page_links, tag_pages)
            old = self.old.pages.get(page)
            if not self.force and old is not None and old.digest == digest and \
                    self.reuse(page, old, self.new.pages):
                self._copy_versions(story, links, produced, failed)
                continue
            try:
                whole = self.captures.whole([key])[key][0] if key else story
                if whole.tags != story.tags:
                    whole = replace(whole, tags=list(story.tags))
                markdown = story_markdown(whole, page, links, tag_pages)
            except Exception as exc:  # a generator bug must not lose the other stories
                summary.skipped.append((story.capture.path, f"internal error while writing its page "
                                                            f"({type(exc).__name__}: {exc})"))
                failed.add(story.capture.path)
                continue
            if not self._copy_versions(story, links, produced, failed):
                continue
            outcome = write_page(config.docs / page, markdown, force=self.force)
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
            archive_digest = archive_digest_of(listed, links.paths, config.site_name)
            kept = self._archive_kept(archive_digest)
            pending, self.lists = None, None
            self.new.listing = listing_of(listed, links.paths)
            self.new.lists = list_firsts(listed, self.tag_pages(listed)[1])
        if kept is not None:
            for name, out in self.old.archive.items():
                self.new.archive[name] = replace(out, sig=kept[name])
                if out.kept:
                    summary.kept_edits.append(name)
                else:
                    summary.unchanged += 1
        else:
            texts = pending() if pending is not None else \
                archive_texts(listed, links.paths, config.site_name, old_sha)
            every: dict[str, str] = {}
            if self.lists is not None:  # lists not made are as the last run made them
                made = {name for name, _, _ in texts}
                for first, names in list_pages(self.new.listing, self.new.lists).items():
                    if first not in self.lists:
                        texts += [(name, "", None) for name in names if name not in made]
            for name, _sha, text in texts:
                old = self.old.archive.get(name)
                if text is None and old is not None and self.reuse(name, old, self.new.archive):
                    continue
                if text is None:  # as recorded, but no longer on disk as it was: write it again
                    every = every or archive_pages(listed, links.paths, config.site_name)
                    if name not in every:  # (cannot happen: list_pages counts as archive_pages)
                        continue
                    text = every[name]
                outcome = write_page(config.docs / name, text, force=self.force)
                summary.record(name, outcome)
                record = self.record_page(name, "", text, outcome)
                if record is not None:
                    self.new.archive[name] = record
        self.new.archive_digest = archive_digest
        self.new.model = links.model
        produced.update(self.new.archive)
        return produced
