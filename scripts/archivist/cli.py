"""The ``archivist`` command line."""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

import click

from archivist import __version__
from archivist.config import ArchiveConfig
from archivist.model import CaptureError
from archivist.pipeline import ingest as run_ingest
from archivist.readers import read_capture
from archivist.verify import verify as run_verify

_DIR = click.Path(file_okay=False, path_type=Path)


DEBUG_ENV = "ARCHIVIST_DEBUG"


class _Group(click.Group):
    """Every command's errors end as one line, never a traceback (unless ARCHIVIST_DEBUG=1).

    A capture problem is reported by the command itself; what reaches here is a problem with
    the folders (a docs/ that cannot be written, a full disk) or a bug, and a user needs its
    one-line cause, not Python's stack.
    """

    # Loaded when run: the evaluation and benchmark commands import what ``ingest`` never needs
    # (a second of start-up out of the 5 s a re-run after adding one capture may take).
    LAZY: ClassVar[dict[str, str]] = {"eval": "archivist.evaluate:eval_group",
                                      "bench": "archivist.evaluate.bench:bench_command"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            module, name = self.LAZY[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except CaptureError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                traceback.print_exc()
            click.echo(f"Error: internal error ({type(exc).__name__}: {exc}); "
                       f"set {DEBUG_ENV}=1 to see where.", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archivist")
def main() -> None:
    """Turn raw news-page captures into a clean, cross-linked, searchable MkDocs archive.

    Typical use: put captures in sources/, run `archivist ingest`, then `mkdocs serve`
    (which also runs the ingest itself on every rebuild).
    """


@main.command()
@click.option("--sources", type=_DIR, default=None, help="Folder of raw captures [default: sources/].")
@click.option("--docs", type=_DIR, default=None, help="MkDocs docs folder to write [default: docs/].")
@click.option("--root", type=_DIR, default=Path("."), show_default=True,
              help="Project folder; capture paths in pages are recorded relative to it.")
@click.option("--force", is_flag=True, help="Regenerate pages even where they were edited by hand.")
@click.option("--prune", is_flag=True, help="Remove pages whose capture is gone from sources/.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any capture was skipped or reported.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary details.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for cleaning [default: one per core].")
@click.option("--executor", metavar="dask://HOST:PORT", default=None,
              help="Clean on a Dask cluster instead (needs archivist[dask]).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the cache of cleaning results.")
@click.option("--relink", is_flag=True,
              help="Link from scratch (fit the related-stories vocabulary again) instead of updating.")
def ingest(sources: Path | None, docs: Path | None, root: Path, force: bool, prune: bool,
           strict: bool, quiet: bool, jobs: int | None, executor: str | None, no_cache: bool,
           relink: bool) -> None:
    """Clean every capture in SOURCES and write one Markdown page per story into DOCS."""
    config = ArchiveConfig.at(root, sources, docs, cache=not no_cache)
    try:
        summary = run_ingest(config, force=force, prune=prune, progress=not quiet, jobs=jobs,
                             executor=executor, relink=relink)
    except (CaptureError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    lines = summary.lines()
    click.echo(lines[0])
    if not quiet:
        for line in lines[1:]:
            click.echo(line, err=True)
        click.echo(summary.timing_line(), err=True)
    if strict and summary.problems:
        sys.exit(1)


@main.command()
@click.option("--sources", type=_DIR, default=None, help="Folder of raw captures [default: sources/].")
@click.option("--docs", type=_DIR, default=None, help="MkDocs docs folder to check [default: docs/].")
@click.option("--root", type=_DIR, default=Path("."), show_default=True,
              help="Project folder; capture paths in pages are relative to it.")
def verify(sources: Path | None, docs: Path | None, root: Path) -> None:
    """Re-hash every archived capture and report those that changed or disappeared.

    Each page records the sha256 of its capture; this checks sources/ and the published copies
    in docs/captures/ against it, changes nothing, and exits with status 1 on any mismatch.
    """
    report = run_verify(ArchiveConfig.at(root, sources, docs))
    lines = report.lines()
    click.echo(lines[0])
    for line in lines[1:]:
        click.echo(line, err=True)
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (for other tools).")
def extract(paths: tuple[Path, ...], as_json: bool) -> None:
    """Clean captures without writing pages and print what was found in each."""
    failed = 0
    for path in paths:
        try:
            if path.stat().st_size > ArchiveConfig.max_capture_bytes:
                raise CaptureError("too large to be one capture")
            story = read_capture(path.read_bytes(), path.as_posix())
        except (CaptureError, OSError) as exc:
            failed += 1
            click.echo(f"{path}: {exc}", err=True)
            continue
        c = story.cleaned
        record = {
            "path": path.as_posix(),
            "title": story.title,
            "description": story.description,
            "authors": story.authors,
            "date": story.date,
            "outlet": story.outlet,
            "url": story.url,
            "language": c.language,
            "body": c.body,
            "related_titles": c.related_titles,
            "images": [asdict(image) for image in c.images],
            "update_note": c.update_note,
        }
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{record['path']}\n  title: {story.title}\n  outlet: {story.outlet}\n"
                       f"  date: {story.date or 'undated'}\n  authors: {', '.join(story.authors)}\n"
                       f"  paragraphs: {len(c.paragraphs)}\n")
    if failed:
        sys.exit(1)

