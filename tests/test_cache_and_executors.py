"""Cleaning results are cached by capture, sidecar and code; a process pool gives the same archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist import cache, executors, pipeline
from archivist.config import ArchiveConfig
from archivist.pipeline import cleaning, linking
from captures import DATED, EARLIER
from conftest import write_capture


@pytest.fixture
def cleaned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records which captures were actually cleaned (cache misses)."""
    calls: list[str] = []
    real = cleaning.clean_one

    def counting(job: pipeline.Job) -> pipeline.Result:
        calls.append(job.rel_path)
        return real(job)

    monkeypatch.setattr(cleaning, "clean_one", counting)
    return calls


PLACES = ["Ashford", "Brindle", "Caxton", "Dunmore", "Elgin", "Fenwick", "Garston", "Holloway",
          "Ilford", "Jarrow", "Kelso", "Lanark"]
THINGS = ["library", "ferry", "bakery", "orchard", "museum", "stadium", "market", "bridge",
          "school", "clinic", "harbour", "theatre"]


def distinct_story(place: str, thing: str) -> str:
    """A small capture whose words differ from every other one (so none are versions)."""
    return (f"{place} Opens A New {thing.title()}\nBy Ann Lee\nMarch 3, 2020\n"
            f"The town of {place} opened its new {thing} on Tuesday, after years of planning by "
            f"local volunteers in {place}.\n"
            f"Visitors to the {thing} in {place} praised its design, and the mayor of {place} "
            f"said the {thing} would stay open every day of the week.\n")


def _ingest(project: Path, **kwargs: object) -> pipeline.Summary:
    return pipeline.ingest(ArchiveConfig.at(project), progress=False, **kwargs)  # type: ignore[arg-type]


def test_second_run_cleans_nothing(project: Path, cleaned: list[str]) -> None:
    write_capture(project, "a.txt", DATED)
    write_capture(project, "b.txt", EARLIER)
    _ingest(project)
    assert sorted(cleaned) == ["sources/a.txt", "sources/b.txt"]
    cleaned.clear()
    summary = _ingest(project)
    assert cleaned == [] and summary.stories == 2 and not summary.written


def test_changed_capture_or_sidecar_is_cleaned_again(project: Path, cleaned: list[str]) -> None:
    write_capture(project, "a.txt", DATED)
    write_capture(project, "b.txt", EARLIER)
    _ingest(project)
    cleaned.clear()
    write_capture(project, "a.txt", DATED.replace("Monday", "Tuesday"))
    write_capture(project, "b.yml", "outlet: Harbor Daily\n")
    summary = _ingest(project)
    assert sorted(cleaned) == ["sources/a.txt", "sources/b.txt"]
    assert any("tuesday" in (project / "docs" / p).read_text().lower() for p in summary.written
               if p.startswith("stories/"))


def test_new_code_invalidates_the_cache(project: Path, cleaned: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write_capture(project, "a.txt", DATED)
    _ingest(project)
    cleaned.clear()
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another-version")
    _ingest(project)
    assert cleaned == ["sources/a.txt"]


def test_errors_are_cached_and_still_reported(project: Path, cleaned: list[str]) -> None:
    write_capture(project, "empty.txt", "")
    first = _ingest(project)
    cleaned.clear()
    second = _ingest(project)
    assert cleaned == [] and second.skipped == first.skipped != []


def test_no_cache_config_cleans_every_time(project: Path, cleaned: list[str]) -> None:
    write_capture(project, "a.txt", DATED)
    config = ArchiveConfig.at(project, cache=False)
    pipeline.ingest(config, progress=False)
    pipeline.ingest(config, progress=False)
    assert cleaned == ["sources/a.txt", "sources/a.txt"]
    assert not (project / ".archivist-cache").exists()


def test_process_pool_gives_the_same_archive(tmp_path: Path, project: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "POOL_THRESHOLD", 0)
    for i, (place, thing) in enumerate(zip(PLACES, THINGS, strict=True)):
        write_capture(project, f"{i:02}.txt", distinct_story(place, thing))
    serial = ArchiveConfig.at(project, docs=tmp_path / "serial", cache=False)
    pooled = ArchiveConfig.at(project, docs=tmp_path / "pooled", cache=False)
    pipeline.ingest(serial, progress=False, jobs=1)
    summary = pipeline.ingest(pooled, progress=False, jobs=2)
    assert summary.stories == 12

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(tmp_path / "serial") == files(tmp_path / "pooled")


def test_unknown_executor_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="dask://"), executors.Runner(executor="spark://x:1") as runner:
        list(runner.map(str, [1]))


def test_link_stage_is_reused_when_no_story_changed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = linking.link_archive

    def counting(stories, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(stories))
        return real(stories, **kwargs)

    monkeypatch.setattr(linking, "link_archive", counting)
    for i, (place, thing) in enumerate(zip(PLACES[:3], THINGS[:3], strict=True)):
        write_capture(project, f"{i}.txt", distinct_story(place, thing))
    _ingest(project)
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    _ingest(project)
    assert calls == [3]
    assert before == {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    write_capture(project, "3.txt", distinct_story(PLACES[3], THINGS[3]))
    _ingest(project)
    assert calls == [3, 4]
