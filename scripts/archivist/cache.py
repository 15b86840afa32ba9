"""A cache of cleaning results, so re-running ingest costs only the captures that changed.

Keyed by what the result depends on: the capture's path and bytes, its sidecar, and a
fingerprint of Archivist's own code. The fingerprint changes whenever any module of the
package changes, so a new cleaner never serves results of the old one, with no version number
to remember to bump. One SQLite file; only the ingesting process touches it.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archivist.pipeline import Job

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the package's Python sources (and their paths), in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def job_key(job: Job) -> str:
    """Everything a cleaning result depends on: path, bytes, sidecar, site template, code."""
    digest = hashlib.sha256(code_fingerprint().encode())
    template = b"".join(h.to_bytes(8, "little") for h in sorted(job.template))
    for part in (job.rel_path.encode(), job.raw, job.sidecar_raw or b"\0none", template):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def bytes_key(raw: bytes) -> str:
    """For results that depend only on a capture's bytes (and the code)."""
    return hashlib.sha256(code_fingerprint().encode() + raw).hexdigest()


class CleanCache:
    """Pickled results by key, in named tables; entries of other code versions are dropped on open.

    Tables: ``cleaned`` (a job's cleaning result), ``lines`` (a capture's line hashes) and
    ``links`` (the last link stage's result, by the keys of all its stories).
    """

    TABLES = ("cleaned", "lines", "links")

    def __init__(self, path: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            for table in self.TABLES:
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, code TEXT, value BLOB)"
                )
                self._db.execute(f"DELETE FROM {table} WHERE code != ?", (code_fingerprint(),))
            self._db.commit()
        except sqlite3.Error:
            self._db = None  # a broken cache only costs time; ingest goes on without it

    def get_many(self, keys: list[str], table: str = "cleaned") -> dict[str, Any]:
        if self._db is None or not keys:
            return {}
        found: dict[str, Any] = {}
        for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, value FROM {table} WHERE key IN ({marks})", chunk)
            for key, value in rows:
                try:
                    found[key] = pickle.loads(value)
                except Exception:  # an unreadable entry is a miss
                    continue
        return found

    def put_many(self, items: Iterable[tuple[str, Any]], table: str = "cleaned") -> None:
        if self._db is None:
            return
        code = code_fingerprint()
        rows = [(key, code, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items]
        try:
            self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)", rows)
            self._db.commit()
        except sqlite3.Error:
            pass

    def replace_all(self, key: str, value: Any, table: str) -> None:
        """Keep only this entry in ``table`` (for results of which only the latest is useful)."""
        if self._db is None:
            return
        try:
            self._db.execute(f"DELETE FROM {table}")
        except sqlite3.Error:
            return
        self.put_many([(key, value)], table)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
