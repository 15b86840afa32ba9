"""Generators: turn stories into Markdown pages (strings); they never touch the disk."""
