"""Evaluation and benchmark commands: score the pipeline on labelled data given by path.

Each command lives in its own module and registers itself on :data:`eval_group`; the data sets
are never part of the project, so every command takes their location as an argument.
"""

from __future__ import annotations

import click


@click.group("eval")
def eval_group() -> None:
    """Score Archivist on a labelled data set (paths given as options)."""
from archivist.evaluate import extraction  # noqa: E402,F401
from archivist.evaluate import related as _related  # noqa: E402,F401  (registers 'eval related')
