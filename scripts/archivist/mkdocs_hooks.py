"""MkDocs hooks: ``mkdocs build`` and ``mkdocs serve`` run the ingest first, and serve watches
``sources/``. They do nothing else, so a builder that skips hooks builds the same site from the
pages ``archivist ingest`` wrote.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    from archivist.config import ArchiveConfig
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from archivist.config import ArchiveConfig

from mkdocs.exceptions import PluginError

from archivist.generate.paths import STORIES_DIR
from archivist.model import CaptureError
from archivist.pipeline import ingest
from archivist.search_index import (
    SHARD_PAGES,
    SKIP_MIN_PAGES,
    SearchIndexError,
    ShardRunner,
    plan_shards,
    run_pagefind,
    story_folder,
)

STORY_PREFIX = STORIES_DIR + "/"

log = logging.getLogger("mkdocs.archivist")


def _config(config: Any) -> ArchiveConfig:
    """The archive next to mkdocs.yml; ``extra: archivist: sources:`` may point elsewhere."""
    root = Path(config.config_file_path).resolve().parent
    sources = (config.extra.get("archivist") or {}).get("sources")
    return ArchiveConfig.at(root, sources=root / sources if sources else None, docs=Path(config.docs_dir))


def on_pre_build(config: Any) -> None:
    """Bring docs/ up to date with sources/ before MkDocs collects the pages."""
    try:
        summary = ingest(_config(config), progress=False)
    except CaptureError as exc:
        log.warning("archivist: %s", exc)
        return
    except OSError as exc:  # docs/ not writable, disk full: one line, not a traceback
        log.warning("archivist: cannot write the archive: %s", exc)
        return
    lines = summary.lines()
    log.info("archivist: %s", lines[0])
    for line in lines[1:]:
        log.info("archivist: %s", line.strip())
    log.info("archivist: %s", summary.timing_line())


def _pagefind_mode(config: Any) -> bool:
    return (config.extra.get("archivist") or {}).get("search") == "pagefind"


# Pagefind indexes the stories' search records (read from docs/, see search_records.py) in the
# background from the start of the build, on a core MkDocs' single thread leaves idle.
_search: dict[str, Any] = {"runner": None}


def on_files(files: Any, config: Any) -> Any:
    """Plan the search shards from the story pages MkDocs is about to build (in its order) and
    start indexing them: the ingest has written docs/, and each page's built path is known."""
    _abandon()
    if not _pagefind_mode(config):
        return files
    folders: dict[str, int] = {}
    pages: dict[str, list[tuple[str, str]]] = {}
    for file in files.documentation_pages():
        folder = story_folder(file.src_uri, STORIES_DIR)
        if folder is not None:
            folders[folder] = folders.get(folder, 0) + 1
            pages.setdefault(folder, []).append((file.abs_src_path, file.dest_uri))
    options = config.extra.get("archivist") or {}
    shard_pages = options.get("search_shard_pages")  # 0: one index, however large the archive
    shards = plan_shards(folders.items(), SHARD_PAGES if shard_pages is None else int(shard_pages))
    if shards:
        runner = ShardRunner(
            Path(tempfile.mkdtemp(prefix="archivist-search-")), shards,
            {s.number: [p for name in s.folders for p in pages[name]] for s in shards},
            language=str(config.theme.get("language") or "en"),
            skip_min_pages=int(options.get("search_skip_min_pages") or SKIP_MIN_PAGES))
        try:
            runner.start_all()
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        _search["runner"] = runner
    return files


def _abandon() -> None:
    runner, _search["runner"] = _search["runner"], None
    if runner is not None:
        runner.abandon()


def on_post_build(config: Any) -> None:
    """With ``extra: archivist: search: pagefind``, wait for the search index (started in
    ``on_files``) and move it into the site before the build ends."""
    if not _pagefind_mode(config):
        return
    runner, _search["runner"] = _search["runner"], None
    try:
        if runner is None:  # no story pages: an empty index, so the search box still works
            run_pagefind(Path(config.site_dir))
            return
        start = time.perf_counter()
        manifest = runner.finish(Path(config.site_dir))
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from None
    log.info("archivist: search index in %d shard(s), %d word(s) droppable from unquoted queries; "
             "waited %.1f s for it after the pages", len(manifest["bundles"]) + 1, len(manifest["skip"]),
             time.perf_counter() - start)


def on_build_error(error: Exception) -> None:
    """A failed build runs no further search shard and leaves no scratch folder."""
    _abandon()


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when a capture is added, changed or removed."""
    sources = _config(config).sources
    if sources.is_dir():
        server.watch(str(sources))
    return server
