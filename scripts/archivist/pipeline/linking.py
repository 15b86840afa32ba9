"""The link stage of a run: update the last run's link model where that is possible, else fit.

An update compares only the added stories with the others and keeps the vocabulary (which
words count, and their idf) of the last fit; past ``REFIT_SHARE`` of change, with changed
parameters, or with ``--relink``, the model is fitted again from all stories (see
:mod:`archivist.link.archive`).
"""

from __future__ import annotations

from archivist.link.archive import (
    LinkedArchive,
    LinkModel,
    PagesReady,
    link_archive,
    story_facts,
    update_links,
)
from archivist.pipeline.captures import Captures


def link(captures: Captures, model: LinkModel | None, keys: list[str], relink: bool,
         on_pages: PagesReady) -> LinkedArchive:
    """Links of the stories ``keys`` (cleaning keys, in capture order)."""
    if model is None or relink or model.needs_refit(keys):
        whole = captures.whole(keys)
        facts = {k: f for k, (_, f) in whole.items() if f is not None}
        return link_archive([whole[k][0] for k in keys], keys=keys, facts=facts, on_pages=on_pages)
    known = set(model.keys)
    added = [k for k in keys if k not in known]
    fresh = {k: (story, facts or story_facts(story)) for k, (story, facts) in captures.whole(added).items()}
    return update_links(model, keys, fresh, lambda ks: {k: s for k, (s, _) in captures.whole(ks).items()},
                        on_pages)
