"""Sidecar metadata: where it is found, what it may hold, and that its values win."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.model import CaptureError
from archivist.readers import read_capture
from archivist.readers.sidecar import parse_sidecar, sidecar_path
from captures import DATED


@pytest.mark.parametrize("name", ["story.txt", "story.html", "story.html.gz", "story.htm.gz"])
def test_sidecar_replaces_the_whole_capture_extension(tmp_path: Path, name: str) -> None:
    capture = tmp_path / name
    capture.write_bytes(b"x")
    assert sidecar_path(capture) is None
    (tmp_path / "story.yml").write_text("title: T\n")
    assert sidecar_path(capture) == tmp_path / "story.yml"


def test_yaml_suffix_is_accepted_too(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.yaml").write_text("title: T\n")
    assert sidecar_path(tmp_path / "a.txt") == tmp_path / "a.yaml"


def test_parse_all_keys() -> None:
    side = parse_sidecar(
        "url: https://example.org/a\ncaptured_at: 2021-05-01\ndate: 2021-04-30\ntitle: T\n"
        "description: D\nauthors: Ann Lee, Bo Chen\noutlet: O\ntags: [x, y]\nexclude: false\n"
    )
    assert side == {"url": "https://example.org/a", "captured_at": "2021-05-01", "date": "2021-04-30",
                    "title": "T", "description": "D", "authors": ["Ann Lee", "Bo Chen"], "outlet": "O",
                    "tags": ["x", "y"], "exclude": False}


@pytest.mark.parametrize("text", ["titel: typo\n", "- a list\n", "authors: {a: 1}\n", "title: [open\n"])
def test_bad_sidecars_are_errors(text: str) -> None:
    with pytest.raises(CaptureError, match="sidecar"):
        parse_sidecar(text)


def test_sidecar_values_win_over_the_cleaner() -> None:
    plain = read_capture(DATED.encode(), "sources/harbor.txt")
    assert plain.authors == ["Jane Marlowe"] and plain.date == "2019-11-19"
    side = parse_sidecar("title: Fixed\ndate: 18 November 2019\nauthors: [A. Person]\n"
                         "outlet: The Harbor Daily\ndescription: Short.\nurl: https://example.org/h\n"
                         "tags: [bridges]\ncaptured_at: 2019-11-20\n")
    story = read_capture(DATED.encode(), "sources/harbor.txt", side)
    assert (story.title, story.date, story.authors, story.outlet, story.description, story.url,
            story.tags, story.captured_at) == (
        "Fixed", "2019-11-18", ["A. Person"], "The Harbor Daily", "Short.", "https://example.org/h",
        ["bridges"], "2019-11-20")
    assert story.paragraphs == plain.paragraphs  # the body itself is the cleaner's


def test_outlet_falls_back_to_the_url_site() -> None:
    text = "A Quiet Headline About Nothing\n" + "This is a sentence of the story that goes on for a while. " * 3
    story = read_capture(text.encode(), "sources/q.txt", {"url": "https://www.example.net/q"})
    assert story.outlet == "example.net"


def test_unparseable_sidecar_date_is_an_error() -> None:
    with pytest.raises(CaptureError, match="date"):
        read_capture(DATED.encode(), "sources/harbor.txt", {"date": "soon"})


@pytest.mark.parametrize("error", [
    RecursionError(),  # the pure-Python parser
    "while increasing flow level\nexceeded maximum nesting depth\n  in \"<unicode string>\", line 1",  # libyaml
])
def test_sidecars_nested_past_the_parsers_limit_say_so(monkeypatch: pytest.MonkeyPatch,
                                                        error: BaseException | str) -> None:
    import yaml

    def refuse(*args: object, **kwargs: object) -> None:
        raise error if isinstance(error, BaseException) else yaml.scanner.ScannerError(error)

    monkeypatch.setattr(yaml, "load", refuse)
    with pytest.raises(CaptureError, match="nested too deeply"):
        parse_sidecar("title: [[[x]]]\n")
