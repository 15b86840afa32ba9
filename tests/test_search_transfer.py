"""What a long query loads: the index chunks of its few longest words, not one for every word.

A story long enough for its bundle to hold two index chunks (Pagefind starts a new chunk after
about 20,000 word positions, in word order) has four long words starting with "qu" and two short
ones at the end of the alphabet. (No other story holds a word that begins one of the four:
Pagefind would match a word missing from an index on such a word instead.) Typed whole, the query is narrowed to that story by the four
long words, whose chunk is the first, and the story's text, fetched to show it, holds the other
two as typed: the chunk holding them is never fetched. Typed with one of them inflected
("zebras"; the story says "zebra"), Pagefind must decide that word, and that chunk is fetched,
which shows the test would see it.
"""

from __future__ import annotations

import functools
import json
import random
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from archivist.search_index import MANIFEST, _decode
from conftest import make_project, write_capture
from test_browser import CHROMIUM, CHROMIUM_ARGS, _require_browser
from test_search_browser import LAYOUTS, _Quiet, _titles, build_pagefind_site

TITLE = "Quarry Survey Finds Rare Animals Near Old Mine"
FILLER = """the of and to in a is that for on with as was by at from it an be this are have has
had were which but not they their his her its one all new more been also would after first two
other when who people city council said year years time over most some about than into state
only many last work public report plan week local water road school market village river stone
hill bridge train board museum garden library ferry harvest winter summer autumn spring morning
evening north south east west center family teacher doctor farmer builder driver nurse artist
officer member leader worker resident visitor student parent neighbor owner manager engineer
clerk mayor judge police budget meeting vote tax rent price cost fund grant loan repair project
program service station"""
VOCAB = FILLER.split()


def long_story() -> str:
    """About 23,000 words of seeded filler around one sentence with the query's words."""
    rng = random.Random(5)

    def sentence() -> str:
        return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(8, 14))).capitalize() + "."

    body = [" ".join(sentence() for _ in range(8)) for _ in range(260)]
    body.insert(3, "The Quixotic survey led by Quarrymen found Quokkas and Quetzals near the "
                   "zebra pen and the old zinc mine, the report said.")
    return "\n".join([TITLE, "By Lee Park", "June 2, 2021", *body]) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The shards layout with the long story; its bundle's chunk holding "zebra" and "zinc"."""
    project = make_project(tmp_path_factory.mktemp("transfer"))
    write_capture(project, "quarry.txt", long_story())
    built = build_pagefind_site(project, LAYOUTS["shards"])
    late = []
    for meta in built.glob("pagefind*/pagefind.*.pf_meta"):
        chunks = _decode(meta)[2]  # [from, to, hash], in word order
        if len(chunks) > 1:
            late += [f"{meta.parent.name}/index/{c[2]}." for c in chunks if c[0] <= "zebra" <= c[1]]
            assert not [c for c in chunks if c[0] <= "quarrymen" <= c[1] and c[0] <= "zebra" <= c[1]]
    assert len(late) == 1, "the long story's bundle should hold two chunks or more"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", late[0]
    server.shutdown()


def _fetched(url: str, query: str) -> tuple[list[str], list[str]]:
    """The result titles of a first query on a fresh page, and the index chunks it fetched."""
    sync_api = _require_browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        titles = _titles(page, query)
        page.wait_for_load_state("networkidle")
        browser.close()
    return titles, [r for r in requests if "/index/" in r]


def test_a_long_query_fetches_no_chunk_for_words_its_matches_hold_as_typed(site: tuple[str, str]) -> None:
    url, late = site
    titles, chunks = _fetched(url, "Quixotic Quarrymen Quokkas Quetzals zebra zinc")
    assert titles == [TITLE]
    assert not [c for c in chunks if late in c]


def test_a_word_held_only_in_another_form_is_left_to_pagefind(site: tuple[str, str]) -> None:
    url, late = site
    titles, chunks = _fetched(url, "Quixotic Quarrymen Quokkas Quetzals zebras zinc")
    assert titles == [TITLE]
    assert [c for c in chunks if late in c]


# A word sharing its index chunk with a word on nearly every position of the archive costs that
# whole chunk. Here "azz" makes up a third of a long story, so the chunk that ends with it is the
# bundle's largest, and "awkwardquintessential", the query's longest word, sorts into it.
HEAVY_TITLE = "Aardvark Survey Counts Quokkas and Quetzals"


def heavy_story() -> str:
    rng = random.Random(9)

    def sentence() -> str:
        return " ".join(rng.choice(VOCAB) if rng.random() < 0.66 else "azz" for _ in range(12)) + "."

    body = [" ".join(sentence() for _ in range(20)) for _ in range(600)]
    body.insert(3, "The awkwardquintessential count by the Quixotic Quarrymen found Quokkas and Quetzals.")
    return "\n".join([HEAVY_TITLE, "By Lee Park", "June 2, 2021", *body]) + "\n"


@pytest.fixture(scope="module")
def heavy_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The shards layout with the heavy story; the chunk holding "awkwardquintessential", its
    bundle's largest, listed as large in the manifest (chunk_table lists chunks over twice the
    median size: on an archive of many stories, such a word's chunk is; test_search_index.py
    checks that rule)."""
    project = make_project(tmp_path_factory.mktemp("heavy"))
    write_capture(project, "aardvark.txt", heavy_story())
    built = build_pagefind_site(project, LAYOUTS["shards"])
    manifest_path = built / "pagefind" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    heavy = []
    for k, bundle in enumerate(["pagefind/", *manifest["bundles"]]):
        chunks = _decode(next((built / bundle).glob("pagefind.*.pf_meta")))[2]  # [from, to, hash]
        sizes = [(built / bundle / "index" / f"{c[2]}.pf_index").stat().st_size for c in chunks]
        for i, c in enumerate(chunks):
            if any(w[0].startswith("awkwardquint") for w in _decode(built / bundle / "index" / f"{c[2]}.pf_index")[0]):
                assert sizes[i] == max(sizes) and len(sizes) > 2
                manifest["chunks"][k]["large"] = {str(i): round(sizes[i] / 1024)}
                heavy.append(f"{bundle}index/{c[2]}.")
    assert len(heavy) == 1
    manifest_path.write_text(json.dumps(manifest))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", heavy[0]
    server.shutdown()


def test_a_word_in_a_large_chunk_is_checked_on_text_before_its_chunk_is_loaded(
        heavy_site: tuple[str, str]) -> None:
    """The longest word would be tried first; the manifest's chunk table tells the search box
    that its chunk is large, so it goes last and the story's text settles it."""
    url, heavy = heavy_site
    titles, chunks = _fetched(url, "awkwardquintessential Quixotic Quarrymen Quokkas Quetzals")
    assert titles == [HEAVY_TITLE]
    assert not [c for c in chunks if heavy in c]
    titles, chunks = _fetched(url, "awkwardquintessentials Quixotic Quarrymen Quokkas Quetzals")
    assert titles == [HEAVY_TITLE]  # held in another form: Pagefind decides, from that chunk
    assert [c for c in chunks if heavy in c]


# Past the search box's budget of index chunks (BUDGET_KB), the rest of a long query's words
# are checked on the text of the best pages on the words so far. Fourteen stories hold four
# rare "qu" words; thirteen say "river", the best-scored one only "rivers" (Pagefind matches it:
# one stem), and "river" is the query's most frequent word, so it comes last. The manifest's
# usual chunk size, raised, stands in for an archive whose chunks are large.
NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo",
         "Lima", "Mike", "November"]


def survey_story(i: int) -> str:
    """Story i: the first holds the qu words most often and "rivers"; the first three, "zinc".
    Every line differs from story to story (lines shared by an outlet's captures are its
    template, which the cleaner drops)."""
    name, river = NAMES[i], "rivers" if i == 0 else "river"
    lines = [f"The Quixotic Quarrymen of {name} counted {i + 3 + k} Quokkas and {i + 7 + k} Quetzals near "
             f"the {river} before the morning train." for k in range(3 if i == 0 else 1)]
    if i < 3:
        lines.append(f"Volunteers from {name} also logged an old zinc mine on the hill above the village.")
    lines.append(f"The {name} council thanked the {i + 20} volunteers who walked the trail in the rain "
                 "and said the count would be repeated every spring.")
    return "\n".join([f"Survey Note {name}", "By Lee Park", f"March {i + 1}, 2021", *lines]) + "\n"


@pytest.fixture(scope="module")
def survey_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One index over the fourteen survey stories and two more that say "river" only."""
    project = make_project(tmp_path_factory.mktemp("survey"))
    for i in range(len(NAMES)):
        write_capture(project, f"survey-{i}.txt", survey_story(i))
    for i, name in enumerate(["Ferry", "Bridge"]):
        write_capture(project, f"other-{i}.txt", f"{name} Repairs Begin\nBy Lee Park\nApril {i + 1}, 2021\n"
                      f"Crews began repairs on the old {name.lower()} across the river on Monday, the council said.\n"
                      "The work is expected to last until the end of the summer season.\n")
    built = build_pagefind_site(project, LAYOUTS["one index"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", built / "pagefind" / MANIFEST
    server.shutdown()


def _results(url: str, query: str) -> tuple[list[str], str]:
    """The result titles of a first query on a fresh page, and its count line."""
    sync_api = _require_browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        titles = _titles(page, query)
        count = page.text_content(".md-search-result__meta") or ""
        browser.close()
    return titles, count


def _with_large_chunks(manifest: Path) -> str:
    """Mark every chunk of the manifest 500 KB; the manifest as it was, to restore."""
    before = manifest.read_text()
    data = json.loads(before)
    data["chunks"] = [{**(table or {}), "kb": 500} for table in data.get("chunks") or [{}]]
    manifest.write_text(json.dumps(data))
    return before


def test_past_the_budget_the_best_pages_text_decides_the_last_words(survey_site: tuple[str, Path]) -> None:
    url, manifest = survey_site
    query = "Quixotic Quarrymen Quokkas Quetzals river"
    first = "Survey Note Alpha"
    titles, count = _results(url, query)
    assert first in titles and count == "14 matching stories"  # within budget: Pagefind decides
    before = _with_large_chunks(manifest)
    try:
        titles, count = _results(url, query)
    finally:
        manifest.write_text(before)
    # Over budget: the best pages' text. "rivers" is not "river" as typed, so the best-scored
    # page is left out, and the count is estimated from the pages looked at (not all fourteen).
    assert first not in titles and len(titles) == 10
    assert count.startswith("About ") and count.endswith(" matching stories")


def test_past_the_budget_a_narrowed_query_is_decided_on_its_pages_text(survey_site: tuple[str, Path]) -> None:
    """"zinc" narrows the query to three pages, whose text then settles "river"."""
    url, manifest = survey_site
    query = "Quixotic Quarrymen Quokkas Quetzals zinc river"
    three = ["Survey Note Alpha", "Survey Note Bravo", "Survey Note Charlie"]
    assert _results(url, query) == (three, "3 matching stories")
    before = _with_large_chunks(manifest)
    try:
        assert _results(url, query) == (three[1:], "2 matching stories")
    finally:
        manifest.write_text(before)
