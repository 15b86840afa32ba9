"""MkDocs hooks: ``mkdocs build`` and ``mkdocs serve`` run the ingest first, and serve watches
``sources/``. They do nothing else, so a builder that skips hooks builds the same site from the
pages ``archivist ingest`` wrote.
"""

from __future__ import annotations

import logging
import sys
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
from archivist.search_index import SearchIndexError, run_pagefind

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


def on_post_build(config: Any) -> None:
    """With ``extra: archivist: search: pagefind``, index the built story pages with Pagefind."""
    if not _pagefind_mode(config):
        return
    try:
        run_pagefind(Path(config.site_dir))
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from None


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when a capture is added, changed or removed."""
    sources = _config(config).sources
    if sources.is_dir():
        server.watch(str(sources))
    return server
