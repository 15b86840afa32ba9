"""Shared fixtures: the user's example capture and small projects built in temporary folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "sources" / "000_4905c266883032d1.txt"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway archive project: the repo's mkdocs.yml, theme overrides and hooks, no pages."""
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "overrides", tmp_path / "overrides")
    (tmp_path / "scripts").symlink_to(REPO / "scripts")
    (tmp_path / "docs" / "assets").mkdir(parents=True)
    shutil.copy(REPO / "docs" / "assets" / "archivist.css", tmp_path / "docs" / "assets")
    (tmp_path / "sources").mkdir()
    return tmp_path


def write_capture(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path
