"""Ingest into a temporary project: pages, idempotence, hand edits, bad captures, pruning."""

from __future__ import annotations

from pathlib import Path

import frontmatter

from archivist.config import ArchiveConfig
from archivist.generate import archive_pages
from archivist.pipeline import ingest
from captures import DATED, EARLIER, MARKDOWN_HOSTILE
from conftest import write_capture


def _run(project: Path, **kwargs):  # type: ignore[no-untyped-def]
    return ingest(ArchiveConfig.at(project), progress=False, **kwargs)


def _pages(project: Path) -> dict[str, frontmatter.Post]:
    root = project / "docs" / "stories"
    return {p.relative_to(root).as_posix(): frontmatter.load(p) for p in sorted(root.rglob("*.md"))}


def test_pages_land_by_date_with_full_front_matter(project: Path, seed_bytes: bytes) -> None:
    write_capture(project, "seed.txt", seed_bytes)
    write_capture(project, "nested/harbor.txt", DATED)
    summary = _run(project)
    assert summary.read == 2 and summary.stories == 2 and not summary.skipped
    pages = _pages(project)
    assert set(pages) == {
        "undated/irans-soleimani-killed-in-trump-ordered-airstrike.md",
        "2019/11/harbor-bridge-reopens-after-two-year-repair.md",
    }
    harbor = pages["2019/11/harbor-bridge-reopens-after-two-year-repair.md"].metadata
    assert harbor["date"] == "2019-11-19"
    assert harbor["authors"] == ["Jane Marlowe"]
    assert harbor["capture"]["path"] == "sources/nested/harbor.txt"
    assert harbor["capture"]["bytes"] == len(DATED.encode())
    seed = pages["undated/irans-soleimani-killed-in-trump-ordered-airstrike.md"].metadata
    assert seed["outlet"] == "Defense One"
    assert "date" not in seed
    assert seed["image"]["credit"] == "Office of the Iranian Supreme Leader via AP"
    assert len(seed["related_titles"]) == 4
    for key in ("title", "description", "outlet", "authors", "tags", "related_titles", "capture"):
        assert key in seed
    copy = project / "docs" / "captures" / f"{seed['capture']['sha256']}.txt"
    assert copy.read_bytes() == seed_bytes


def test_archive_pages_list_every_story(project: Path, seed_bytes: bytes) -> None:
    write_capture(project, "seed.txt", seed_bytes)
    write_capture(project, "harbor.txt", DATED)
    write_capture(project, "earlier.txt", EARLIER)
    _run(project)
    docs = project / "docs"
    timeline = (docs / "timeline.md").read_text()
    assert timeline.index("## 2019") < timeline.index("[November 2019](timeline/2019-11.md)") < \
        timeline.index("[March 2019](timeline/2019-03.md)") < timeline.index("## Undated")
    assert "stories/" not in timeline  # the index lists months; the months list the stories
    november = (docs / "timeline/2019-11.md").read_text()
    assert "](../stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md)" in november
    assert (docs / "timeline/undated.md").is_file()
    outlets = (docs / "outlets.md").read_text()
    assert "- [Defense One](outlet/defense-one.md) · 1 story" in outlets
    assert "- [Harbor Daily](outlet/harbor-daily.md) · 1 story" in outlets
    assert "- [Unknown outlet](outlet/unknown-outlet.md) · 1 story" in outlets
    assert "Harbor Bridge Reopens" in (docs / "outlet/harbor-daily.md").read_text()
    home = (docs / "index.md").read_text()
    assert "3 stories" in home and "stories/2019/11/harbor-bridge" in home
    assert "- [Harbor Bridge](tag/harbor-bridge.md) · 2 stories" in (docs / "tags.md").read_text()
    tag = (docs / "tag/harbor-bridge.md").read_text()
    assert "material/tags" not in tag and "tag: Harbor Bridge" in tag
    assert "](../stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md)" in tag


def test_related_title_links_to_archived_story(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    write_capture(project, "earlier.txt", EARLIER)
    _run(project)
    page = (project / "docs/stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md").read_text()
    assert "- [Harbor Bridge Repair Falls Behind Schedule](../03/harbor-bridge-repair-falls-behind-schedule.md)" in page


def test_unresolved_related_title_stays_plain(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    _run(project)
    page = (project / "docs/stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md").read_text()
    assert "- Harbor Bridge Repair Falls Behind Schedule\n" in page


def test_second_run_writes_nothing(project: Path, seed_bytes: bytes) -> None:
    write_capture(project, "seed.txt", seed_bytes)
    first = _run(project)
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    second = _run(project)
    assert first.written and not second.written
    assert second.unchanged == len(first.written)
    assert before == {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}


def test_hand_edit_is_kept_until_forced(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    _run(project)
    page = project / "docs/stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md"
    edited = page.read_text().replace("Mayor Ana Ruiz", "Mayor Ana M. Ruiz")
    page.write_text(edited)
    summary = _run(project)
    assert summary.kept_edits == ["stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md"]
    assert page.read_text() == edited
    _run(project, force=True)
    assert "Mayor Ana Ruiz" in page.read_text()


def test_broken_capture_is_reported_and_others_archived(project: Path) -> None:
    write_capture(project, "good.txt", DATED)
    write_capture(project, "empty.txt", "")
    write_capture(project, "fake.txt", b"%PDF-1.4 binary")
    write_capture(project, "notes.md", "not a capture type")
    write_capture(project, "bad.txt", EARLIER)
    write_capture(project, "bad.yml", "title: [unclosed")
    summary = _run(project)
    reasons = dict(summary.skipped)
    assert set(reasons) == {"sources/empty.txt", "sources/fake.txt", "sources/notes.md", "sources/bad.txt"}
    assert "empty" in reasons["sources/empty.txt"]
    assert "PDF" in reasons["sources/fake.txt"]
    assert "YAML" in reasons["sources/bad.txt"]
    assert summary.stories == 1


def test_identical_bytes_make_one_page(project: Path) -> None:
    write_capture(project, "a.txt", DATED)
    write_capture(project, "copy/b.txt", DATED)
    summary = _run(project)
    assert summary.stories == 1
    assert summary.skipped == [("sources/copy/b.txt", "same bytes as sources/a.txt")]


def test_sidecar_values_win(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    write_capture(project, "harbor.yml", "title: Corrected Title\ndate: 2019-11-18\n"
                  "url: https://harbor.example/bridge\ntags: [Bridges]\n")
    _run(project)
    meta = _pages(project)["2019/11/corrected-title.md"].metadata
    assert meta["title"] == "Corrected Title"
    assert meta["date"] == "2019-11-18"
    assert meta["url"] == "https://harbor.example/bridge"
    assert meta["tags"] == ["Bridges"]


def test_same_title_gets_distinct_stable_slugs(project: Path) -> None:
    write_capture(project, "a.txt", DATED)
    # Same headline and date, a different story (near-identical text would be one page: versions).
    other = "Harbor Bridge Reopens After Two-Year Repair\nBy Jane Marlowe\nNov. 19, 2019\n" + \
        EARLIER.split("\n", 3)[3]
    write_capture(project, "b.txt", other)
    _run(project)
    first = sorted(_pages(project))
    _run(project)
    assert sorted(_pages(project)) == first
    assert len(first) == 2 and first[0] != first[1]


def test_removed_capture_is_stale_until_pruned(project: Path) -> None:
    capture = write_capture(project, "harbor.txt", DATED)
    _run(project)
    capture.unlink()
    summary = _run(project)
    assert summary.stale == ["stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md"]
    assert _pages(project)
    summary = _run(project, prune=True)
    assert not _pages(project)
    assert "stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md" in summary.pruned


def test_archive_pages_no_longer_produced_go_without_prune(project: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(archive_pages, "PAGE_SIZE", 1)  # two stories make a list two pages long
    write_capture(project, "harbor.txt", DATED)
    earlier = write_capture(project, "earlier.txt", EARLIER)
    _run(project)
    docs = project / "docs"
    made = {"timeline/2019-03.md", "tag/harbor-bridge.md", "tag/harbor-bridge/2.md"}
    assert all((docs / page).is_file() for page in made)
    (docs / "timeline" / "notes.md").write_text("# A page someone wrote\n")
    earlier.unlink()
    summary = _run(project)
    assert made <= set(summary.pruned)
    assert summary.stale == ["stories/2019/03/harbor-bridge-repair-falls-behind-schedule.md"]
    assert not any((docs / page).exists() for page in made)
    assert not (docs / "tag" / "harbor-bridge").exists()  # its emptied folder went too
    assert (docs / "timeline/2019-11.md").is_file()
    assert (docs / "timeline" / "notes.md").is_file()  # not Archivist's: kept, and said so
    assert summary.stale_edited == ["timeline/notes.md"]


def test_markdown_in_capture_is_escaped_in_page(project: Path) -> None:
    write_capture(project, "hostile.txt", MARKDOWN_HOSTILE)
    summary = _run(project)
    assert summary.stories == 1
    post = next(iter(_pages(project).values()))
    assert post.metadata["title"].startswith("# Not A Heading: *Stars* & <b>Tags</b>")
    assert "<script>" not in post.content and "&lt;script&gt;" in post.content


def test_site_template_lines_leave_the_body_in_ingest(project: Path) -> None:
    footer = ("Harbor Daily is an independent newspaper owned by its readers, who elect its board "
              "every spring and may read every story free of charge.")
    write_capture(project, "harbor/a.txt", DATED.replace("Share\n", f"{footer}\nShare\n"))
    write_capture(project, "harbor/b.txt", EARLIER.replace("We use cookies", f"{footer}\nWe use cookies"))
    _run(project)
    pages = _pages(project)
    assert len(pages) == 2
    for post in pages.values():
        assert "independent newspaper" not in post.content
    alone = project / "alone"
    (alone / "sources").mkdir(parents=True)
    write_capture(alone, "a.txt", DATED.replace("Share\n", f"{footer}\nShare\n"))
    _run(alone)
    assert "independent newspaper" in next(iter(_pages(alone).values())).content


def test_gzipped_html_capture_is_discovered(project: Path) -> None:
    import gzip

    html = ("<html><head><title>Harbor Ferry Adds Night Crossings</title></head><body><article>"
            "<h1>Harbor Ferry Adds Night Crossings</h1>"
            + "".join(f"<p>Paragraph {i} of the ferry story says the night service starts in May and "
                      f"runs every hour until two in the morning on weekdays.</p>" for i in range(6))
            + "</article></body></html>")
    write_capture(project, "ferry.html.gz", gzip.compress(html.encode()))
    summary = _run(project)
    assert summary.stories == 1 and not summary.skipped
    assert "night service" in next(iter(_pages(project).values())).content


def test_the_command_line_loads_no_evaluation_code_until_asked() -> None:
    """A re-run has 5 s in all: ``archivist ingest`` must not pay for ``eval``'s and ``bench``'s imports."""
    import subprocess
    import sys

    code = ("import sys, archivist.cli as c; from click.testing import CliRunner; "
            "assert 'archivist.evaluate' not in sys.modules; "
            "out = CliRunner().invoke(c.main, ['--help']).output; assert 'bench' in out and 'eval' in out; "
            "assert CliRunner().invoke(c.main, ['bench', '--help']).exit_code == 0")
    subprocess.run([sys.executable, "-c", code], check=True)
