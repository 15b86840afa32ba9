"""``python -m archivist`` is the same as the ``archivist`` command."""

from archivist.cli import main

main()
