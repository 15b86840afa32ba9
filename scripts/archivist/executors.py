"""Where cleaning runs: in this process, on a local process pool, or on a Dask cluster.

Cleaning one capture is a pure function of its bytes, so any ``concurrent.futures.Executor``
can run it. ``dask://HOST:PORT`` connects to a Dask distributed scheduler (optional extra
``archivist[dask]``) whose client provides such an executor, for corpora beyond one machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many captures to clean, starting worker processes costs more than it saves.
POOL_THRESHOLD = 200


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Runner:
    """Maps a function over items, choosing (lazily) where to run it.

    ``jobs`` is the number of local worker processes (1: in this process); ``executor`` is an
    executor address (``dask://HOST:PORT``) that takes precedence over ``jobs``.
    """

    def __init__(self, jobs: int | None = None, executor: str | None = None) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self.address = executor
        self._executor: Executor | None = None
        self._client: Any = None

    def _open(self) -> Executor:
        if self._executor is not None:
            return self._executor
        if self.address:
            self._executor = self._dask_executor(self.address)
        else:
            self._executor = ProcessPoolExecutor(max_workers=self.jobs)
        return self._executor

    def _dask_executor(self, address: str) -> Executor:
        if not address.startswith("dask://"):
            raise ValueError(f"unknown executor '{address}' (expected dask://HOST:PORT)")
        try:
            from distributed import Client
        except ImportError:
            raise ValueError("the dask executor needs `pip install archivist[dask]`") from None
        self._client = Client("tcp://" + address.removeprefix("dask://"))
        return self._client.get_executor()

    def map(self, func: Callable[[T], R], items: list[T]) -> Iterator[R]:
        if not self.address and (self.jobs == 1 or len(items) < POOL_THRESHOLD):
            return map(func, items)
        chunk = max(1, min(64, len(items) // (self.jobs * 4) or 1))
        executor = self._open()
        if self.address:
            return executor.map(func, items)
        return executor.map(func, items, chunksize=chunk)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
