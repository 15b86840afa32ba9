"""`archivist eval extraction` on a tiny labelled set made here (no shared data needed)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from archivist.cli import main
from captures import DATED, EARLIER
from test_html_reader import PAGE

DATED_BODY = "\n\n".join(line for line in DATED.splitlines() if line.startswith((
    "The Harbor Bridge reopened", "Mayor Ana Ruiz", "The repair cost", "Engineers said")))
EARLIER_BODY = "\n\n".join(EARLIER.splitlines()[3:6])


def _labelled_set(tmp_path: Path) -> tuple[Path, Path, Path]:
    captures = tmp_path / "captures"
    captures.mkdir()
    (captures / "dated.txt").write_text(DATED, encoding="utf-8")
    (captures / "earlier.txt").write_text(EARLIER, encoding="utf-8")
    (captures / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (captures / "notes.md").write_text("not a capture")
    truth = tmp_path / "truth.jsonl"
    truth.write_text("\n".join(json.dumps(r) for r in [
        {"id": "dated", "url": "https://harbor.example/a", "body": DATED_BODY},
        {"id": "earlier", "url": "https://harbor.example/b", "body": EARLIER_BODY},
        {"id": "missing", "url": "https://harbor.example/c", "body": "no capture for this one"},
    ]) + "\n")
    meta = tmp_path / "meta.jsonl"
    meta.write_text("\n".join(json.dumps(r) for r in [
        {"id": "dated", "title": "Harbor Bridge Reopens After Two-Year Repair",
         "date": "2019-11-19T08:03:00Z", "authors": ["By JANE MARLOWE, Transport Correspondent"],
         "site": "Harbor Daily"},
        {"id": "earlier", "title": "Harbor Bridge Repair Falls Behind Schedule", "date": "2019-03-04",
         "authors": ["Someone Else"], "site": None},
    ]) + "\n")
    return captures, truth, meta


def test_eval_prints_scores_metadata_speed_and_worst_pages(tmp_path: Path) -> None:
    captures, truth, meta = _labelled_set(tmp_path)
    result = CliRunner().invoke(main, ["eval", "extraction", "--captures", str(captures), "--truth",
                                       str(truth), "--meta", str(meta), "--repeat", "1", "--misses"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "2 pages scored (1 without a capture" in out
    assert "body     F1 1.000  P 1.000  R 1.000" in out
    assert "title    100.0%  (2/2" in out
    assert "date     100.0%  (2/2" in out  # 3 March printed, 4 March declared: within a day
    assert "authors  100.0%  (1/1" in out  # "Someone Else" is not printed, so not counted
    assert "outlet   100.0%  (1/1" in out
    assert "ms per capture" in out and "worst 2 pages" in out


def test_eval_scores_html_captures(tmp_path: Path) -> None:
    captures, _, _ = _labelled_set(tmp_path)
    truth = tmp_path / "html_truth.jsonl"
    body = ("For the first time in forty years, two keepers moved into the cottage beside the Gull "
            "Point light on Monday")
    truth.write_text(json.dumps({"id": "page", "url": "https://coast.example/p", "body": body}) + "\n")
    result = CliRunner().invoke(main, ["eval", "extraction", "--captures", str(captures), "--truth",
                                       str(truth), "--repeat", "1", "--no-url"])
    assert result.exit_code == 0, result.output
    assert "R 1.000" in result.output and "URL given as sidecar: no" in result.output


def test_eval_needs_matching_ids(tmp_path: Path) -> None:
    captures, _, _ = _labelled_set(tmp_path)
    truth = tmp_path / "other.jsonl"
    truth.write_text(json.dumps({"id": "nothing", "body": "x"}) + "\n")
    result = CliRunner().invoke(main, ["eval", "extraction", "--captures", str(captures), "--truth",
                                       str(truth)])
    assert result.exit_code != 0 and "no capture" in result.output
