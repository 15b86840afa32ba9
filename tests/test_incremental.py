"""Re-running ingest does only what changed, and gives the archive a full run would give.

A full run here is one in a fresh project without a cache. Linking is incremental only within
``REFIT_SHARE`` of the stories fitted on; tests that compare with a fresh run whatever the link
stage does set it to 0 (every change refits), so that they check the rest of the pipeline: file
signatures, site templates, cleaning keys, page digests, archive pages and pruning.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from archivist import cache, pipeline
from archivist.cli import main
from archivist.config import ArchiveConfig
from archivist.link import archive
from archivist.pipeline import captures as captures_step
from archivist.pipeline import cleaning, linking, state, writing
from archivist.pipeline.state import State
from conftest import make_project, write_capture
from linking_captures import (
    FLOOD_FIRST_SIDECAR,
    FLOOD_UPDATE,
    FLOOD_UPDATE_SIDECAR,
    FOLLOW_UP,
    LONELY,
    captures,
)
from test_cache_and_executors import PLACES, THINGS, distinct_story

FOOTER = ("About the Harbor Courier: independent local news since 1921, owned by its readers.\n"
          "Contact the newsroom at the address on our About page.\n")


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def write_sources(project: Path, skip: tuple[str, ...] = ()) -> None:
    """The linking captures (events in three outlets, versions, named links, a duplicate), plus
    a folder whose captures share a footer (a site template)."""
    files = {name: text for name, (text, side) in captures().items()}
    files |= {name.replace(".txt", ".yml"): side for name, (text, side) in captures().items()}
    files |= {"flood-0.yml": FLOOD_FIRST_SIDECAR, "flood-0-update.txt": FLOOD_UPDATE,
              "flood-0-update.yml": FLOOD_UPDATE_SIDECAR, "lonely.txt": LONELY,
              "follow-up.txt": FOLLOW_UP, "copy/chess-1.txt": captures()["chess-1.txt"][0]}
    for name in ("flood-1", "chess-0", "strike-2"):
        files[f"courier/{name}.txt"] = captures()[f"{name}.txt"][0] + FOOTER
    for i, (place, thing) in enumerate(zip(PLACES, THINGS, strict=True)):  # enough stories that one
        files[f"towns/{i:02}.txt"] = distinct_story(place, thing)  # more is within REFIT_SHARE
    for name, text in files.items():
        if name not in skip:
            write_capture(project, name, text)


def fresh_docs(tmp: Path, project: Path, name: str) -> dict[str, bytes]:
    """docs/ of a full run, without cache or state, on a copy of ``project``'s sources."""
    other = make_project(tmp / name)
    shutil.rmtree(other / "sources")
    shutil.copytree(project / "sources", other / "sources", symlinks=True)
    pipeline.ingest(ArchiveConfig.at(other, cache=False), progress=False, prune=True)
    return snapshot(other / "docs")


@pytest.fixture
def refit_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "REFIT_SHARE", 0.0)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the expensive steps run: cleaning, full links, link updates, page generation."""
    counts = {"clean_one": 0, "link_archive": 0, "update_links": 0, "story_markdown": 0,
              "archive_pages": 0, "read": 0}
    for name, module, target in (
            ("clean_one", cleaning, "clean_one"), ("link_archive", linking, "link_archive"),
            ("update_links", linking, "update_links"), ("story_markdown", writing, "story_markdown"),
            ("archive_pages", writing, "in_background"), ("read", captures_step, "read_limited")):
        real = getattr(module, target)

        def counting(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            counts[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, target, counting)
    return counts


def _ingest(project: Path, **kwargs: object) -> pipeline.Summary:
    return pipeline.ingest(ArchiveConfig.at(project), progress=False, prune=True, **kwargs)  # type: ignore[arg-type]


def test_each_change_rewrites_only_what_differs_and_matches_a_full_run(
        tmp_path: Path, refit_always: None) -> None:
    project = make_project(tmp_path / "project")
    write_sources(project, skip=("follow-up.txt", "chess-2.txt", "courier/strike-2.txt"))
    _ingest(project)
    steps = [
        ("add a story that names two others", lambda: write_capture(project, "follow-up.txt", FOLLOW_UP)),
        ("add one to an event", lambda: write_capture(project, "chess-2.txt", captures()["chess-2.txt"][0])),
        ("add one to a site-template group",
         lambda: write_capture(project, "courier/strike-2.txt", captures()["strike-2.txt"][0] + FOOTER)),
        ("change a story's text", lambda: write_capture(
            project, "strike-1.txt", captures()["strike-1.txt"][0].replace("Kessel Road", "Kessel Square"))),
        ("change a sidecar", lambda: write_capture(project, "merger-2.yml", "outlet: Halden Post\n")),
        ("remove a story", lambda: (project / "sources" / "lonely.txt").unlink()),
        ("remove a version", lambda: (project / "sources" / "flood-0-update.txt").unlink()),
    ]
    for n, (what, step) in enumerate(steps):
        before = snapshot(project / "docs")
        step()
        summary = _ingest(project)
        after = snapshot(project / "docs")
        assert after == fresh_docs(tmp_path, project, f"fresh-{n}"), what
        changed = {p for p in after if before.get(p) != after[p]}
        assert set(summary.written) == changed, what
        assert set(summary.pruned) == set(before) - set(after), what


def without_related(docs: dict[str, bytes]) -> dict[str, object]:
    """Pages as (front matter, body) without their related stories (and the digest of them)."""
    out: dict[str, object] = {}
    for path, data in docs.items():
        if not path.endswith(".md"):
            out[path] = data
            continue
        page = frontmatter.loads(data.decode())
        meta = {k: v for k, v in page.metadata.items() if k not in ("related", "archivist_digest")}
        body = re.sub(r"## Related stories\n\n(- .*\n)+\n?", "", page.content + "\n")
        out[path] = (meta, body)
    return out


def test_with_the_link_model_updated_only_related_stories_differ_from_a_full_run(
        tmp_path: Path, calls: dict[str, int]) -> None:
    """An update keeps the vocabulary (idf) of the last fit, so related lists and scores can
    differ from a fit on today's stories until the next refit; nothing else does, and the
    sources are never written to."""
    project = make_project(tmp_path / "project")
    write_sources(project, skip=("follow-up.txt", "chess-2.txt"))
    _ingest(project)
    sources = snapshot(project / "sources")
    for n, (name, text) in enumerate((("follow-up.txt", FOLLOW_UP),
                                      ("chess-2.txt", captures()["chess-2.txt"][0]))):
        write_capture(project, name, text)
        sources[name] = text.encode()
        _ingest(project)
        assert calls["update_links"] == 1, "the first change updated the model, not fitted it again"
        full = fresh_docs(tmp_path, project, f"fresh-{n}")
        assert without_related(snapshot(project / "docs")) == without_related(full), name
        assert snapshot(project / "sources") == sources


def test_a_rerun_with_nothing_changed_reads_cleans_links_and_writes_nothing(
        project: Path, calls: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)  # trust signatures however recent (no waiting here)
    write_sources(project)
    first = _ingest(project)
    docs = snapshot(project / "docs")
    calls.update(dict.fromkeys(calls, 0))
    again = _ingest(project)
    assert calls == dict.fromkeys(calls, 0)
    assert not again.written and again.unchanged == len(first.written)
    assert again.stories == first.stories and again.skipped == first.skipped
    assert snapshot(project / "docs") == docs


def test_a_touched_capture_is_hashed_again_but_not_cleaned(
        project: Path, calls: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)
    write_sources(project)
    _ingest(project)
    calls.update(dict.fromkeys(calls, 0))
    os.utime(project / "sources" / "lonely.txt")
    summary = _ingest(project)
    assert calls["read"] == 1 and calls["clean_one"] == 0 and not summary.written


def test_a_change_no_archive_page_shows_makes_no_archive_page(
        project: Path, calls: dict[str, int]) -> None:
    write_sources(project)
    _ingest(project)
    calls.update(dict.fromkeys(calls, 0))
    write_capture(project, "lonely.txt", LONELY.replace("a deep amber", "a deep golden amber"))
    summary = _ingest(project)
    assert calls["clean_one"] == 1 and calls["archive_pages"] == 0
    assert not [p for p in summary.written if not p.startswith(("stories/", "captures/"))]


def test_adding_one_capture_updates_the_link_model_and_cleans_one(
        project: Path, calls: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)
    write_sources(project, skip=("chess-2.txt",))
    _ingest(project)
    calls.update(dict.fromkeys(calls, 0))
    write_capture(project, "chess-2.txt", captures()["chess-2.txt"][0])
    summary = _ingest(project)
    assert calls["clean_one"] <= 3, "the new one, and any whose site template it changed"
    assert calls["link_archive"] == 0 and calls["update_links"] == 1
    new_page = next(p for p in summary.written if "valdera-final" in p)
    chess = {p for p in summary.written if p.startswith("stories/") and "okonkwo" in p.lower()}
    assert chess, "the other articles of the event now list the new one"
    assert calls["story_markdown"] < summary.stories / 2, "only pages whose links changed are made"
    related = [r["path"] for r in frontmatter.load(project / "docs" / new_page).metadata["related"]]
    assert any("okonkwo" in r for r in related)


def archive_only(docs: dict[str, bytes]) -> dict[str, bytes]:
    """The archive pages (home, indexes, month, outlet and tag lists) of a docs/ snapshot."""
    return {p: b for p, b in docs.items() if not p.startswith(("stories/", "captures/"))}


def test_adding_a_story_remakes_only_the_lists_it_is_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The indexes are made again, but of the month, outlet and tag lists only those the new
    story joins; the archive pages are still exactly a full run's."""
    project = make_project(tmp_path / "project")
    write_sources(project, skip=("lonely.txt",))
    _ingest(project)
    made: list[object] = []
    real = writing.archive_pages

    def recording(*args: object, **kwargs: object) -> dict[str, str]:
        made.append(args[3] if len(args) > 3 else kwargs.get("lists"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writing, "archive_pages", recording)
    monkeypatch.setattr(writing, "in_background", lambda work: (lambda done: lambda: done)(work()))
    write_capture(project, "lonely.txt", LONELY)
    _ingest(project)
    saved = cache.StateFile(project / ".archivist-cache" / "state.pickle").load()
    assert isinstance(saved, State)
    lonely = next(e for rel, e in saved.listing.items() if rel.endswith("lonely.txt"))
    assert made and isinstance(made[0], set)
    ons = {saved.lists[name] for name in writing._lists_of(lonely)}
    assert ons <= made[0] < set(saved.lists.values()), "its lists, not every list"
    assert archive_only(snapshot(project / "docs")) == archive_only(fresh_docs(tmp_path, project, "full"))


def test_removing_a_story_then_adding_it_back_gives_the_full_fit_again(
        project: Path, calls: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The vocabulary stays the one fitted with the story, so the update is exact."""
    monkeypatch.setattr(archive, "REFIT_SHARE", 0.5)  # (its outlet's site template changes too)
    write_sources(project)
    _ingest(project)
    full = snapshot(project / "docs")
    kept = (project / "sources" / "chess-2.txt").read_bytes()
    calls.update(dict.fromkeys(calls, 0))
    (project / "sources" / "chess-2.txt").unlink()
    removed = _ingest(project)
    assert len([p for p in removed.written if p.startswith("stories/")]) >= 3, "others listed it"
    write_capture(project, "chess-2.txt", kept)
    _ingest(project)
    assert calls["link_archive"] == 0 and calls["update_links"] == 2
    assert snapshot(project / "docs") == full


def test_a_changed_capture_moves_its_backlink(project: Path, calls: dict[str, int]) -> None:
    write_sources(project)
    _ingest(project)

    def linked_from(name: str) -> list[str]:
        page = next((project / "docs" / "stories").rglob(name))
        return frontmatter.load(page).metadata.get("linked_from", [])

    follow = "stories/2021/03/eastbrook-counts-the-cost-of-the-marlow-flood.md"
    assert follow in linked_from("marlow-river-floods-eastbrook-after-record-rain.md")
    write_capture(project, "follow-up.txt", FOLLOW_UP.replace(
        "Related: Marlow River Floods Eastbrook After Record Rain",
        "Related: Ravensholm Observatory Unveils Giant Mirror"))
    summary = _ingest(project)
    assert calls["link_archive"] == 1, "only the first run fits"
    assert follow not in linked_from("marlow-river-floods-eastbrook-after-record-rain.md")
    assert follow in linked_from("ravensholm-observatory-unveils-giant-mirror.md")
    assert follow in summary.written


def test_drift_past_the_share_refits_and_relink_always_does(
        project: Path, calls: dict[str, int]) -> None:
    write_sources(project, skip=("chess-2.txt", "strike-2.txt", "merger-2.txt", "wildfire-2.txt"))
    _ingest(project)
    assert calls["link_archive"] == 1
    for name in ("chess-2.txt", "strike-2.txt", "merger-2.txt", "wildfire-2.txt"):
        write_capture(project, name, captures()[name][0])
    _ingest(project)  # 4 stories on ~26: past the share
    assert calls["link_archive"] == 2 and calls["update_links"] == 0
    result = CliRunner().invoke(main, ["ingest", "--root", str(project), "-q", "--relink"])
    assert result.exit_code == 0, result.output
    assert calls["link_archive"] == 3


def test_a_deleted_cache_rebuilds_the_same_archive(project: Path) -> None:
    write_sources(project)
    _ingest(project)
    docs = snapshot(project / "docs")
    shutil.rmtree(project / ".archivist-cache")
    summary = _ingest(project)
    assert not summary.written and snapshot(project / "docs") == docs


class _Gone:  # pickled, then made unloadable: a state naming a class that no longer exists
    pass


def _unloadable() -> bytes:
    data = pickle.dumps(("0" * 16, _Gone()))
    return data.replace(b"_Gone", b"_Lost")


STATES: dict[str, Callable[[Path], None]] = {
    "garbage": lambda p: p.write_bytes(b"not a pickle"),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "other code": lambda p: p.write_bytes(pickle.dumps(("0" * 16, pickle.loads(p.read_bytes())[1]))),
    "not a state": lambda p: p.write_bytes(pickle.dumps((cache.code_fingerprint(), {"pages": {}}))),
    "unknown class": lambda p: p.write_bytes(_unloadable()),
    "unreadable": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize("damage", list(STATES))
def test_a_damaged_old_or_unreadable_state_means_a_full_run(
        project: Path, calls: dict[str, int], damage: str) -> None:
    write_sources(project)
    _ingest(project)
    docs = snapshot(project / "docs")
    state_file = project / ".archivist-cache" / "state.pickle"
    STATES[damage](state_file)
    calls.update(dict.fromkeys(calls, 0))
    summary = _ingest(project)
    assert calls["link_archive"] == 1 and calls["update_links"] == 0, "linked from scratch"
    assert calls["read"] > 0, "every capture read and hashed again"
    assert not summary.written and snapshot(project / "docs") == docs
    if damage != "unreadable":  # (a folder in its place cannot be replaced by a file)
        assert isinstance(cache.StateFile(state_file).load(), State), "a good state saved again"


def test_a_state_that_cannot_be_saved_leaves_the_last_one(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write_sources(project)
    _ingest(project)
    state_file = project / ".archivist-cache" / "state.pickle"
    before = state_file.read_bytes()

    real = os.replace

    def fail(src: str, dst: object) -> None:
        if Path(str(dst)) == state_file:
            raise OSError("disk full")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", fail)
    write_capture(project, "lonely.txt", LONELY.replace("a deep amber", "a deep golden amber"))
    _ingest(project)
    assert state_file.read_bytes() == before
    assert [p.name for p in state_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_same_size_edit_with_its_old_mtime_is_still_an_edit(project: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)
    write_sources(project)
    _ingest(project)
    page = next((project / "docs" / "stories").rglob("grandmother*.md"))
    info = page.stat()
    text = page.read_text()
    page.write_text(text.replace("Quince is hard", "Quince is HARD"))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert page.stat().st_size == info.st_size
    summary = _ingest(project)
    assert summary.kept_edits == [page.relative_to(project / "docs").as_posix()]
    assert "HARD" in page.read_text()
    assert _ingest(project).kept_edits == summary.kept_edits, "reported on every run"


def test_a_page_that_failed_is_tried_and_reported_again(project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write_capture(project, "lonely.txt", LONELY)
    write_capture(project, "follow-up.txt", FOLLOW_UP)
    real = writing.story_markdown

    def broken(story, page, *args):  # type: ignore[no-untyped-def]
        if "Quince" in story.title:
            raise ValueError("generator bug")
        return real(story, page, *args)

    monkeypatch.setattr(writing, "story_markdown", broken)
    first = _ingest(project)
    assert len(first.skipped) == 1 and first.stories == 1
    second = _ingest(project)
    assert second.skipped == first.skipped and second.stories == 1
    monkeypatch.setattr(writing, "story_markdown", real)
    third = _ingest(project)
    assert not third.skipped and third.stories == 2
    assert "Quince" in (project / "docs" / "index.md").read_text()


def test_a_capture_copy_that_was_damaged_is_restored(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)
    write_capture(project, "lonely.txt", LONELY)
    _ingest(project)
    copy = next((project / "docs" / "captures").glob("*.txt"))
    copy.write_bytes(b"damaged")
    summary = _ingest(project)
    assert copy.relative_to(project / "docs").as_posix() in summary.written
    assert copy.read_bytes() == LONELY.encode()


def test_the_pages_of_each_list_are_those_archive_pages_makes() -> None:
    """What a re-run keeps without making a list (its pages, worked out from the stories' lines)
    is exactly what ``archive_pages`` makes for it: long lists, undated and outlet-less stories,
    a tag a story gives twice."""
    from archivist.generate.archive_pages import ARCHIVE_DIRS, archive_pages
    from archivist.generate.paths import assign_paths
    from test_archive_pages import synthetic

    stories = synthetic(900)
    for s in stories[:200]:  # exactly one page of them, each giving the tag twice
        s.tags = [*s.tags, "Twice", "Twice"]
    paths = assign_paths(stories)
    pages = set(archive_pages(stories, paths, "Archive"))
    firsts = writing.list_firsts(stories, writing.tag_paths(stories))
    expected = writing.list_pages(writing.listing_of(stories, paths), firsts)
    assert max(map(len, expected.values())) > 2, "some lists run to several pages"
    in_lists = {p for p in pages if p.split("/")[0] in set(ARCHIVE_DIRS) - {"outlets", "tags"}}
    assert {p for names in expected.values() for p in names} == in_lists
    assert archive_pages(stories, paths, "Archive", lists=set()).keys() == pages - in_lists
