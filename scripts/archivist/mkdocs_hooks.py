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

from archivist.model import CaptureError
from archivist.pipeline import ingest

log = logging.getLogger("mkdocs.archivist")


def _config(config: Any) -> ArchiveConfig:
    root = Path(config.config_file_path).resolve().parent
    return ArchiveConfig.at(root, docs=Path(config.docs_dir))


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


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when a capture is added, changed or removed."""
    sources = _config(config).sources
    if sources.is_dir():
        server.watch(str(sources))
    return server
