"""Where things are: the one typed configuration the CLI and the MkDocs hooks share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ArchiveConfig:
    """Paths of one archive. ``root`` is the project folder (where ``mkdocs.yml`` lives); capture
    paths recorded in pages are relative to it, so pages do not depend on where it is checked out.
    """

    root: Path
    sources: Path
    docs: Path
    site_name: str = "News Archive"
    cache_dir: Path | None = None  # None: no cache of cleaning results
    # A news page's text is tens of kilobytes; live blogs and transcripts reach a few megabytes.
    # Past this a file is not one article, and would make a page and a search index that no
    # reader's browser handles well, so it is reported instead of read.
    max_capture_bytes: int = 10 * 1024 * 1024

    @classmethod
    def at(cls, root: Path, sources: Path | None = None, docs: Path | None = None,
           cache: bool = True) -> ArchiveConfig:
        root = root.resolve()
        return cls(
            root=root,
            sources=(sources or root / "sources").resolve(),
            docs=(docs or root / "docs").resolve(),
            cache_dir=root / ".archivist-cache" if cache else None,
        )

    def relative(self, path: Path) -> str:
        """A path as recorded in pages: relative to the root when inside it, POSIX slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().as_posix()
