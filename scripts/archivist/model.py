"""The one content model every reader produces and every generator consumes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Image:
    """A photo the capture showed: its caption and credit (the picture itself is not captured)."""

    caption: str
    credit: str | None = None


@dataclass(frozen=True)
class Capture:
    """Provenance of a story: which file it came from and what its bytes were."""

    path: str  # relative to the repository root, with forward slashes
    sha256: str
    bytes: int


@dataclass
class Cleaned:
    """What the cleaner finds in one capture's text; no I/O, no provenance."""

    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # ISO date, YYYY-MM-DD
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    related_titles: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    update_note: str | None = None
    # The body as safe Markdown (headings, lists, quotes, links; page text escaped), when the
    # capture had that structure (HTML); None for text captures, whose paragraphs are plain.
    markdown: str | None = None

    @property
    def body(self) -> str:
        """Plain-text body, paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


@dataclass
class Story:
    """A cleaned capture plus its provenance, sidecar corrections and tags: one archive page."""

    capture: Capture
    title: str
    cleaned: Cleaned
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    captured_at: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.cleaned.paragraphs


class CaptureError(Exception):
    """A capture that cannot be archived; the message is the reason shown to the user."""
