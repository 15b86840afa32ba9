"""`archivist eval related` on a tiny corpus written here (the real one is never needed by tests)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archivist.cli import main
from archivist.evaluate.related import iso_date, recall_at
from linking_captures import EVENTS, OUTLETS, _paragraphs


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    rows = []
    for e in EVENTS:
        for outlet in range(3):
            rows.append({
                "id": f"{e.key}{outlet}", "title": e.headline[outlet],
                # the corpus's own date spellings: ISO, M/D/YY and none
                "date": e.date if outlet == 0 else
                f"{int(e.date[5:7])}/{int(e.date[8:])}/{e.date[2:4]}" if outlet == 1 else "",
                "source": OUTLETS[outlet][0], "url": f"https://{OUTLETS[outlet][1]}/{e.key}",
                "authors": "Ruth Calloway, Lena Marsh" if outlet else "", "topic": "x",
                "body": "\n\n".join(_paragraphs(e, outlet)),
            })
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    stories = tmp_path / "stories.json"
    stories.write_text(json.dumps({"stories": {e.key: [f"{e.key}{k}" for k in range(3)]
                                               for e in EVENTS}}))
    return corpus, stories


def test_eval_related_runs_the_pipeline_and_prints_recall(tmp_path: Path) -> None:
    corpus, stories = _corpus(tmp_path)
    work = tmp_path / "work"
    result = CliRunner().invoke(main, ["eval", "related", "--corpus", str(corpus), "--stories",
                                       str(stories), "--workdir", str(work)])
    assert result.exit_code == 0, result.output
    assert "recall@5: 1.0000 (48/48 pairs)" in result.output
    assert len(list((work / "sources").glob("*.txt"))) == 3 * len(EVENTS)
    assert "date: '2021-03-04'" in (work / "sources" / "flood1.yml").read_text()
    fast = CliRunner().invoke(main, ["eval", "related", "--corpus", str(corpus), "--stories",
                                     str(stories), "--fast"])
    assert "recall@5: 1.0000 (48/48 pairs)" in fast.output


def test_corpus_dates_and_recall_arithmetic() -> None:
    assert iso_date("2019-03-04") == "2019-03-04"
    assert iso_date("8/29/18") == "2018-08-29"
    assert iso_date("") is None and iso_date("soon") is None
    page_of = {"a": "A", "b": "B", "c": "C", "d": "D"}
    related = {"A": ["B", "X"], "B": ["X"], "C": ["D"], "D": ["C"]}
    assert recall_at({"s": ["a", "b"], "t": ["c", "d"]}, page_of, related) == (0.75, 3, 4, 0)


def test_bench_adds_a_new_capture_even_when_the_corpus_is_used_up(tmp_path: Path) -> None:
    """The re-ingest figure must add a story the archive lacks, also at the corpus' full size."""
    from archivist.evaluate.bench import one_more
    from archivist.evaluate.related import write_captures

    rows = [{"id": f"a{i}", "title": f"Story {i}", "body": "One.\n\nTwo.", "url": f"https://x.test/{i}",
             "source": "X", "date": "2020-01-02", "authors": ""} for i in range(4)]
    assert one_more(rows, 2) is rows[2]
    extra = one_more(rows, 4)
    assert extra["id"] not in {r["id"] for r in rows}
    assert extra["url"] not in {r["url"] for r in rows} and extra["title"] != rows[2]["title"]
    assert extra["body"] == "Two.\n\nOne."
    write_captures(rows, tmp_path)
    before = set(tmp_path.iterdir())
    write_captures([extra], tmp_path)
    assert len(set(tmp_path.iterdir()) - before) == 2  # a new capture and its sidecar
