"""Nothing is lost: killed runs, determinism, hand edits, pruning, temp files and `verify`."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from archivist.cli import main
from archivist.config import ArchiveConfig
from archivist.generate.frontmatter_io import DIGEST_KEY, is_untouched
from archivist.pipeline import ingest
from archivist.writer import TEMP_PREFIX, TEMP_SUFFIX
from captures import DATED, EARLIER
from conftest import write_capture
from hostile import PROSE, write_hostile_sources
from test_hostile import new_project

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def many_stories(project: Path, count: int) -> None:
    """``count`` distinct, dated captures: enough work that a kill lands in the middle."""
    for i in range(count):
        text = (f"Harbor Council Story Number {i} Reaches A Vote\nBy Jane Doe\n"
                f"{MONTHS[i % 12]} {1 + i % 28}, {2015 + i % 6}\n{PROSE}"
                f"Paragraph {i} adds a detail that only this story has, so that no two captures "
                "share their bytes or their title.\n")
        write_capture(project, f"batch/{i:04d}.txt", text)


def snapshot(docs: Path) -> dict[str, bytes]:
    """Every file under docs/, hidden ones included (a leftover temp file is a difference)."""
    return {p.relative_to(docs).as_posix(): p.read_bytes()
            for p in sorted(docs.rglob("*")) if p.is_file()}


def run_cli(project: Path, *args: str, seed: str = "0") -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen([sys.executable, "-m", "archivist", "ingest", "--root", str(project),
                             "--quiet", *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_sources(project: Path) -> None:
    many_stories(project, 300)
    write_hostile_sources(project, huge=False)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """docs/ after one uninterrupted run."""
    project = new_project(tmp_path_factory.mktemp("reference") / "project")
    make_sources(project)
    assert run_cli(project, seed="1").wait() == 0
    return snapshot(project / "docs")


def test_two_ingests_in_other_folders_give_identical_docs(
        reference: dict[str, bytes], tmp_path: Path) -> None:
    project = new_project(tmp_path / "elsewhere" / "project")
    make_sources(project)
    assert run_cli(project, seed="2").wait() == 0  # another hash seed: no set-order leaks
    assert snapshot(project / "docs") == reference


def test_killed_ingest_then_rerun_gives_the_same_archive(
        reference: dict[str, bytes], tmp_path: Path) -> None:
    """SIGKILL a real run while it writes pages (twice), then run again: same docs/."""
    project = new_project(tmp_path / "project")
    make_sources(project)
    docs = project / "docs"
    stories = docs / "stories"
    killed_at = []
    for threshold in (40, 160):
        for _attempt in range(5):  # a very fast disk may let a run finish between two polls
            proc = run_cli(project, seed="3")
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                written = sum(1 for _ in stories.rglob("*.md")) if stories.is_dir() else 0
                if written >= threshold:
                    proc.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.002)
            if proc.wait() == -signal.SIGKILL:
                break
            for generated in [stories, docs / "captures", *docs.glob("*.md")]:  # start over
                shutil.rmtree(generated) if generated.is_dir() else generated.unlink()
        assert proc.returncode == -signal.SIGKILL, "no run could be killed mid-way"
        killed_at.append(snapshot(docs))
    assert all(len(s) < len(reference) for s in killed_at), "kills did not land mid-run"
    assert run_cli(project, seed="4").wait() == 0
    after = snapshot(project / "docs")
    assert not [p for p in after if Path(p).name.startswith(TEMP_PREFIX)]
    assert after == reference


def test_leftover_temp_files_are_removed_and_others_kept(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    docs = project / "docs"
    leftover = docs / "stories" / f"{TEMP_PREFIX}page.md.x1y2{TEMP_SUFFIX}"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("half a page")
    mine = docs / "stories" / ".notes.tmp"
    mine.write_text("a person's file")
    ingest(ArchiveConfig.at(project), progress=False)
    assert not leftover.exists()
    assert mine.read_text() == "a person's file"


def _page(project: Path) -> Path:
    return project / "docs/stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md"


def test_hand_edits_are_kept_reported_and_forced(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    config = ArchiveConfig.at(project)
    ingest(config, progress=False)
    page, home = _page(project), project / "docs" / "index.md"
    page.write_text(page.read_text().replace("Mayor Ana Ruiz", "Mayor Ana M. Ruiz"))
    home.write_text(home.read_text() + "\nA note the editor added.\n")
    edited = {p: p.read_bytes() for p in (page, home)}
    summary = ingest(config, progress=False)
    assert sorted(summary.kept_edits) == ["index.md", "stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md"]
    assert {p: p.read_bytes() for p in edited} == edited
    assert any("edited by hand" in line for line in summary.lines())
    result = CliRunner().invoke(main, ["ingest", "--root", str(project), "--strict", "-q"])
    assert result.exit_code == 1
    ingest(config, progress=False, force=True)
    assert "Mayor Ana Ruiz" in page.read_text() and "A note the editor" not in home.read_text()
    assert is_untouched(page.read_text())


def test_edit_that_removes_the_digest_line_is_still_an_edit(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    ingest(ArchiveConfig.at(project), progress=False)
    page = _page(project)
    text = page.read_text()
    without = "".join(line for line in text.splitlines(keepends=True)
                      if not line.startswith(DIGEST_KEY))
    page.write_text(without)
    assert ingest(ArchiveConfig.at(project), progress=False).kept_edits
    assert page.read_text() == without


def test_digest_lookalike_in_the_body_does_not_count(project: Path) -> None:
    """A capture line shaped like the digest must not make a hand-edited page look untouched."""
    write_capture(project, "harbor.txt", DATED)
    ingest(ArchiveConfig.at(project), progress=False)
    page = _page(project)
    text = page.read_text()
    head, _, body = text.partition("\n---\n")
    head = "\n".join(line for line in head.splitlines() if not line.startswith(DIGEST_KEY))
    forged_body = body + "\n"
    without = f"{head}\n---\n{forged_body}"
    digest = hashlib.sha256(without.encode()).hexdigest()
    forged = f"{head}\n---\n{forged_body}{DIGEST_KEY}: {digest}\n"
    assert not is_untouched(forged)
    page.write_text(forged)
    assert ingest(ArchiveConfig.at(project), progress=False).kept_edits


def test_prune_removes_only_what_archivist_made(project: Path) -> None:
    harbor = write_capture(project, "harbor.txt", DATED)
    earlier = write_capture(project, "earlier.txt", EARLIER)
    config = ArchiveConfig.at(project)
    ingest(config, progress=False)
    docs = project / "docs"
    earlier_page = docs / "stories/2019/03/harbor-bridge-repair-falls-behind-schedule.md"
    earlier_page.write_text(earlier_page.read_text() + "\nEditor's note.\n")
    user_files = [docs / "stories" / "picture.png", docs / "captures" / "README.txt"]
    for path in user_files:
        path.write_bytes(b"a person's file")
    copies = sorted((docs / "captures").glob("*.txt"))
    harbor.unlink()
    earlier.unlink()
    summary = ingest(config, progress=False)
    assert summary.stale == ["stories/2019/11/harbor-bridge-reopens-after-two-year-repair.md"]
    assert summary.stale_edited == ["stories/2019/03/harbor-bridge-repair-falls-behind-schedule.md"]
    assert _page(project).exists() and all(c.exists() for c in copies)
    summary = ingest(config, progress=False, prune=True)
    assert not _page(project).exists() and not (docs / "stories/2019/11").exists()
    assert earlier_page.exists(), "an edited page is never pruned"
    assert summary.stale_edited == ["stories/2019/03/harbor-bridge-repair-falls-behind-schedule.md"]
    assert all(not c.exists() for c in copies if c.name != "README.txt")
    assert all(p.read_bytes() == b"a person's file" for p in user_files)


def test_damaged_capture_copy_is_repaired(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    ingest(ArchiveConfig.at(project), progress=False)
    copy = next((project / "docs" / "captures").glob("*.txt"))
    copy.write_text(DATED.replace("Monday", "Tuesday"))  # same length, other bytes
    summary = ingest(ArchiveConfig.at(project), progress=False)
    assert f"captures/{copy.name}" in summary.written
    assert copy.read_text() == DATED


def _verify(project: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["verify", "--root", str(project)])
    return result.exit_code, result.output


def test_verify_reports_changed_missing_and_damaged(project: Path) -> None:
    harbor = write_capture(project, "harbor.txt", DATED)
    earlier = write_capture(project, "earlier.txt", EARLIER)
    ingest(ArchiveConfig.at(project), progress=False)
    code, output = _verify(project)
    assert code == 0 and output.startswith("2 pages checked: 2 match their capture"), output
    harbor.write_text(DATED.replace("Monday", "Sunday"))
    earlier.unlink()
    code, output = _verify(project)
    assert code == 1
    assert "changed sources/harbor.txt" in output
    assert "missing sources/earlier.txt" in output
    page = _page(project)
    sha = frontmatter.load(page).metadata["capture"]["sha256"]
    (project / "docs" / "captures" / f"{sha}.txt").write_text("tampered")
    code, output = _verify(project)
    assert f"captures/{sha}.txt does not match its hash" in output


def test_verify_refuses_a_capture_path_outside_sources(project: Path) -> None:
    write_capture(project, "harbor.txt", DATED)
    ingest(ArchiveConfig.at(project), progress=False)
    page = _page(project)
    page.write_text(page.read_text().replace("path: sources/harbor.txt", "path: ../../etc/passwd"))
    code, output = _verify(project)
    assert code == 1 and "outside sources/" in output
