"""What an ingest did, and how it is shown: one count line, then what needs a person's attention."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archivist.writer import Outcome

UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: controls, bidi overrides and lone surrogates escaped."""
    return UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace")
                           .decode("ascii"), text)


@dataclass
class Summary:
    """What an ingest did, for the report at the end of the run."""

    read: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edits: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (capture path, reason)
    excluded: list[str] = field(default_factory=list)  # by their sidecar; not a problem
    stale: list[str] = field(default_factory=list)
    stale_edited: list[str] = field(default_factory=list)  # kept even with --prune
    pruned: list[str] = field(default_factory=list)
    stories: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def timing_line(self) -> str:
        return "time: " + ", ".join(f"{stage} {secs:.1f} s" for stage, secs in self.timings.items())

    def record(self, rel: str, outcome: Outcome) -> None:
        if outcome is Outcome.WRITTEN:
            self.written.append(rel)
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.kept_edits.append(rel)

    @property
    def problems(self) -> int:
        return len(self.skipped) + len(self.kept_edits) + len(self.stale) + len(self.stale_edited)

    def lines(self) -> list[str]:
        """The report: a one-line count, then one line per file that needs a person's attention.

        Paths and reasons can hold text from the captures (file names, YAML snippets), so control
        characters are shown escaped: a file name must not be able to drive the terminal.
        """
        return [printable(line) for line in self._lines()]

    def _lines(self) -> list[str]:
        out = [
            f"{self.read} captures read, {self.stories} stories archived: "
            f"{len(self.written)} files written, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped."
        ]
        out += [f"  skipped {path}: {reason}" for path, reason in sorted(self.skipped)]
        out += [f"  excluded {path}: by its sidecar" for path in self.excluded]
        out += [f"  kept {path}: edited by hand (use --force to regenerate)" for path in
                self.kept_edits]
        out += [f"  stale {path}: its capture is gone (use --prune to remove)" for path in
                self.stale]
        out += [f"  stale {path}: its capture is gone, but it was edited by hand, so it is kept"
                for path in self.stale_edited]
        out += [f"  removed {path}" for path in self.pruned]
        return out
