"""The link stage's incremental parts give what computing everything again gives."""

from __future__ import annotations

import random

import numpy as np
import scipy.sparse as sp

from archivist.generate.paths import assign_paths
from archivist.link.archive import LinkModel, link_archive, update_links
from archivist.link.entities import TagModel, tags_from_mentions
from archivist.link.related import (
    RelatedParams,
    Vocabulary,
    doc_terms,
    rank,
    rank_update,
    symmetric,
    top_candidates,
    update_top,
)
from archivist.model import Capture, Cleaned, Story
from linking_captures import EVENTS, _paragraphs
from test_linking import _event_docs, story

PARAMS = RelatedParams()


def _random_docs(n: int, seed: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """Feature rows and days of ``n`` stories over a small vocabulary (many near ties)."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(60)]
    docs = [doc_terms(_doc(" ".join(rng.choices(words, k=rng.randint(3, 12))), rng)) for _ in range(n)]
    _, z = Vocabulary.fit(docs, PARAMS)
    days = np.array([np.nan if rng.random() < 0.2 else float(737000 + rng.randint(0, 60))
                     for _ in range(n)])
    return z, days


def _doc(text: str, rng: random.Random):  # type: ignore[no-untyped-def]
    from archivist.link.related import LinkDoc

    return LinkDoc(text.split()[0], None, text, " ".join(reversed(text.split())) if rng.random() < 0.5 else "")


def _same_top(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    """Equal rows, allowing the choice among exactly tied weakest candidates to differ."""
    a, b = a.tocsr(), b.tocsr()
    for i in range(a.shape[0]):
        ra = dict(zip(a.indices[a.indptr[i]:a.indptr[i + 1]], a.data[a.indptr[i]:a.indptr[i + 1]], strict=True))
        rb = dict(zip(b.indices[b.indptr[i]:b.indptr[i + 1]], b.data[b.indptr[i]:b.indptr[i + 1]], strict=True))
        if sorted(ra.values()) != sorted(rb.values()):
            return False
        weakest = min(ra.values(), default=0)
        if {c for c, v in ra.items() if v > weakest} != {c for c, v in rb.items() if v > weakest}:
            return False
    return True


def test_candidates_updated_for_added_and_removed_stories_equal_computing_them_again() -> None:
    z, days = _random_docs(300, seed=1)
    full = top_candidates(z, days, PARAMS)
    rng = np.random.default_rng(2)
    for _ in range(5):
        gone = rng.choice(300, size=3, replace=False)
        keep = np.setdiff1d(np.arange(300), gone)
        before = top_candidates(z[keep], days[keep], PARAMS)
        # Put the three back: they are new rows, the others keep theirs (renumbered).
        new_of_old = keep
        coo = before.tocoo()
        top = sp.csr_matrix((coo.data, (new_of_old[coo.row], new_of_old[coo.col])), shape=full.shape)
        updated = update_top(top, z, days, gone, gone, PARAMS)
        assert _same_top(updated, full)
        # And remove them again: rows that lost one of a full list are computed again.
        lost = np.unique(full.tocoo().row[np.isin(full.tocoo().col, gone)])
        full_rows = np.diff(full.indptr) >= 40
        redo = np.searchsorted(keep, np.setdiff1d(lost[full_rows[lost]], gone))
        coo = full.tocoo()
        ok = ~np.isin(coo.row, gone) & ~np.isin(coo.col, gone)
        old_to_new = np.full(300, -1)
        old_to_new[keep] = np.arange(len(keep))
        shrunk = sp.csr_matrix((coo.data[ok], (old_to_new[coo.row[ok]], old_to_new[coo.col[ok]])),
                               shape=(len(keep), len(keep)))
        again = update_top(shrunk, z[keep], days[keep], redo, np.zeros(0, np.int64), PARAMS)
        assert _same_top(again, before)


def test_ranking_only_the_rows_that_can_change_equals_ranking_all() -> None:
    z, days = _random_docs(400, seed=3)
    keys = [f"s{i}" for i in range(400)]
    full = symmetric(top_candidates(z, days, PARAMS))
    for gone in (7, 150, 399):
        keep = np.array([i for i in range(400) if i != gone])
        smaller = symmetric(top_candidates(z[keep], days[keep], PARAMS))
        before = rank_update(smaller, [keys[i] for i in keep], PARAMS)
        after = rank_update(full, keys, PARAMS, before)
        assert after.related == rank(full, PARAMS)
        back = rank_update(smaller, [keys[i] for i in keep], PARAMS, after)
        assert back.related == rank(smaller, PARAMS)


def test_ranking_some_rows_gives_those_rows_of_ranking_all() -> None:
    z, days = _random_docs(200, seed=4)
    candidates = symmetric(top_candidates(z, days, PARAMS))
    every = rank(candidates, PARAMS)
    some = rank(candidates, PARAMS, np.array([3, 50, 199]))
    assert [some[i] for i in (3, 50, 199)] == [every[i] for i in (3, 50, 199)]
    assert all(some[i] == [] for i in range(200) if i not in (3, 50, 199))


def _mentions(rng: random.Random) -> dict[str, int]:
    """Names with misspellings, roles, lone surnames and all-caps: what fold_names folds."""
    first = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta"]
    last = ["Kowalski", "Kowalsky", "Petrenko", "Petrenka", "Soleimani", "Soliemani", "Brenner",
            "Abernathy", "Abernathey", "Lindqvist"]
    out: dict[str, int] = {}
    for _ in range(rng.randint(0, 8)):
        kind = rng.random()
        if kind < 0.45:
            name = f"{rng.choice(first)} {rng.choice(last)}"
        elif kind < 0.7:
            name = rng.choice(last)
        elif kind < 0.8:
            name = f"State {rng.choice(first)} {rng.choice(last)}"
        elif kind < 0.9:
            name = rng.choice(["NATO", "Iran", "Iraq", "Quds Force", "Quds Forces", "Halden"])
        else:
            name = f"{rng.choice(first)} {rng.choice(first)} {rng.choice(last)}"
        out[name] = out.get(name, 0) + rng.randint(1, 4)
    return out


def test_tags_kept_up_to_date_equal_tags_chosen_from_scratch() -> None:
    rng = random.Random(5)
    per_story = [_mentions(rng) for _ in range(120)]
    model = TagModel.of(per_story)
    assert model.tags(np.arange(120)) == tags_from_mentions(per_story)
    for _ in range(40):
        if rng.random() < 0.6 or len(per_story) < 20:
            added = [_mentions(rng) for _ in range(rng.randint(1, 3))]
            source = np.concatenate([np.arange(len(per_story)), np.full(len(added), -1)])
            per_story = per_story + added
        else:
            keep = sorted(rng.sample(range(len(per_story)), len(per_story) - rng.randint(1, 3)))
            source, added = np.array(keep), []
            per_story = [per_story[i] for i in keep]
        model = model.with_rows(source, added)
        assert model.tags(np.arange(len(per_story))) == tags_from_mentions(per_story)


def test_page_paths_by_folder_equal_assigning_all_at_once() -> None:
    def s(path: str, title: str, date: str | None) -> Story:
        return Story(Capture(f"sources/{path}", path.ljust(64, "0")[:64], 1), title, Cleaned(), date=date)

    stories = [s("a.txt", "Harbor Bridge Reopens", "2019-11-19"), s("b.txt", "Harbor Bridge Reopens", "2019-11-20"),
               s("c.txt", "Harbor Bridge Reopens", None), s("d.txt", "", None), s("e.txt", "Other", "2019-11-01"),
               s("f.txt", "Harbor Bridge Reopens", "2019-12-01")]
    model = LinkModel.__new__(LinkModel)
    model.folders = {}
    assert model.page_paths(stories) == assign_paths(stories)
    stories.append(s("aa.txt", "Harbor Bridge Reopens", "2019-11-02"))
    assert model.page_paths(stories) == assign_paths(stories)


def _stories() -> list[Story]:
    out = []
    for e in EVENTS:
        for outlet in range(3):
            out.append(story(f"{e.key}-{outlet}.txt", e.headline[outlet], _paragraphs(e, outlet), date=e.date,
                             outlet=f"Outlet {outlet}"))
    return out


def _result(linked) -> dict:  # type: ignore[no-untyped-def]
    return {"paths": linked.paths, "tags": {s.capture.path: s.tags for s in linked.stories},
            "pages": {p: (links.named, links.related, links.linked_from,
                          [v.capture.path for v in links.versions]) for p, links in linked.pages.items()}}


def test_removing_and_adding_back_through_the_model_gives_the_full_link() -> None:
    stories = _stories()
    keys = [s.capture.path for s in stories]
    full = link_archive(stories, keys=keys)
    assert full.model is not None
    fresh = {k: (s, None) for k, s in zip(keys, stories, strict=True)}
    from archivist.link.archive import story_facts

    for gone in (0, 7, len(stories) - 1):
        rest = [k for k in keys if k != keys[gone]]
        smaller = update_links(full.model, rest, {}, lambda ks: {k: fresh[k][0] for k in ks})
        back = update_links(smaller.model, keys, {keys[gone]: (stories[gone], story_facts(stories[gone]))},
                            lambda ks: {k: fresh[k][0] for k in ks})
        assert _result(back) == _result(link_archive(_stories(), keys=keys))


def test_event_docs_fixture_still_links() -> None:  # guards the fixtures the tests above use
    assert len(_event_docs()) == 3 * len(EVENTS)


def _view_counts(docs: list, hashes: np.ndarray) -> list[sp.csr_matrix]:  # type: ignore[type-arg]
    from archivist.link.related import _counts

    title, lead, rest = (_counts([getattr(d, part) for d in docs], hashes) for part in ("title", "lead", "rest"))
    return [title + lead + rest, title, title + lead]


def test_own_tfidf_equals_scikit_learns_on_the_same_counts() -> None:
    """The vocabulary's features are scikit-learn's TfidfTransformer(sublinear_tf=True), view by
    view (with max_df: its columns left out), for the fitted stories and for new ones."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from archivist.link.related import _view_scales

    for n in (30, 80):  # under 50 stories every word counts; from 50, words in over half do not
        rng = random.Random(n)
        words = [f"w{i}" for i in range(40)] + ["common"]
        docs = [doc_terms(_doc(" ".join(rng.choices(words, k=rng.randint(3, 15))) + " common", rng))
                for _ in range(n)]
        fitted, later = docs[: n - 5], docs[n - 5:]
        vocabulary, z = Vocabulary.fit(fitted, PARAMS)
        width = len(vocabulary.hashes)
        for v, (counts, new_counts) in enumerate(zip(_view_counts(fitted, vocabulary.hashes),
                                                     _view_counts(later, vocabulary.hashes), strict=True)):
            kept = vocabulary.idf[v] > 0
            if len(fitted) >= 50:
                assert not kept.all(), "a word in every story is left out"
            sklearn = TfidfTransformer(sublinear_tf=True).fit(counts[:, kept])
            scale = _view_scales(PARAMS)[v]
            ours = z[:, v * width:(v + 1) * width][:, kept] / scale
            assert np.allclose(ours.toarray(), sklearn.transform(counts[:, kept]).toarray(), atol=1e-6)
            new = vocabulary.transform(later)[:, v * width:(v + 1) * width][:, kept] / scale
            assert np.allclose(new.toarray(), sklearn.transform(new_counts[:, kept]).toarray(), atol=1e-6)
