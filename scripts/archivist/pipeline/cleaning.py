"""Cleaning one capture: a pure function of its bytes, its sidecar and its site template.

Nothing here reads files or looks anything up, so jobs can run in any order, in worker
processes or on a Dask cluster (see :mod:`archivist.executors`).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from archivist.link.archive import StoryFacts, story_facts
from archivist.model import CaptureError, Story
from archivist.readers import read_capture
from archivist.readers.sidecar import read_sidecar


@dataclass(frozen=True)
class Job:
    """One capture to clean: everything :func:`clean_one` needs, nothing it must look up."""

    rel_path: str
    raw: bytes
    sidecar_raw: bytes | None = None
    sidecar_rel: str | None = None
    template: frozenset[int] = frozenset()  # hashes of this capture's site-template lines


Result = tuple[str, Story | CaptureError]


class Excluded(CaptureError):
    """A capture its sidecar leaves out on purpose: listed in the summary, not a problem."""


def clean_one(job: Job) -> Result:
    """Read, clean and apply the sidecar; a bad capture comes back as its error, not raised."""
    try:
        sidecar = None
        if job.sidecar_raw is not None:
            try:
                sidecar = read_sidecar(job.sidecar_raw)
            except CaptureError as exc:  # name the file that is wrong: the sidecar
                raise CaptureError(f"{job.sidecar_rel}: {exc}") from None
        if sidecar and sidecar.get("exclude"):
            return job.rel_path, Excluded("excluded by its sidecar")
        if job.template:
            try:
                story = read_capture(job.raw, job.rel_path, sidecar, job.template)
                if story.cleaned.paragraphs or story.cleaned.markdown:
                    return job.rel_path, story
            except CaptureError:
                pass  # the site template must never cost a story: clean it on its own instead
        return job.rel_path, read_capture(job.raw, job.rel_path, sidecar)
    except CaptureError as exc:
        return job.rel_path, exc
    except Exception as exc:  # a cleaner bug must not lose the other captures
        error = CaptureError(f"internal error while cleaning ({type(exc).__name__}: {exc})")
        return job.rel_path, error


Cleaned = tuple[str, Story | CaptureError, StoryFacts | None]  # a cached cleaning result


def clean_job(job: Job) -> Cleaned:
    """Clean one capture and, for a story, work out its link facts (in the same worker)."""
    rel, result = clean_one(job)
    facts = None
    if isinstance(result, Story):
        try:
            facts = story_facts(result)
        except Exception:  # the link stage works them out again, and reports what fails
            facts = None
    return rel, result, facts


def clean_job_pickled(job: Job) -> bytes:
    """:func:`clean_job`, its result pickled where it is made: the parent stores these bytes in
    the cache as they are and unpickles them once, instead of the executor unpickling them and
    the cache pickling them again (the parent is on one of the two cores the workers need)."""
    return pickle.dumps(clean_job(job), protocol=pickle.HIGHEST_PROTOCOL)
