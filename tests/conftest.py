"""Shared fixtures: the user's example capture and small projects built in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.evaluate.bench import scratch_project

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "sources" / "000_4905c266883032d1.txt"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


make_project = scratch_project  # the benchmark's scratch archive, empty


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
