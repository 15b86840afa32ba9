"""Pagefind search in a real browser: a name, a quoted phrase, an outlet and a word with
diacritics each find their story, and results show title, outlet and date.

Built once in Pagefind mode (``plugins: []``, ``extra: archivist: search: pagefind``) and
opened in headless Debian Chromium; skipped with the reason where Chromium is missing, failing
instead in CI (see test_browser.py).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from captures import DATED, EARLIER
from conftest import make_project, write_capture
from test_browser import CHROMIUM, CHROMIUM_ARGS, _require_browser

CAFE = """Zürich Café Owner Wins Award
By Jürgen Holm
March 5, 2020
The owner of a small café in Zürich won the city's hospitality award on Thursday, after a public vote that drew more entries than any year before.
Holm said the award belonged to his staff, who had kept the café open through a long renovation of the square outside.
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def search_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_api = _require_browser()
    project = make_project(tmp_path_factory.mktemp("pagefind"))
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("plugins:\n  - search\n", "plugins: []\n").replace(
        "search: material", "search: pagefind")
    (project / "mkdocs.yml").write_text(config)
    for name, text in (("harbor.txt", DATED), ("earlier.txt", EARLIER), ("cafe.txt", CAFE)):
        write_capture(project, name, text)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_load_state("networkidle")
        yield page, errors
        browser.close()
    server.shutdown()


def _search(page: Any, query: str, expect: str) -> list[tuple[str, str]]:
    page.fill(".md-search__input", "")
    page.fill(".md-search__input", query)
    page.wait_for_function(
        "e => [...document.querySelectorAll('.md-search-result__item h1')]"
        ".some(h => h.textContent === e)", arg=expect, timeout=10_000)
    return page.eval_on_selector_all(
        ".md-search-result__item article",
        "els => els.map(a => [a.querySelector('h1').textContent,"
        " a.querySelector('.archivist-search-meta').textContent])")


HARBOR = "Harbor Bridge Reopens After Two-Year Repair"
CAFE_TITLE = "Zürich Café Owner Wins Award"


@pytest.mark.parametrize(("query", "expect"), [
    ("Ana Ruiz", HARBOR),  # a person's name
    ('"cut a ribbon"', HARBOR),  # a phrase in quotes
    ("Harbor Daily", HARBOR),  # an outlet
    ("Zürich", CAFE_TITLE),  # a word with diacritics...
    ("Zurich", CAFE_TITLE),  # ... typed without them
])
def test_search_finds_the_story(search_page: Any, query: str, expect: str) -> None:
    page, errors = search_page
    results = _search(page, query, expect)
    assert expect in [title for title, _ in results]
    assert errors == []


def test_results_show_title_outlet_and_date(search_page: Any) -> None:
    page, _ = search_page
    results = dict(_search(page, "Ana Ruiz", HARBOR))
    assert "Harbor Daily" in results[HARBOR] and "2019" in results[HARBOR]


def test_a_quoted_phrase_matches_only_where_the_words_stand_together(search_page: Any) -> None:
    page, _ = search_page
    titles = [title for title, _ in _search(page, '"transport department said"', EARLIER_TITLE)]
    assert titles == [EARLIER_TITLE]  # the other Harbor story has the words, not the phrase


EARLIER_TITLE = "Harbor Bridge Repair Falls Behind Schedule"
