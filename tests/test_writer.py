"""writer.py: atomic, only-if-changed writes that never overwrite a hand edit."""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
from pathlib import Path

import pytest

from archivist import writer
from archivist.generate.frontmatter_io import render
from archivist.model import CaptureError
from archivist.writer import TEMP_PREFIX, TEMP_SUFFIX, Outcome, atomic_write, write_copy, write_page


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


def test_atomic_write_makes_folders_and_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "stories" / "2024" / "05" / "a.md"
    old = os.umask(0o077)
    try:
        atomic_write(target, b"one")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    atomic_write(target, b"two" * 100_000)
    assert target.read_bytes() == b"two" * 100_000
    assert hidden(tmp_path) == []


def test_atomic_write_steps_over_a_leftover_temporary_name(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A killed run with the same process id left its temporary file: another name is taken,
    and the leftover stays for the start of the next ingest to remove."""
    monkeypatch.setattr(writer, "_SERIAL", itertools.count(7))
    leftover = tmp_path / f"{TEMP_PREFIX}a.md.{os.getpid()}-7{TEMP_SUFFIX}"
    leftover.write_bytes(b"half")
    atomic_write(tmp_path / "a.md", b"page")
    assert (tmp_path / "a.md").read_bytes() == b"page"
    assert hidden(tmp_path) == [leftover.name]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old")

    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "write", disk_full)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert hidden(tmp_path) == []


def test_atomic_write_replaces_a_symlink_not_its_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    link = tmp_path / "docs" / "a.md"
    link.parent.mkdir()
    link.symlink_to(outside)
    atomic_write(link, b"page")
    assert not link.is_symlink() and link.read_bytes() == b"page"
    assert outside.read_bytes() == b"keep"


def test_write_page_new_unchanged_edited_forced(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "p.md"
    text = render({"title": "T"}, "Body.\n")
    assert write_page(page, text) is Outcome.WRITTEN
    mtime = page.stat().st_mtime_ns
    assert write_page(page, text) is Outcome.UNCHANGED
    assert page.stat().st_mtime_ns == mtime
    newer = render({"title": "T"}, "Body, updated.\n")
    assert write_page(page, newer) is Outcome.WRITTEN  # untouched: regenerated
    page.write_text(newer.replace("updated", "edited by hand"))
    assert write_page(page, text) is Outcome.KEPT_EDIT
    assert "edited by hand" in page.read_text()
    assert write_page(page, text, force=True) is Outcome.WRITTEN
    assert page.read_text() == text


def test_write_copy_checks_the_hash_both_ways(tmp_path: Path) -> None:
    source = tmp_path / "sources" / "a.txt"
    source.parent.mkdir()
    source.write_bytes(b"capture")
    sha = hashlib.sha256(b"capture").hexdigest()
    copy = tmp_path / "docs" / "captures" / f"{sha}.txt"
    assert write_copy(copy, source, sha) is Outcome.WRITTEN
    assert write_copy(copy, source, sha) is Outcome.UNCHANGED
    copy.write_bytes(b"tampered")
    assert write_copy(copy, source, sha) is Outcome.WRITTEN
    assert copy.read_bytes() == b"capture"
    copy.unlink()
    copy.symlink_to(source)  # right bytes, but a link: replaced by a real file
    assert write_copy(copy, source, sha) is Outcome.WRITTEN
    assert not copy.is_symlink() and copy.read_bytes() == b"capture"
    source.write_bytes(b"changed since")
    copy.unlink()
    with pytest.raises(CaptureError):
        write_copy(copy, source, sha)
    assert not copy.exists() and hidden(tmp_path) == []


def _watch_flushes(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[str]]:
    """Record each fsync'd file's inode and each os.sync() call."""
    synced: list[int] = []
    calls: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.fstat(fd).st_ino), real_fsync(fd)))
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    return synced, calls


def test_a_run_that_wrote_a_few_files_fsyncs_them_and_their_folders_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few files: no os.sync(), which would wait for every dirty page of the machine."""
    (tmp_path / "stories" / "2021").mkdir(parents=True)
    (tmp_path / "tags").mkdir()
    for rel in ("stories/2021/a.md", "index.md"):
        writer.atomic_write(tmp_path / rel, b"page")
    synced, calls = _watch_flushes(monkeypatch)
    writer.flush(tmp_path, ["stories/2021/a.md", "index.md"], ["tags/gone.md", "old/folder/gone.md"])
    assert calls == []
    expected = [tmp_path / "stories/2021/a.md", tmp_path / "index.md", tmp_path / "stories/2021",
                tmp_path, tmp_path / "tags"]  # the pruned folder "old/folder" no longer exists
    assert sorted(synced) == sorted(p.stat().st_ino for p in expected)


def test_a_run_that_wrote_many_files_flushes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced, calls = _watch_flushes(monkeypatch)
    writer.flush(tmp_path, [f"p{i}.md" for i in range(writer.FSYNC_MAX + 1)])
    assert calls == ["sync"] and synced == []
