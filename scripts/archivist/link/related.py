"""Related stories: for every story, the few others most like it in words and closest in time.

The method, step by step (each step's gain on the development set is in ``link/README.md``;
``archivist eval related`` measures it):

1. **Three TF-IDF views** (sublinear tf, English stop words): the whole text, the title alone and
   the lead (title plus the first paragraphs). The headline and the first paragraphs name the
   event; the body adds context. They are stacked into one sparse matrix whose rows have unit
   norm, so one sparse product gives the weighted sum of the three cosines.
2. **Closeness in time**: similarity is multiplied by ``exp(-days apart / tau)``. A story without a
   date is treated as a few days away from every story, so it is neither favoured nor lost.
3. **Candidates**, ``CANDIDATES`` per story, from products of row blocks against the stories
   within a time window. Beyond the window even identical text would score under
   ``min_score``, so the window loses nothing; it is what keeps the work close to linear in the
   number of stories as an archive spans more time. There is never a dense all-pairs matrix.
4. **Shared neighbours** (pseudo-relevance feedback): a candidate gains when it is also close to
   the story's own nearest neighbours, which finds the third article of a three-article event.
5. **Hubness correction** (CSLS): a story that is close to everything (a round-up, a live blog)
   is marked down by its mean similarity to its own neighbours.
6. Up to ``top_k`` stories whose similarity reaches ``min_similarity`` and whose time-decayed
   similarity reaches ``min_score``: a story with no good match gets none rather than noise.

The whole computation is a function of the stories' (title, date, lead, rest), so it can later
be cached or updated incrementally; results are rounded and ties broken by index, so the same
stories always give the same lists.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp

CANDIDATES = 40  # per story, kept from the block products for re-ranking
BLOCK = 512  # rows per block product: memory is BLOCK x (stories in the window) floats


@dataclass(frozen=True)
class LinkDoc:
    """What linking needs to know about one story."""

    title: str
    date: str | None  # ISO date or None
    lead: str  # the first paragraphs
    rest: str  # the rest of the body


@dataclass(frozen=True)
class RelatedParams:
    """Tunable settings; the defaults are what ``link/README.md`` reports."""

    top_k: int = 5
    title_weight: float = 0.3
    lead_weight: float = 0.4
    tau_days: float = 5.0
    undated_days: float = 2.5  # how far apart a story without a date counts as being
    feedback_neighbours: int = 3
    feedback_weight: float = 0.6
    hub_neighbours: int = 20
    hub_weight: float = 1.0
    min_similarity: float = 0.04  # similarity below which stories are unrelated whatever the dates
    min_score: float = 0.02  # time-decayed similarity below which a story is not related
    shared_neighbours: bool = True
    self_vote: float = 1.0  # a nearest neighbour also votes for itself (reciprocal closeness)


Related = list[tuple[int, float]]  # (index of the other story, score), best first


def _tfidf(counts: sp.csr_matrix, max_df: float) -> sp.csr_matrix:
    """Sublinear TF-IDF with unit-norm rows, leaving out terms in more than ``max_df`` of rows."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    counts = counts.copy()
    counts.data[df[counts.indices] > max_df * counts.shape[0]] = 0
    counts.eliminate_zeros()
    from sklearn.feature_extraction.text import TfidfTransformer  # 1-2 s to import: only when linking

    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32).tocsr()


def features(docs: Sequence[LinkDoc], params: RelatedParams) -> sp.csr_matrix:
    """Unit-norm rows whose dot products are the weighted mean of the three views' cosines.

    Each text is tokenised once: title, lead and the rest of the body are counted against one
    vocabulary, and the views are sums of those counts.
    """
    n = len(docs)
    # A term in more than half the stories tells them apart only once there are enough of them.
    max_df = 0.5 if n >= 50 else 1.0
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(stop_words="english", dtype=np.float32)
    texts = [d.title for d in docs] + [d.lead for d in docs] + [d.rest for d in docs]
    try:
        counts = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no words at all (empty stories): nothing is related by words
        return sp.csr_matrix((n, 1), dtype=np.float32)
    title, lead, rest = counts[:n], counts[n:2 * n], counts[2 * n:]
    total = 1.0 + params.title_weight + params.lead_weight
    parts = [
        _tfidf(title + lead + rest, max_df) * np.float32(math.sqrt(1.0 / total)),
        _tfidf(title, max_df) * np.float32(math.sqrt(params.title_weight / total)),
        _tfidf(title + lead, max_df) * np.float32(math.sqrt(params.lead_weight / total)),
    ]
    return sp.hstack(parts, format="csr", dtype=np.float32)


def day_numbers(docs: Sequence[LinkDoc]) -> np.ndarray:
    days = np.full(len(docs), np.nan)
    for i, doc in enumerate(docs):
        if doc.date:
            try:
                days[i] = date.fromisoformat(doc.date[:10]).toordinal()
            except ValueError:
                continue
    return days


def candidate_matrix(z: sp.csr_matrix, days: np.ndarray, params: RelatedParams) -> sp.csr_matrix:
    """Time-decayed similarities to each story's ``CANDIDATES`` best others, as a sparse matrix.

    Dated stories are taken in date order, in blocks, against the dated stories within the
    window around the block plus all undated ones; undated stories against all.
    """
    n = z.shape[0]
    window = params.tau_days * math.log(1.0 / params.min_score) if params.min_score > 0 else math.inf
    dated = np.flatnonzero(~np.isnan(days))
    dated = dated[np.argsort(days[dated], kind="stable")]
    undated = np.flatnonzero(np.isnan(days))
    sorted_days = days[dated]
    zt = z.T.tocsr()
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    vals_out: list[np.ndarray] = []
    blocks = [dated[i:i + BLOCK] for i in range(0, len(dated), BLOCK)]
    blocks += [undated[i:i + BLOCK] for i in range(0, len(undated), BLOCK)]
    for block in blocks:
        block_days = days[block]
        if np.isnan(block_days[0]):
            cols = np.arange(n)
        else:
            lo = np.searchsorted(sorted_days, block_days.min() - window, side="left")
            hi = np.searchsorted(sorted_days, block_days.max() + window, side="right")
            cols = np.sort(np.concatenate([dated[lo:hi], undated]))
        sims = (z[block] @ zt[:, cols]).toarray()
        sims[sims < params.min_similarity] = 0.0
        apart = np.abs(block_days[:, None] - days[cols][None, :])
        apart = np.where(np.isnan(apart), params.undated_days, apart)
        sims *= np.exp(-apart / params.tau_days).astype(np.float32)
        sims[block[:, None] == cols[None, :]] = 0.0  # a story is not related to itself
        sims[sims < params.min_score] = 0.0
        k = min(CANDIDATES, len(cols))
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < len(cols) else \
            np.tile(np.arange(len(cols)), (len(block), 1))
        vals = np.take_along_axis(sims, top, axis=1)
        keep = vals > 0
        rows_out.append(np.repeat(block, keep.sum(axis=1)))
        cols_out.append(cols[top[keep]])
        vals_out.append(vals[keep])
    if not rows_out:
        return sp.csr_matrix((n, n), dtype=np.float32)
    matrix = sp.csr_matrix(
        (np.concatenate(vals_out), (np.concatenate(rows_out), np.concatenate(cols_out))),
        shape=(n, n), dtype=np.float32,
    )
    # A pair one story kept and the other did not is still the same similarity: keep it both ways.
    return matrix.maximum(matrix.T).tocsr()


def _top_mean(matrix: sp.csr_matrix, k: int) -> np.ndarray:
    """Mean of each row's ``k`` largest stored values (missing values count as zero)."""
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    for i in range(matrix.shape[0]):
        row = matrix.data[matrix.indptr[i]:matrix.indptr[i + 1]]
        if len(row):
            out[i] = np.sort(row)[-k:].sum() / k
    return out


def _top_rows(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Only each row's ``k`` largest values, rows scaled to sum to one."""
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        row = matrix.data[start:end]
        if not len(row):
            continue
        pick = np.argsort(-row, kind="stable")[:k]
        rows.append(np.full(len(pick), i))
        cols.append(matrix.indices[start:end][pick])
        vals.append(row[pick] / row[pick].sum())
    if not rows:
        return sp.csr_matrix(matrix.shape, dtype=np.float32)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=matrix.shape, dtype=np.float32,
    )


def rank(candidates: sp.csr_matrix, params: RelatedParams) -> list[Related]:
    """Re-rank each story's candidates (shared neighbours, hubness) and keep the best few.

    The score given with each story is its time-decayed similarity (0 to 1, 3 decimals); the
    order is the re-ranked one, so a lower score can come first.
    """
    candidates = candidates.tocsr()
    candidates.sort_indices()
    score = candidates.copy()
    if params.shared_neighbours and params.feedback_weight:
        weights = _top_rows(candidates, params.feedback_neighbours)
        own = sp.identity(candidates.shape[0], dtype=np.float32, format="csr")
        feedback = weights @ (candidates + own * np.float32(params.self_vote))
        feedback = (feedback + feedback.T) * np.float32(params.feedback_weight / 2)
        # Only among the candidates themselves: feedback re-orders, it does not add stories.
        score = score + feedback.multiply(candidates > 0)
    hubness = _top_mean(candidates, params.hub_neighbours) * np.float32(params.hub_weight / 2)
    score = score.tocsr()
    score.sort_indices()
    assert np.array_equal(score.indptr, candidates.indptr), "re-ranking changed the candidates"
    out: list[Related] = []
    for i in range(score.shape[0]):
        start, end = score.indptr[i], score.indptr[i + 1]
        cols = score.indices[start:end]
        vals = np.round((score.data[start:end] - hubness[cols]).astype(np.float64), 6)
        sims = candidates.data[start:end]  # same sparsity pattern as ``score``
        order = np.lexsort((cols, -vals))[: params.top_k]
        out.append([(int(cols[j]), round(float(sims[j]), 3)) for j in order])
    return out


def related_stories(docs: Sequence[LinkDoc], params: RelatedParams | None = None) -> list[Related]:
    """For each story, up to ``top_k`` related stories as (index, score), best first."""
    params = params or RelatedParams()
    if len(docs) < 2:
        return [[] for _ in docs]
    z = features(docs, params)
    candidates = candidate_matrix(z, day_numbers(docs), params)
    return rank(candidates, params)
