"""``archivist verify``: check that every archived page still matches the capture it came from.

Each story page records its capture's path and sha256 in its front matter; the archive also
publishes a copy of the capture under ``docs/captures/<sha256>.txt``. Verifying re-hashes both
and reports what no longer matches, without changing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import frontmatter
import yaml

from archivist.config import ArchiveConfig
from archivist.generate.paths import CAPTURES_DIR, STORIES_DIR
from archivist.pipeline import printable
from archivist.writer import file_sha256

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class VerifyReport:
    """Pages checked and, for each problem, the page and what is wrong with its capture."""

    checked: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)  # (page, capture path)
    missing: list[tuple[str, str]] = field(default_factory=list)
    copies: list[tuple[str, str]] = field(default_factory=list)  # (page, problem with the copy)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (page, why)

    @property
    def problems(self) -> int:
        return len(self.changed) + len(self.missing) + len(self.copies) + len(self.unreadable)

    def lines(self) -> list[str]:
        out = [
            f"{self.checked} pages checked: {self.checked - self.problems} match their capture, "
            f"{len(self.changed)} changed, {len(self.missing)} missing, "
            f"{len(self.copies)} bad copies, {len(self.unreadable)} without a capture record."
        ]
        out += [f"  changed {capture}: its bytes differ from those recorded in {page}"
                for page, capture in self.changed]
        out += [f"  missing {capture}: recorded in {page}, no longer in sources/"
                for page, capture in self.missing]
        out += [f"  copy {page}: {problem}" for page, problem in self.copies]
        out += [f"  unreadable {page}: {why}" for page, why in self.unreadable]
        return [printable(line) for line in out]


def _record(text: str) -> tuple[str, str]:
    """The capture path and sha256 a page records, or ValueError saying what is wrong."""
    try:
        meta = frontmatter.loads(text).metadata
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from None
    capture = meta.get("capture")
    if not isinstance(capture, dict):
        raise ValueError("no 'capture' record in its front matter")
    path, sha = capture.get("path"), capture.get("sha256")
    if not isinstance(path, str) or not path or not isinstance(sha, str) or not _SHA256.match(sha):
        raise ValueError("its 'capture' record has no valid path and sha256")
    return path, sha


def verify(config: ArchiveConfig) -> VerifyReport:
    """Re-hash every page's capture in ``sources/`` and its copy in ``docs/captures/``."""
    report = VerifyReport()
    stories = config.docs / STORIES_DIR
    pages = sorted(p for p in stories.rglob("*.md") if not p.name.startswith(".")) \
        if stories.is_dir() else []
    for page in pages:
        rel = page.relative_to(config.docs).as_posix()
        report.checked += 1
        try:
            capture, sha = _record(page.read_text("utf-8", errors="replace"))
        except (ValueError, OSError) as exc:
            report.unreadable.append((rel, str(exc)))
            continue
        source = (config.root / capture).resolve()
        if not source.is_relative_to(config.sources):
            # A page (perhaps edited by hand) must not make verify read files elsewhere.
            report.unreadable.append((rel, f"its capture path {capture!r} is outside sources/"))
            continue
        if not source.is_file():
            report.missing.append((rel, capture))
        elif file_sha256(source) != sha:
            report.changed.append((rel, capture))
        copy = config.docs / CAPTURES_DIR / f"{sha}.txt"
        if not copy.is_file():
            report.copies.append((rel, f"{CAPTURES_DIR}/{sha}.txt is missing"))
        elif file_sha256(copy) != sha:
            report.copies.append((rel, f"{CAPTURES_DIR}/{sha}.txt does not match its hash"))
    return report
