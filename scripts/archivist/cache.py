"""A cache of cleaning results, so re-running ingest costs only the captures that changed.

Keyed by what the result depends on: the capture's path and bytes, its sidecar, and a
fingerprint of Archivist's own code. The fingerprint changes whenever any module of the
package changes, so a new cleaner never serves results of the old one, with no version number
to remember to bump. One SQLite file; only the ingesting process touches it.

Beside it, :class:`StateFile` keeps what the last ingest found and made (file signatures, link
model, page digests), so that the next one can skip whatever did not change. It is one pickle,
replaced atomically at the end of a run, and ignored when it was written by other code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the package's Python sources (and their paths), in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def job_key(rel_path: str, sha256: str, sidecar_sha256: str | None, template: Iterable[int]) -> str:
    """Everything a cleaning result depends on: path, bytes, sidecar, site template, code.

    Bytes are named by their sha256, so the key of an unchanged capture is known without
    reading it (see the file signatures in :mod:`archivist.pipeline`).
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    hashes = b"".join(h.to_bytes(8, "little") for h in sorted(template))
    for part in (rel_path.encode("utf-8", "surrogateescape"), sha256.encode(),
                 (sidecar_sha256 or "\0none").encode(), hashes):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def bytes_key(sha256: str) -> str:
    """For results that depend only on a capture's bytes (by their sha256) and the code."""
    return hashlib.sha256(f"{code_fingerprint()}:{sha256}".encode()).hexdigest()


class CleanCache:
    """Pickled results by key, in named tables; entries of other code versions are dropped on open.

    Tables: ``cleaned`` (a job's cleaning result and its link facts) and ``lines`` (a capture's
    line hashes, for the site-template pass).
    """

    TABLES = ("cleaned", "lines")

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
        pickled = ((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items)
        self.put_pickled(pickled, table)

    def put_pickled(self, items: Iterable[tuple[str, bytes]], table: str = "cleaned") -> None:
        """Store values already pickled (as :meth:`get_many` unpickles them)."""
        if self._db is None:
            return
        code = code_fingerprint()
        rows = [(key, code, blob) for key, blob in items]
        try:
            self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)", rows)
            self._db.commit()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class StateFile:
    """One pickled object in a file, tied to the code that wrote it.

    :meth:`load` gives None for a missing, unreadable or other-code file (the caller then
    starts from nothing); :meth:`save` writes a temporary file and renames it over, so a killed
    run leaves the previous state, which is still a true account of what it describes.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def load(self) -> Any:
        if self.path is None:
            return None
        try:
            with self.path.open("rb") as handle:
                code, value = pickle.load(handle)
        except Exception:  # missing, truncated, or from another version: start from nothing
            return None
        return value if code == code_fingerprint() else None

    def save(self, value: Any) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((code_fingerprint(), value), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass  # a state that cannot be saved only costs time on the next run
