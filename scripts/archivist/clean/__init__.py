"""Cleaning: a capture's text in, a :class:`~archivist.model.Cleaned` story out (pure functions)."""

from archivist.clean.cleaner import clean_text

__all__ = ["clean_text"]
