"""Search index shards and droppable words (search_index.py), on small Pagefind bundles built
here by the real Pagefind command line."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from archivist.search_index import (
    SHARD_PAGES,
    SearchIndexError,
    Shard,
    ShardRunner,
    chunk_table,
    common_words,
    index_shard,
    merge_manifest,
    plan_shards,
    story_folder,
)
from archivist.search_records import record_words

# The 12,000-story benchmark archive's years, as month folders of about equal size.
YEARS = [("0001", 1), ("2012", 686), ("2013", 1254), ("2014", 996), ("2015", 952), ("2016", 1147),
         ("2017", 1217), ("2018", 1430), ("2019", 1605), ("2020", 1302)]
FOLDERS = [(f"{year}/{m:02d}", n // 12 + (m <= n % 12)) for year, n in YEARS for m in range(1, 13)]
FOLDERS = [f for f in FOLDERS if f[1]] + [("undated", 1402)]


def test_story_folder() -> None:
    assert story_folder("stories/2019/03/a.md") == "2019/03"
    assert story_folder("stories/undated/a.md") == "undated"
    assert story_folder("tag/x.md") is None and story_folder("index.md") is None


def test_shards_are_contiguous_bounded_and_balanced() -> None:
    shards = plan_shards(FOLDERS, 8000)
    assert [name for s in shards for name in s.folders] == [name for name, _ in FOLDERS]
    assert len(shards) == 2 and all(s.pages <= 8000 for s in shards)
    assert abs(shards[0].pages - shards[1].pages) < 500
    assert [s.subdir for s in shards] == ["pagefind", "pagefind-2"]
    assert shards[1].glob.startswith("stories/{2017/") and shards[1].glob.endswith(",undated}/**/*.html")


def test_a_small_archive_is_one_shard_and_a_big_folder_is_never_split() -> None:
    (one,) = plan_shards([("2019", 2), ("2020", 1)], 6000)
    assert one.folders == ["2019", "2020"] and one.glob == "stories/{2019,2020}/**/*.html"
    assert [s.folders for s in plan_shards([("2019", 5), ("2020", 1)], 2)] == [["2019"], ["2020"]]
    assert plan_shards([], 6000) == []
    assert len(plan_shards(FOLDERS, 0)) == 1  # search_shard_pages: 0, one index
    assert plan_shards([("2019", 1)], 6000)[0].glob == "stories/2019/**/*.html"


def test_by_default_a_large_archive_is_sharded_and_a_small_one_is_not() -> None:
    assert len(plan_shards(FOLDERS)) == 2 == -(-sum(n for _, n in FOLDERS) // SHARD_PAGES)
    assert SHARD_PAGES * 0.4e6 < 3e9  # Pagefind takes about 0.4 MB a page: under 4 GB with MkDocs
    assert len(plan_shards(FOLDERS[:40])) == 1  # 4,000 stories: one index


PAGES = {
    "a": "The harbor bridge reopened on Monday.",
    "b": "The harbor ferry stopped for the winter.",
    "c": "The café in Zürich won an award.",
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    for name, text in PAGES.items():
        page = site / "stories" / "2019" / name / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="en"><body><div class="md-content"><p>{text}</p></div></body></html>')
    summary = index_shard(site, "stories/2019/**/*.html", "pagefind", min_pages=1)
    assert summary["pages"] == 3
    return site / "pagefind"


def _urls(bundle: Path) -> dict[str, str]:
    """Page hash -> URL, from the bundle's fragments."""
    out = {}
    for fragment in (bundle / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
        out[fragment.name.split(".")[0]] = data["url"]
    return out


def test_common_words_list_the_pages_lacking_each_word(bundle: Path) -> None:
    found = common_words(bundle, min_pages=1, max_missing=0.5)
    urls = _urls(bundle)
    assert found["skip"]["the"] == []  # on every page
    assert [urls[h] for h in found["skip"]["harbor"]] == ["/stories/2019/c/"]
    assert "zurich" not in found["skip"]  # missing from two pages of three


def test_common_words_leave_small_indexes_alone(bundle: Path) -> None:
    assert common_words(bundle)["skip"] == {}  # fewer pages than a word must be on to matter
    assert common_words(bundle, min_pages=1, max_missing=0.0)["skip"].keys() == {"the"}


def test_a_word_is_dropped_only_if_every_shard_lists_it() -> None:
    shards = [Shard(1, ["2019"], 2), Shard(2, ["2020"], 1)]
    results = {1: {"pages": 2, "skip": {"the": [], "harbor": ["en_1"]}},
               2: {"pages": 1, "skip": {"the": ["en_2"]}}}
    assert merge_manifest(shards, results) == {"bundles": ["pagefind-2/"], "skip": {"the": ["en_2"]},
                                               "common": {}, "chunks": [{}, {}]}


def test_the_chunk_tables_follow_the_search_box_s_shard_order() -> None:
    """The first bundle's table first, then the other bundles' in the order ``bundles`` lists
    them; a shard without pages has no bundle and no table."""
    shards = [Shard(1, ["2019"], 2), Shard(2, ["2020"], 0), Shard(3, ["2021"], 1)]
    results = {1: {"pages": 2, "chunks": {"bounds": "a m n z"}}, 2: {"pages": 0, "chunks": {"bounds": "x"}},
               3: {"pages": 1, "chunks": {"bounds": "a z", "large": {"0": 90}}}}
    manifest = merge_manifest(shards, results)
    assert manifest["bundles"] == ["pagefind-3/"]
    assert manifest["chunks"] == [{"bounds": "a m n z"}, {"bounds": "a z", "large": {"0": 90}}]


def _fake_bundle(root: Path, chunks: list[tuple[str, str, int]]) -> Path:
    """A bundle as Pagefind writes it (gzip, signature, CBOR), with chunks of given sizes."""
    import os

    import cbor2

    bundle = root / "pagefind"
    (bundle / "index").mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text(json.dumps({"languages": {"en": {"hash": "en_1", "page_count": 9}}}))
    table = [[start, end, f"en_{n}"] for n, (start, end, _) in enumerate(chunks)]
    (bundle / "pagefind.en_1.pf_meta").write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(["1", [], table])))
    for n, (_, _, size) in enumerate(chunks):
        (bundle / "index" / f"en_{n}.pf_index").write_bytes(os.urandom(size))
    return bundle


def test_the_chunk_table_lists_every_bound_the_chunks_over_twice_the_median_and_the_others_mean(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path, [("0", "a", 180_000), ("a1", "ano", 30_000), ("anp", "thei", 28_000),
                                     ("thej", "the", 70_000), ("thf", "zz", 31_000)])
    assert chunk_table(bundle) == {"bounds": "0 a a1 ano anp thei thej the thf zz", "kb": 29,
                                   "large": {"0": 176, "3": 68}}
    one = _fake_bundle(tmp_path / "one", [("a", "z", 50_000)])
    assert chunk_table(one) == {"bounds": "a z", "kb": 49, "large": {}}


def test_the_frequent_words_are_listed_with_their_share_of_all_pages() -> None:
    """Counts summed over the shards, shares of all records; a word under the share is left
    out (the search box then takes it for rare)."""
    shards = [Shard(1, ["2019"], 60), Shard(2, ["2020"], 40)]
    results = {1: {"pages": 60, "records": 60, "common": {"the": 60, "harbor": 30, "rare": 3}},
               2: {"pages": 40, "records": 40, "common": {"the": 40, "harbor": 10}}}
    assert merge_manifest(shards, results)["common"] == {"the": 1.0, "harbor": 0.4}


def test_record_words_are_compared_as_the_search_box_does() -> None:
    record = "<h1>Zürich Café</h1><p>A “two-year” repair, U.S. officials said &amp; 40,000 cars — don’t</p>"
    assert record_words(record) == {"zurich", "cafe", "a", "twoyear", "repair", "us", "officials", "said",
                                    "40000", "cars", "dont"}


def test_a_failing_shard_fails_the_build_with_its_folders_and_leaves_no_scratch(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    runner = ShardRunner(scratch, [Shard(1, ["2019"], 1)], {1: [(str(tmp_path / "missing.md"), "x.html")]})
    with pytest.raises(SearchIndexError, match="stories/2019"):
        runner.finish(tmp_path / "site")
    assert not scratch.exists()


def test_the_shard_command_prints_its_summary(tmp_path: Path) -> None:
    import subprocess

    page = tmp_path / "a.md"
    page.write_text("---\ntitle: Harbor\n---\n\n# Harbor\n\nThe harbor bridge reopened.\n", encoding="utf-8")
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"site": str(tmp_path / "site"), "glob": "stories/**/*.html", "subdir": "pf",
                               "pages": [[str(page), "stories/2019/a/index.html"]]}))
    done = subprocess.run([sys.executable, "-m", "archivist.search_index", str(job)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["pages"] == 1 and summary["records"] == 1
    assert summary["common"]["harbor"] == 1  # on the one record
    assert _urls(tmp_path / "site" / "pf") == {h: "/stories/2019/a/" for h in _urls(tmp_path / "site" / "pf")}


def test_finish_moves_the_bundles_into_the_site_and_drops_older_shards(tmp_path: Path) -> None:
    pages = {}
    for number, name in ((1, "a"), (2, "b")):
        page = tmp_path / f"{name}.md"
        page.write_text(f"# Story {name}\n\nHarbor news {name}.\n", encoding="utf-8")
        pages[number] = [(str(page), f"stories/{2018 + number}/{name}.html")]
    site = tmp_path / "site"
    (site / "pagefind-3").mkdir(parents=True)  # from an earlier --dirty build with more shards
    (site / "pagefind-ui").mkdir()  # not ours: left alone
    runner = ShardRunner(tmp_path / "scratch", [Shard(1, ["2019"], 1), Shard(2, ["2020"], 1)], pages)
    runner.start_all()  # as on_files does: indexing runs while MkDocs builds
    manifest = runner.finish(site)
    assert manifest["bundles"] == ["pagefind-2/"]
    assert sorted(p.name for p in site.iterdir()) == ["pagefind", "pagefind-2", "pagefind-ui"]
    assert list(_urls(site / "pagefind").values()) == ["/stories/2019/a.html"]
    assert list(_urls(site / "pagefind-2").values()) == ["/stories/2020/b.html"]
    assert json.loads((site / "pagefind" / "archivist-search.json").read_text()) == manifest
    assert not (tmp_path / "scratch").exists()


def test_an_abandoned_runner_runs_nothing_more(tmp_path: Path) -> None:
    runner = ShardRunner(tmp_path / "scratch", [Shard(1, ["2019"], 1)])
    runner.abandon()
    runner.start_all()  # queued after the end: never run
    runner.wait()
    assert runner.results == {} and runner.errors == []


def test_unreadable_index_format_leaves_search_whole(tmp_path, monkeypatch):
    """If Pagefind's index format changes, the build still succeeds, with no words dropped."""
    from archivist import search_index

    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(search_index.subprocess, "run",
                        lambda *a, **k: search_index.subprocess.CompletedProcess(a, 0, "", ""))

    def broken(*args, **kwargs):
        raise ValueError("unknown layout")

    monkeypatch.setattr(search_index, "common_words", broken)
    summary = search_index.index_shard(tmp_path, "stories/**/*.html", "pagefind")
    assert summary["skip"] == {} and summary["pages"]


# --- the records against the built site ------------------------------------------------------

MARKUP = """Prices *Rise* at the [Harbor] Market & Co
By Lea Brandt
April 2, 2019
Stall_holders at the market said prices rose by 5 * 3 percent, and <b>bold</b> signs went up.
A `ticket` line #2 formed at [dawn](http://example.com) outside the hall on Tuesday.
"""
PAGE_HTML = """<!doctype html><html lang="en"><head><title>Ferry Timetable Changes Announced</title>
<meta name="author" content="Tom Reyes"><meta property="article:published_time" content="2019-05-07">
</head><body><article><h1>Ferry Timetable Changes Announced</h1>
<p>The harbor ferry will run every twenty minutes from June, the port authority said on Tuesday,
after a year of complaints from commuters about crowded boats and long waits at the piers.</p>
<h2>New stops</h2>
<ul><li>The north pier, on weekdays from seven in the morning.</li>
<li>The old town landing, on Sundays and public holidays.</li></ul>
<blockquote><p>We listened to the commuters who wrote to us all year, said director Ines Varga.</p></blockquote>
<p>Fares stay the same, and monthly passes bought before June remain valid on every route.</p>
</article></body></html>
"""
LINK_HEADINGS = {"Related coverage", "Related stories", "Linked from", "Versions"}


def _words(text: str) -> list[str]:
    import re

    return sorted(w.lower() for w in re.findall(r"\w+", text))


def _article_words(page: Path) -> list[str]:
    """The words of a built story page that search covers: its article, without the lists of
    other stories under it, the raw-capture line and the original article's link label."""
    import lxml.html

    content = lxml.html.parse(str(page)).getroot().xpath('//div[contains(@class, "md-content")]')[0]
    for element in content.xpath('.//*[contains(@class, "archivist-capture")]'
                                 ' | .//*[contains(@class, "archivist-meta")]//a'):  # "Original article"
        element.drop_tree()
    for h2 in content.xpath(".//h2"):
        if h2.text_content().strip() in LINK_HEADINGS:
            for sibling in list(h2.itersiblings()):
                sibling.drop_tree()
            h2.drop_tree()
            break
    return _words(" ".join(content.itertext()))


@pytest.fixture(scope="module", params=[True, False], ids=["directory urls", "file urls"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small archive built in Pagefind mode by ``mkdocs build``, with a scratch temp folder."""
    import os
    import subprocess

    from captures import DATED, EARLIER
    from conftest import make_project, write_capture

    project = make_project(tmp_path_factory.mktemp("records"))
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("plugins:\n  - search\n", "plugins: []\n").replace("search: material", "search: pagefind")
    config = config.replace("use_directory_urls: true", f"use_directory_urls: {str(request.param).lower()}")
    (project / "mkdocs.yml").write_text(config)
    for name, text in (("harbor.txt", DATED), ("earlier.txt", EARLIER), ("market.txt", MARKUP),
                       ("ferry.html", PAGE_HTML)):  # an HTML capture keeps headings, lists, quotes
        write_capture(project, name, text)
    scratch = project / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stderr
    assert list(scratch.iterdir()) == []  # the index's scratch folder is gone
    return project / "site"


def _fragments(bundle: Path) -> list[dict]:
    return [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):]) for f in (bundle / "fragment").iterdir()]


def test_every_story_is_indexed_at_its_built_url(built: Path) -> None:
    stories = sorted(p for p in (built / "stories").rglob("*.html"))
    assert len(stories) == 4
    found = []
    for fragment in _fragments(built / "pagefind"):
        url = fragment["url"].lstrip("/")
        found.append(built / (url + "index.html" if url.endswith("/") else url))
    assert sorted(found) == stories


def test_records_hold_exactly_the_words_of_the_article(built: Path) -> None:
    """Title, dek, outlet, date, authors, captions, text and tags, word for word what the built
    page's article shows (what Pagefind indexed before), without the lists of other stories."""
    for fragment in _fragments(built / "pagefind"):
        url = fragment["url"].lstrip("/")
        page = built / (url + "index.html" if url.endswith("/") else url)
        assert _words(fragment["content"]) == _article_words(page), url
    (market,) = [f for f in _fragments(built / "pagefind") if "prices" in f["url"]]
    # A text capture's markup is shown as typed, so the record holds it as typed (escapes undone).
    assert "5 * 3 percent" in market["content"] and "<b>bold</b>" in market["content"]
    assert "[dawn](http://example.com)" in market["content"]


def test_results_carry_title_outlet_and_date(built: Path) -> None:
    metas = {f["meta"]["title"]: f["meta"] for f in _fragments(built / "pagefind")}
    assert metas["Harbor Bridge Repair Falls Behind Schedule"]["date"] == "2019-03-03"
    assert metas["Prices *Rise* at the [Harbor] Market & Co"]["date"] == "2019-04-02"
    assert metas["Harbor Bridge Reopens After Two-Year Repair"]["outlet"] == "Harbor Daily"
    assert "outlet" not in metas["Harbor Bridge Repair Falls Behind Schedule"]  # none found: none shown


def test_the_index_keeps_no_sort_list(built: Path) -> None:
    """The search box orders results by relevance; a date sort list would add its page order
    to every shard's metadata, fetched by every first search (10 KB at 6,000 pages)."""
    from archivist.search_index import _decode

    (meta,) = (built / "pagefind").glob("pagefind.*.pf_meta")
    assert _decode(meta)[4] == []
