"""Work started on another core while this process goes on (the archive pages, during linking
and story-page writing): a forked child, not a process pool, so nothing is pickled on the way in."""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_background(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child, on another core; the call returned waits for its result.

    Only where forking is safe (a POSIX system, no other thread in this process); otherwise,
    and if the child fails, the work is done here, where any error is raised as usual.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        result = work()
        return lambda: result
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        result = work()
        return lambda: result
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def wait() -> T:
        with os.fdopen(read_end, "rb") as result_in:
            data = result_in.read()
        _, status = os.waitpid(pid, 0)
        return pickle.loads(data) if status == 0 and data else work()

    return wait
