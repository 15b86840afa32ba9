"""The command line: help, extract --json, ingest summary and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from archivist.cli import main
from conftest import SEED, write_capture


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "ingest" in result.output and "extract" in result.output


def test_extract_json_for_seed() -> None:
    result = CliRunner().invoke(main, ["extract", "--json", str(SEED)])
    assert result.exit_code == 0
    record = json.loads(result.output.splitlines()[0])
    assert set(record) == {"path", "title", "description", "authors", "date", "outlet", "url",
                           "language", "body", "related_titles", "images", "update_note"}
    assert record["title"] == "Iran’s Soleimani Killed in Trump-Ordered Airstrike"
    assert record["images"][0]["credit"] == "Office of the Iranian Supreme Leader via AP"
    assert record["body"].startswith("Qasem Soleimani, the powerful leader")
    assert "\n\n" in record["body"]


def test_ingest_summary_and_strict_exit(project: Path) -> None:
    write_capture(project, "seed.txt", SEED.read_bytes())
    write_capture(project, "empty.txt", "")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "--root", str(project), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 captures read, 1 stories archived" in result.output
    result = runner.invoke(main, ["ingest", "--root", str(project), "--strict"])
    assert result.exit_code == 1
    assert "skipped sources/empty.txt: empty capture" in result.output


def test_missing_sources_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "sources folder not found" in result.output
    assert "Traceback" not in result.output


def test_python_dash_m() -> None:
    done = subprocess.run([sys.executable, "-m", "archivist", "--version"], capture_output=True,
                          text=True, check=True)
    assert "archivist" in done.stdout
