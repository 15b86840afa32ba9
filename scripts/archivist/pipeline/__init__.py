"""Ingest: every capture in ``sources/`` becomes a page in ``docs/``. The stages, in order:

========================  =========================================================================
``discover``              the captures under sources/ and their sidecars; other files reported
``captures``              each capture's sha256 (by file signature), site template, cleaning key
``cleaning``              cleaning one capture: a pure function, run in worker processes
``linking``               versions, paths, links, related stories, tags: the link model updated
``writing``               story pages, capture copies, archive pages: only what changed
``docs``                  one scan of docs/ before writing; stale pages reported or removed
``state``                 what this run leaves for the next (``.archivist-cache/state.pickle``)
``report``                the summary printed at the end
========================  =========================================================================

A re-run does only what changed: a capture is read only when its file signature changed,
cleaned only when its cleaning key changed, linking updates the last link model, and a page is
generated only when its inputs changed. Anything the state does not vouch for is done in full,
and the state is only saved (atomically) at the end of a run, so a killed run, a deleted or
damaged cache or an edited file costs time, never correctness.
"""

from __future__ import annotations

import gc
import time

from archivist.cache import CleanCache
from archivist.config import ArchiveConfig
from archivist.executors import Runner
from archivist.pipeline import linking, state
from archivist.pipeline.captures import Captures
from archivist.pipeline.cleaning import Excluded, Job, Result, clean_one
from archivist.pipeline.discover import discover
from archivist.pipeline.docs import prune_stale, scan_docs
from archivist.pipeline.report import Summary, printable
from archivist.pipeline.writing import Writer
from archivist.writer import flush

__all__ = ["Excluded", "Job", "Result", "Summary", "clean_one", "ingest", "printable"]


def ingest(
    config: ArchiveConfig,
    *,
    force: bool = False,
    prune: bool = False,
    progress: bool = True,
    jobs: int | None = None,
    executor: str | None = None,
    relink: bool = False,
) -> Summary:
    """Archive every capture: clean, link, generate and write pages; return what happened.

    ``relink`` fits the link stage from scratch instead of updating the last one.
    """
    summary = Summary()
    started = time.perf_counter()
    store = state.store_of(config)
    old = state.load(store, config)
    gc.freeze()  # the loaded state is not garbage: keep collections from walking it
    try:
        new = state.State(old.root, old.sources, old.docs, config.site_name)
        scan = scan_docs(config.docs)
        found = discover(config, summary)
        summary.read = len(found)
        cache = CleanCache(config.cache_dir / "cleaned.sqlite" if config.cache_dir else None)
        try:
            with Runner(jobs, executor) as runner:
                captures = Captures(config, old, new, cache, runner, summary)
                captures.identify(found)
                captures.site_templates()
                keys = captures.clean(progress)
                linking_started = time.perf_counter()
                summary.timings["cleaning"] = linking_started - started
                writer = Writer(config, old, new, captures, summary, scan, force)
                if writer.no_change(keys, relink):
                    produced = set(new.pages) | set(new.copies) | set(new.archive)
                    writing_started = time.perf_counter()
                    summary.timings["linking"] = writing_started - linking_started
                else:
                    links = linking.link(captures, old.model, keys, relink, writer.start_archive)
                    writing_started = time.perf_counter()
                    summary.timings["linking"] = writing_started - linking_started
                    runner.close()  # no worker processes (nor their threads) while writing
                    produced = writer.write(links)
        finally:
            cache.close()
        prune_stale(config, scan, produced, summary, prune)
        if summary.written or summary.pruned:  # so a power cut after ingest loses nothing
            flush(config.docs, summary.written, summary.pruned)
        new.saved_ns = time.time_ns()
        state.save(store, new)
        summary.timings["writing"] = time.perf_counter() - writing_started
        return summary
    finally:
        gc.unfreeze()
