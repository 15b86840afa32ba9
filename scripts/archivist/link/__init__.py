"""Linking: connect stories to each other (named related titles now; similarity later)."""
