"""Archivist: raw news-page captures in, a clean cross-linked MkDocs archive out.

The pipeline mirrors the folder layout: ``readers`` turn a capture's bytes into text,
``clean`` turns text into a :class:`~archivist.model.Story`, ``generate`` renders pages,
``writer`` puts them on disk, and ``pipeline`` runs the whole ingest.
"""

__version__ = "0.1.0"

# Bumped whenever cleaning or page generation changes output, so cached results are redone.
PIPELINE_VERSION = "1"
