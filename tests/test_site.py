"""Build real sites with `mkdocs build --strict` (the hooks run the ingest) and read the HTML."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from captures import DATED, EARLIER
from conftest import write_capture

MKDOCS = [sys.executable, "-m", "mkdocs"]


def build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*MKDOCS, "build", "--strict"], cwd=project, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import REPO, make_project

    project = make_project(tmp_path_factory.mktemp("site"))
    write_capture(project, "seed.txt", (REPO / "sources" / "000_4905c266883032d1.txt").read_bytes())
    write_capture(project, "harbor.txt", DATED)
    write_capture(project, "earlier.txt", EARLIER)
    build(project)  # no `archivist ingest` first: the hook must do it
    return project / "site"


def test_story_page_shows_the_story(site: Path) -> None:
    html = (site / "stories/undated/irans-soleimani-killed-in-trump-ordered-airstrike/index.html").read_text()
    assert "<h1 id=" in html and "Iran’s Soleimani Killed in Trump-Ordered Airstrike</h1>" in html
    assert 'class="archivist-dek"' in html and 'class="archivist-image"' in html
    assert "Office of the Iranian Supreme Leader via AP" in html
    assert "Related coverage" in html
    body = html.split('class="md-content"', 1)[1]
    for junk in ("Accept Cookies", "Do Not Sell", "cookie banner"):
        assert junk not in body


def test_raw_capture_is_published_and_linked(site: Path) -> None:
    html = (site / "stories/2019/11/harbor-bridge-reopens-after-two-year-repair/index.html").read_text()
    link = re.search(r'href="([^"]*captures/[0-9a-f]{64}\.txt)"', html)
    assert link
    target = (site / "stories/2019/11/harbor-bridge-reopens-after-two-year-repair" / link.group(1)).resolve()
    assert target.read_text() == DATED


def test_related_title_is_a_working_link(site: Path) -> None:
    html = (site / "stories/2019/11/harbor-bridge-reopens-after-two-year-repair/index.html").read_text()
    match = re.search(r'<a href="([^"]+)">Harbor Bridge Repair Falls Behind Schedule</a>', html)
    assert match
    page = site / "stories/2019/11/harbor-bridge-reopens-after-two-year-repair" / match.group(1)
    assert (page.resolve() / "index.html").exists()


def test_search_index_holds_story_text(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text())
    text = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    assert "Soleimani" in text and "Harbor Bridge" in text
    assert "Accept Cookies" not in text


def test_archive_pages_and_tags_exist(site: Path) -> None:
    for page in ("index.html", "timeline/index.html", "outlets/index.html", "tags/index.html"):
        assert (site / page).exists()
    assert "Harbor Daily" in (site / "outlets/index.html").read_text()
    assert "Harbor Bridge" in (site / "tags/index.html").read_text()
    tag = (site / "tag/harbor-bridge/index.html").read_text()
    assert "Harbor Bridge Reopens After Two-Year Repair" in tag and "Harbor Bridge Repair Falls" in tag


def test_front_matter_text_is_escaped_in_templates(project: Path) -> None:
    write_capture(project, "quote.txt", DATED.replace(
        "City engineers finished the work ahead of schedule",
        'City "engineers" <b>finished</b> the work ahead of schedule'))
    build(project)
    html = next((project / "site/stories").rglob("index.html")).read_text()
    assert '<meta name="description" content="City &#34;engineers&#34; &lt;b&gt;finished' in html
    assert "<b>finished</b>" not in html


def test_sub_path_site_url_keeps_links_relative(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    build(project, SITE_URL="https://someone.github.io/news-archive/")
    home = (project / "site/index.html").read_text()
    assert 'href="stories/2019/11/harbor-bridge-reopens-after-two-year-repair/"' in home
    assert '<link rel="canonical" href="https://someone.github.io/news-archive/">' in home
    assert 'href="/' not in home.split("<body", 1)[1]


def test_hook_watches_sources(project: Path) -> None:
    from mkdocs.config import load_config

    sys.path.insert(0, str(project / "scripts"))
    from archivist import mkdocs_hooks

    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    config = load_config(str(project / "mkdocs.yml"))
    mkdocs_hooks.on_serve(Server(), config, None)
    assert watched == [str((project / "sources").resolve())]


def test_pagefind_mode_indexes_every_story(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("plugins:\n  - search\n", "plugins: []\n").replace(
        "search: material", "search: pagefind")
    (project / "mkdocs.yml").write_text(config)
    write_capture(project, "harbor.txt", DATED)
    write_capture(project, "earlier.txt", EARLIER)
    build(project)
    site = project / "site"
    assert not (site / "search/search_index.json").exists()
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 2
    html = (site / "index.html").read_text()
    assert "data-archivist-search" in html and 'name="archivist-search"' in html
    story = (site / "stories/2019/11/harbor-bridge-reopens-after-two-year-repair/index.html").read_text()
    assert 'data-pagefind-meta="outlet"' in story and 'data-pagefind-sort="date:2019-11-19"' in story
