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


def make_project(root: Path) -> Path:
    """A throwaway archive project: the repo's mkdocs.yml, theme overrides, assets and hooks."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "scripts").symlink_to(REPO / "scripts")
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    (root / "sources").mkdir()
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty archive project in a temporary folder."""
    return make_project(tmp_path)


def write_capture(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path
