"""Full-text search for large archives: Pagefind over the built story pages.

Material's built-in search ships one index for the whole site (48 MB at 10,000 pages), which
the browser downloads and builds before the first result. Pagefind splits its index into
chunks, so a query loads a few tens of kilobytes whatever the archive's size.

Pagefind indexes in its own process. :class:`LiveIndex` hands it each story page as MkDocs
renders it, so on a multi-core machine indexing runs beside the (single-threaded) build instead
of after it; :func:`run_pagefind` is the one-shot fallback over a built site.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

STORY_GLOB = "stories/**/*.html"  # stories only: archive listings would crowd the results
ROOT_SELECTOR = ".md-content"  # the article, without header, nav and footer
EXCLUDE = [".archivist-capture"]


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which and why."""


def pagefind_command(site: Path) -> list[str]:
    return [
        sys.executable, "-m", "pagefind",
        "--site", str(site),
        "--glob", STORY_GLOB,
        "--root-selector", ROOT_SELECTOR,
        "--exclude-selectors", ",".join(EXCLUDE),
        "--quiet",
    ]


def run_pagefind(site: Path) -> None:
    """Write ``site/pagefind/`` (the index and its small JavaScript runtime) in one go."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        raise SearchIndexError("search: pagefind needs the 'pagefind[bin]' package") from None
    done = subprocess.run(pagefind_command(site), capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SearchIndexError(f"pagefind failed: {detail[0]}")


class LiveIndex:
    """A Pagefind index fed page by page while the site is built (an event loop in a thread)."""

    def __init__(self) -> None:
        try:
            from pagefind.index import PagefindIndex
        except ImportError:
            raise SearchIndexError("search: pagefind needs the 'pagefind[bin]' package") from None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._pending: list[Future[Any]] = []
        config = {"root_selector": ROOT_SELECTOR, "exclude_selectors": EXCLUDE}
        self._index = self._call(PagefindIndex(config=config).__aenter__())  # type: ignore[arg-type]

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def add(self, html: str, url: str) -> None:
        """Queue a rendered page; returns at once (Pagefind works on it in its own process)."""
        self._pending.append(asyncio.run_coroutine_threadsafe(
            self._index.add_html_file(content=html, url=url), self._loop))

    def write(self, output: Path) -> int:
        """Wait for every queued page, write the bundle to ``output``; the number of pages."""
        try:
            for future in self._pending:
                future.result()
            self._call(self._index.write_files(output_path=str(output)))
            return len(self._pending)
        except Exception as exc:
            raise SearchIndexError(f"pagefind failed: {exc}") from None
        finally:
            self.close()

    def close(self) -> None:
        if self._loop.is_running():
            with contextlib.suppress(Exception):
                self._call(self._index.__aexit__(None, None, None))
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
