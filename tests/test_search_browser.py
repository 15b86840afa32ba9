"""Pagefind search in a real browser: a name, a quoted phrase, an outlet and a word with
diacritics each find their story, and results show title, outlet and date.

Built in Pagefind mode (``plugins: []``, ``extra: archivist: search: pagefind``) twice: as one
index, and as the large-archive layout (shards of month folders, merged in the browser, with
the words found on every page dropped from queries), and opened in headless Debian Chromium;
skipped with the reason where Chromium is missing, failing instead in CI (see test_browser.py).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
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
He called the night of the vote “unforgettable”.
"""
# Another page with "unforgettable": the café page has it in curly quotes, which Pagefind
# indexes with and without them (a query for the word matches both pages).
CONCERT = """Youth Orchestra Closes Its Season With An Encore
By Lena Park
June 12, 2021
The youth orchestra closed its season on Friday with an unforgettable encore, played for a crowd that filled every seat of the hall.
The conductor thanked the volunteers who ran the ticket desk and the families who hosted visiting players.
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


# Three layouts: one index; one index whose words found on every page are dropped from
# queries (any word on one page or more may be listed); and shards of at most one page (one per
# month folder, so one per story here), merged in the browser, with the same dropped words.
LAYOUTS = {
    "one index": "search: pagefind",
    "words dropped": "search: pagefind\n    search_skip_min_pages: 1",
    "shards": "search: pagefind\n    search_shard_pages: 1\n    search_skip_min_pages: 1",
}


def build_pagefind_site(project: Path, search: str = "search: pagefind") -> Path:
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("plugins:\n  - search\n", "plugins: []\n").replace("search: material", search)
    (project / "mkdocs.yml").write_text(config)
    for name, text in (("harbor.txt", DATED), ("earlier.txt", EARLIER), ("cafe.txt", CAFE),
                       ("concert.txt", CONCERT)):
        write_capture(project, name, text)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="module", params=list(LAYOUTS))
def search_page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_api = _require_browser()
    project = make_project(tmp_path_factory.mktemp("pagefind"))
    site = build_pagefind_site(project, LAYOUTS[request.param])
    manifest = json.loads((site / "pagefind/archivist-search.json").read_text())
    assert manifest["bundles"] == (["pagefind-2/", "pagefind-3/", "pagefind-4/"] if request.param == "shards"
                                   else [])
    if request.param != "one index":
        assert manifest["skip"]["the"] == []
        # The café and concert stories are the pages without "harbor": list the word as droppable
        # with them, as common_words would on a larger archive (test_search_index.py checks it does).
        fragments = {f.name.split(".")[0]: gzip.decompress(f.read_bytes()) for f in site.glob("pagefind*/fragment/*")}
        manifest["skip"]["harbor"] = [h for h, data in fragments.items() if b"harbor" not in data.lower()]
        assert len(manifest["skip"]["harbor"]) == 2
        (site / "pagefind/archivist-search.json").write_text(json.dumps(manifest))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        requests: list[str] = []  # every URL the page and its workers asked for
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_load_state("networkidle")
        yield page, errors, requests
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
    page, errors, _ = search_page
    results = _search(page, query, expect)
    assert expect in [title for title, _ in results]
    assert errors == []


def test_results_show_title_outlet_and_date(search_page: Any) -> None:
    page, _, _ = search_page
    results = dict(_search(page, "Ana Ruiz", HARBOR))
    assert "Harbor Daily" in results[HARBOR] and "2019" in results[HARBOR]


def test_a_quoted_phrase_matches_only_where_the_words_stand_together(search_page: Any) -> None:
    page, _, _ = search_page
    titles = [title for title, _ in _search(page, '"transport department said"', EARLIER_TITLE)]
    assert titles == [EARLIER_TITLE]  # the other Harbor story has the words, not the phrase


EARLIER_TITLE = "Harbor Bridge Repair Falls Behind Schedule"


def test_a_query_with_words_found_everywhere_finds_the_story(search_page: Any) -> None:
    page, errors, _ = search_page
    titles = [title for title, _ in _search(page, "The owner of the café in Zürich", CAFE_TITLE)]
    assert titles == [CAFE_TITLE]
    assert errors == []


def test_every_word_must_match(search_page: Any) -> None:
    page, _, _ = search_page
    for query in ("the Zürich bridge", '"cut a ribbon" Zürich'):  # no story has both (quotes
        page.fill(".md-search__input", "")  # around part of a query are ignored: plain words)
        page.fill(".md-search__input", query)
        page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent"
                               " === 'No matching stories'", timeout=10_000)


def test_dropped_words_remove_the_pages_that_lack_them(search_page: Any, request: pytest.FixtureRequest) -> None:
    """"Harbor" listed as droppable, lacking from the café page (the fixture writes it):
    "Harbor Zürich" asks Pagefind for "Zürich" only and must still find nothing."""
    if "one index" in request.node.callspec.id:
        pytest.skip("no words dropped in this layout")
    page, _, _ = search_page
    page.fill(".md-search__input", "")
    page.fill(".md-search__input", "Harbor Zürich")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent"
                           " === 'No matching stories'", timeout=10_000)


def _titles(page: Any, query: str) -> list[str]:
    """The result titles once the count is shown for this query (results are drawn before it)."""
    page.fill(".md-search__input", "")
    page.fill(".md-search__input", query)
    page.wait_for_function("() => /matching stor/.test(document.querySelector('.md-search-result__meta')"
                           ".textContent)", timeout=10_000)
    page.wait_for_timeout(300)  # a later keystroke's results would replace these
    return sorted(page.eval_on_selector_all(".md-search-result__item h1", "els => els.map(h => h.textContent)"))


def test_shards_holding_every_word_are_searched_together(search_page: Any) -> None:
    """Both Harbor stories hold "bridge" and "schedule", the café story neither: in shards the
    query runs on two shards of three at once and their results merge."""
    page, errors, _ = search_page
    assert _titles(page, "schedule bridge") == sorted([HARBOR, EARLIER_TITLE])
    assert _titles(page, "bridge city") == [HARBOR]  # "city" is also on the café page
    assert errors == []


def test_a_word_found_nowhere_is_ignored_as_in_one_index(search_page: Any) -> None:
    page, _, _ = search_page
    assert _titles(page, "Zürich qwzxv") == [CAFE_TITLE]


def test_the_runtime_is_fetched_once_for_every_shard(search_page: Any) -> None:
    """Each shard's bundle holds a copy of Pagefind's WebAssembly; the search box runs one
    instance per shard on the page's thread, which fetch it once (from the first bundle) and no
    worker script."""
    page, errors, requests = search_page
    assert _titles(page, "schedule bridge") == sorted([HARBOR, EARLIER_TITLE])
    wasm = [url for url in requests if "/wasm." in url]
    assert len(wasm) == 1 and "/pagefind/wasm." in wasm[0]
    assert not [url for url in requests if "pagefind-worker" in url]
    assert errors == []


# A long query (more than four words) is narrowed by its four rarest words to a few pages,
# whose text then settles the other words where it holds them as typed; the words a page lacks
# as typed are left to Pagefind (an inflection may still match). Same results as one index.
@pytest.mark.parametrize(("query", "expect"), [
    ("Mayor Ana Ruiz cut a ribbon at the eastern end", [HARBOR]),  # every word as typed
    # "spans": the story says "span"; Pagefind's stemmer matches them
    ("Harbor engineers finished schedule ahead bridge spans", [HARBOR]),
    # "Zürich" is only on the café page: no page holds every word
    ("Harbor engineers finished schedule ahead bridge Zürich", []),
    ("Harbor engineers finished schedule ahead bridge qwzxv", [HARBOR]),  # found nowhere: ignored
    # the café page holds it as “unforgettable”: Pagefind matches it there too
    ("Zürich café owner hospitality renovation unforgettable", [CAFE_TITLE]),
    # "Friday" is on two other pages, not the café's: tried after the café's own words, on its text
    ("Zürich café owner hospitality renovation Friday", []),
])
def test_a_long_query_matches_as_in_one_index(search_page: Any, query: str, expect: list[str]) -> None:
    page, errors, _ = search_page
    assert _titles(page, query) == expect
    assert errors == []
