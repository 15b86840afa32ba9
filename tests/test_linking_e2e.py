"""End to end: a few dozen hand-written captures ingested, then every linking rule checked on the
pages (related stories, named links, backlinks, versions, tags, outlets, timeline) and a strict
MkDocs build of the result."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from archive_crawl import crawl
from archivist.config import ArchiveConfig
from archivist.pipeline import ingest
from conftest import write_capture
from linking_captures import (
    EVENTS,
    FLOOD_FIRST_SIDECAR,
    FLOOD_UPDATE,
    FLOOD_UPDATE_SIDECAR,
    FOLLOW_UP,
    LONELY,
    captures,
)


def _write_all(project: Path) -> None:
    for name, (text, side) in captures().items():
        write_capture(project, name, text)
        write_capture(project, name.replace(".txt", ".yml"), side)
    write_capture(project, "flood-0.yml", FLOOD_FIRST_SIDECAR)
    write_capture(project, "flood-0-update.txt", FLOOD_UPDATE)
    write_capture(project, "flood-0-update.yml", FLOOD_UPDATE_SIDECAR)
    write_capture(project, "copy/chess-1.txt", captures()["chess-1.txt"][0])  # same bytes again
    write_capture(project, "lonely.txt", LONELY)
    write_capture(project, "follow-up.txt", FOLLOW_UP)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("linked"))
    _write_all(project)
    summary = ingest(ArchiveConfig.at(project), progress=False)
    assert summary.read == 3 * len(EVENTS) + 4
    assert [reason for _, reason in summary.skipped] == ["same bytes as sources/chess-1.txt"]
    assert summary.stories == 3 * len(EVENTS) + 2  # the update joined its story's page
    return project


def _pages(project: Path) -> dict[str, frontmatter.Post]:
    docs = project / "docs"
    return {p.relative_to(docs).as_posix(): frontmatter.load(p)
            for p in sorted((docs / "stories").rglob("*.md"))}


def _page_of(pages: dict[str, frontmatter.Post], capture: str) -> str:
    for path, post in pages.items():
        if post["capture"]["path"] == f"sources/{capture}" or any(
                v["capture"] == f"sources/{capture}" for v in post.metadata.get("versions", [])):
            return path
    raise KeyError(capture)


def test_every_article_lists_the_same_events_coverage_first(archive: Path) -> None:
    pages = _pages(archive)
    for e in EVENTS:
        mine = [_page_of(pages, f"{e.key}-{k}.txt") for k in range(3)]
        for page in mine:
            related = pages[page]["related"]
            assert 1 <= len(related) <= 5
            assert {r["path"] for r in related[:2]} == set(mine) - {page}, (page, related)
            assert all(isinstance(r["score"], float) and 0 < r["score"] <= 1 for r in related)
            text = pages[page].content
            assert "## Related stories" in text
            for r in related:
                assert f"]({os.path.relpath(r['path'], os.path.dirname(page))})" in text


def test_lonely_story_shows_no_related_stories(archive: Path) -> None:
    pages = _pages(archive)
    page = _page_of(pages, "lonely.txt")
    assert pages[page]["related"] == []
    assert "## Related stories" not in pages[page].content


def test_named_titles_and_urls_resolve_and_look_alikes_stay_plain(archive: Path) -> None:
    pages = _pages(archive)
    follow = _page_of(pages, "follow-up.txt")
    flood_harbor = _page_of(pages, "flood-0.txt")
    flood_ledger = _page_of(pages, "flood-1.txt")
    text = pages[follow].content
    here = os.path.dirname(follow)
    assert (f"- [Marlow River Floods Eastbrook After Record Rain]"
            f"({os.path.relpath(flood_harbor, here)})") in text
    assert "- Marlow River Floods Eastbrook After Record Snow\n" in text
    assert f"({os.path.relpath(flood_ledger, here)})" in text.split("## Related coverage")[1]
    for target in (flood_harbor, flood_ledger):
        assert pages[target]["linked_from"] == [follow]
        assert "## Linked from" in pages[target].content


def test_update_and_first_capture_are_one_page_newest_text_shown(archive: Path) -> None:
    pages = _pages(archive)
    page = _page_of(pages, "flood-0.txt")
    assert page == _page_of(pages, "flood-0-update.txt")
    post = pages[page]
    assert [v["capture"] for v in post["versions"]] == ["sources/flood-0-update.txt",
                                                        "sources/flood-0.txt"]
    assert post["capture"]["path"] == "sources/flood-0-update.txt"
    assert "first families were allowed back into their homes" in post.content
    assert "## Versions" in post.content
    for version in post["versions"]:
        copy = f"captures/{version['sha256']}.txt"
        assert (archive / "docs" / copy).is_file()
        assert os.path.relpath(copy, os.path.dirname(page)) in post.content


def test_tags_are_folded_names_held_by_two_stories_or_more(archive: Path) -> None:
    pages = _pages(archive)
    held: dict[str, int] = {}
    for post in pages.values():
        for tag in post["tags"]:
            held[tag] = held.get(tag, 0) + 1
    assert held and min(held.values()) >= 2
    assert held["Hedda Torvald"] == 4  # three articles and the follow-up ("Torvald said...")
    assert "Torvald" not in held
    index = (archive / "docs" / "tags.md").read_text()
    assert "[Hedda Torvald](tag/hedda-torvald.md) · 4 stories" in index
    assert (archive / "docs" / "tag" / "hedda-torvald.md").is_file()


def test_outlet_and_timeline_pages_link_every_story_once(archive: Path) -> None:
    pages = _pages(archive)
    docs = archive / "docs"

    def read(page: str) -> str | None:
        return (docs / page).read_text() if (docs / page).is_file() else None

    for start, folders in (("outlets.md", ("outlets", "outlet")), ("timeline.md", ("timeline",))):
        found = crawl(read, start, folders)
        assert len(found.pages) > 1, start  # the index and the pages it links to
        assert found.stories == dict.fromkeys(pages, 1), start


def test_ingest_again_changes_nothing(archive: Path) -> None:
    docs = archive / "docs"
    before = {p: p.read_bytes() for p in sorted(docs.rglob("*.md"))}
    summary = ingest(ArchiveConfig.at(archive), progress=False)
    assert not summary.written
    assert {p: p.read_bytes() for p in sorted(docs.rglob("*.md"))} == before


def test_the_linked_archive_builds_strictly(archive: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=archive,
                          capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    tag = (archive / "site" / "tag" / "hedda-torvald" / "index.html").read_text()
    assert "Marlow River Floods Eastbrook After Record Rain" in tag
    # Each tag chip on a story page links to that tag's page (written into the page), not nowhere.
    chips = 0
    for html in (archive / "site" / "stories").rglob("index.html"):
        for href, name in re.findall(r'<a class="md-tag" href="([^"]+)">([^<]*)</a>',
                                     html.read_text()):
            chips += 1
            target = (html.parent / href / "index.html").resolve()
            assert target.is_file(), (html, href)
            assert f">{name}</h1>" in target.read_text(), (html, href)
    assert chips >= 2 * len(EVENTS)


def test_unresolved_title_links_by_itself_once_its_story_is_archived(project: Path) -> None:
    write_capture(project, "follow-up.txt", FOLLOW_UP)
    ingest(ArchiveConfig.at(project), progress=False)
    page = project / "docs/stories/2021/03/eastbrook-counts-the-cost-of-the-marlow-flood.md"
    assert "- Marlow River Floods Eastbrook After Record Rain\n" in page.read_text()
    text, side = captures()["flood-0.txt"]
    write_capture(project, "flood-0.txt", text)
    write_capture(project, "flood-0.yml", side)
    summary = ingest(ArchiveConfig.at(project), progress=False)
    assert "stories/2021/03/eastbrook-counts-the-cost-of-the-marlow-flood.md" in summary.written
    assert ("- [Marlow River Floods Eastbrook After Record Rain]"
            "(marlow-river-floods-eastbrook-after-record-rain.md)") in page.read_text()
    assert "- Marlow River Floods Eastbrook After Record Snow\n" in page.read_text()
