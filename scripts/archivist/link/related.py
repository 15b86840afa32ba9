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

The whole computation is a function of the stories' (title, date, lead, rest); results are
rounded and ties broken by index, so the same stories always give the same lists. It is also
split so that it can be updated rather than redone (see ``link/README.md``): words are counted
per story (:func:`doc_terms`, in the cleaning workers), a :class:`Vocabulary` is fitted once and
kept, a new story's row is :meth:`Vocabulary.transform`-ed with it, and :func:`update_top`
puts new stories into the candidate lists of the others without recomputing theirs.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from hashlib import blake2b

import numpy as np
import scipy.sparse as sp

CANDIDATES = 40  # per story, kept from the block products for re-ranking
BLOCK = 512  # rows per block product: memory is BLOCK x (stories in the window) floats
_TOKEN = re.compile(r"\w\w+")  # what scikit-learn's default (?u)\b\w\w+\b finds, faster


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

    @property
    def window(self) -> float:
        """Days apart beyond which even identical texts score under ``min_score``."""
        return self.tau_days * math.log(1.0 / self.min_score) if self.min_score > 0 else math.inf


Related = list[tuple[int, float]]  # (index of the other story, score), best first

# --- words -----------------------------------------------------------------------------------

Terms = tuple[np.ndarray, np.ndarray]  # (sorted term hashes as int64, their counts as float32)
_NO_TERMS: Terms = (np.zeros(0, np.int64), np.zeros(0, np.float32))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, read without importing scikit-learn (1 s per process)."""
    spec = importlib.util.find_spec("sklearn")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            where = importlib.util.spec_from_file_location(
                "_archivist_stop_words", f"{folder}/feature_extraction/_stop_words.py")
            if where and where.loader:
                try:
                    module = importlib.util.module_from_spec(where)
                    where.loader.exec_module(module)
                    return frozenset(module.ENGLISH_STOP_WORDS)
                except (OSError, AttributeError):
                    continue
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1 << 20)
def term_hash(term: str) -> int:
    """A 64-bit hash of a word, the same in every process and run: the vocabulary's key."""
    digest = blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def terms(text: str) -> Terms:
    """The words of a text (lower-cased, English stop words left out) and how often each occurs."""
    stop = stop_words()
    counts = Counter(_TOKEN.findall(text.lower()))
    items = [(term_hash(word), n) for word, n in counts.items() if word not in stop]
    if not items:
        return _NO_TERMS
    hashes = np.fromiter((h for h, _ in items), np.int64, len(items))
    values = np.fromiter((n for _, n in items), np.float32, len(items))
    order = np.argsort(hashes, kind="stable")
    return hashes[order], values[order]


@dataclass(frozen=True)
class DocTerms:
    """A story's words, counted separately in its title, its lead and the rest of its body."""

    title: Terms
    lead: Terms
    rest: Terms


def doc_terms(doc: LinkDoc) -> DocTerms:
    return DocTerms(terms(doc.title), terms(doc.lead), terms(doc.rest))


def _counts(parts: Sequence[Terms], vocabulary: np.ndarray) -> sp.csr_matrix:
    """One row of counts per part, columns in vocabulary order; words not in it are left out."""
    sizes = np.fromiter((len(h) for h, _ in parts), np.int64, len(parts))
    hashes = np.concatenate([h for h, _ in parts]) if len(parts) else _NO_TERMS[0]
    values = np.concatenate([v for _, v in parts]) if len(parts) else _NO_TERMS[1]
    rows = np.repeat(np.arange(len(parts)), sizes)
    cols = np.searchsorted(vocabulary, hashes)
    known = cols < len(vocabulary)
    known[known] = vocabulary[cols[known]] == hashes[known]
    return sp.csr_matrix((values[known], (rows[known], cols[known])),
                         shape=(len(parts), max(len(vocabulary), 1)), dtype=np.float32)


def _view_scales(params: RelatedParams) -> tuple[np.float32, np.float32, np.float32]:
    total = 1.0 + params.title_weight + params.lead_weight
    return (np.float32(math.sqrt(1.0 / total)), np.float32(math.sqrt(params.title_weight / total)),
            np.float32(math.sqrt(params.lead_weight / total)))


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray, scale: np.float32) -> sp.csr_matrix:
    """Sublinear tf times idf, rows scaled to norm ``scale`` (as scikit-learn's TfidfTransformer)."""
    x = counts.copy()
    np.log(x.data, out=x.data)
    x.data += 1.0
    x.data *= idf[x.indices]
    x.eliminate_zeros()  # words left out by max_df have idf 0
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1), dtype=np.float64).ravel())
    norms[norms == 0] = 1.0
    x.data *= np.repeat((scale / norms).astype(np.float32), np.diff(x.indptr))
    return x


@dataclass
class Vocabulary:
    """The fitted part of the features: which words count, and each view's idf.

    Fitted on the stories of one full link; later stories are transformed with it unchanged
    (words it has not seen are left out), so their rows are comparable with the stored ones.

    Why not scikit-learn's ``TfidfVectorizer``: importing scikit-learn costs about a second per
    process (a re-run after adding one capture has 5 s in all), and a fitted vectorizer would
    have to be pickled whole with its string vocabulary; here the vocabulary is a sorted array of
    term hashes that is kept in the link model and transforms new stories. The numbers are
    scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` (smooth idf, l2 rows) on the same
    counts: ``test_own_tfidf_equals_scikit_learns_on_the_same_counts`` checks it.
    """

    hashes: np.ndarray  # sorted term hashes: column j is hashes[j]
    idf: np.ndarray  # (3, columns): whole text, title, title + lead; 0 for words left out
    params: RelatedParams
    fitted_on: int  # stories

    @classmethod
    def fit(cls, docs: Sequence[DocTerms], params: RelatedParams) -> tuple[Vocabulary, sp.csr_matrix]:
        """The vocabulary of ``docs`` and their feature rows."""
        n = len(docs)
        every = [t for d in docs for t in (d.title, d.lead, d.rest)]
        hashes = np.unique(np.concatenate([h for h, _ in every])) if every else _NO_TERMS[0]
        # A term in more than half the stories tells them apart only once there are enough of them.
        max_df = 0.5 if n >= 50 else 1.0
        title, lead, rest = (_counts([getattr(d, part) for d in docs], hashes)
                             for part in ("title", "lead", "rest"))
        views = (title + lead + rest, title, title + lead)
        idf = np.zeros((3, max(len(hashes), 1)), dtype=np.float32)
        for v, counts in enumerate(views):
            df = np.bincount(counts.indices, minlength=idf.shape[1])
            kept = (df > 0) & (df <= max_df * n)
            idf[v, kept] = (np.log((1.0 + n) / (1.0 + df[kept])) + 1.0).astype(np.float32)
        vocabulary = cls(hashes, idf, params, n)
        return vocabulary, vocabulary._features(views)

    def transform(self, docs: Sequence[DocTerms]) -> sp.csr_matrix:
        """Feature rows of stories, with this vocabulary and idf."""
        title, lead, rest = (_counts([getattr(d, part) for d in docs], self.hashes)
                             for part in ("title", "lead", "rest"))
        return self._features((title + lead + rest, title, title + lead))

    def _features(self, views: Iterable[sp.csr_matrix]) -> sp.csr_matrix:
        """Unit-norm rows whose dot products are the weighted mean of the three views' cosines."""
        scales = _view_scales(self.params)
        parts = [_tfidf(counts, self.idf[v], scales[v]) for v, counts in enumerate(views)]
        return sp.hstack(parts, format="csr", dtype=np.float32)


def features(docs: Sequence[LinkDoc], params: RelatedParams) -> sp.csr_matrix:
    """Unit-norm rows whose dot products are the weighted mean of the three views' cosines.

    Title, lead and the rest of the body are each counted once, against one vocabulary, and the
    views are sums of those counts: the whole text, the title alone, the title and lead.
    """
    return Vocabulary.fit([doc_terms(d) for d in docs], params)[1]


def day_numbers(docs: Sequence[LinkDoc]) -> np.ndarray:
    return np.array([day_number(d.date) for d in docs], dtype=np.float64)


def day_number(iso: str | None) -> float:
    if iso:
        try:
            return float(date.fromisoformat(iso[:10]).toordinal())
        except ValueError:
            pass
    return math.nan


# --- candidates --------------------------------------------------------------------------------

def _decayed(z: sp.csr_matrix, zt: sp.csr_matrix | None, days: np.ndarray, rows: np.ndarray,
             cols: np.ndarray, params: RelatedParams) -> np.ndarray:
    """Dense time-decayed similarities of ``rows`` to ``cols``, under the floors set to 0
    (``zt``: ``z`` transposed, when many blocks share it)."""
    sims = (z[rows] @ (zt[:, cols] if zt is not None else z[cols].T.tocsr())).toarray()
    sims[sims < params.min_similarity] = 0.0
    apart = np.abs(days[rows][:, None] - days[cols][None, :])
    apart = np.where(np.isnan(apart), params.undated_days, apart)
    sims *= np.exp(-apart / params.tau_days).astype(np.float32)
    sims[rows[:, None] == cols[None, :]] = 0.0  # a story is not related to itself
    sims[sims < params.min_score] = 0.0
    return sims


def _top_of(sims: np.ndarray, rows: np.ndarray, cols: np.ndarray, k: int = CANDIDATES
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``k`` largest positive values, as (rows, cols, values)."""
    k = min(k, sims.shape[1])
    if k == 0:
        return rows[:0], cols[:0], np.zeros(0, np.float32)
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < sims.shape[1] else \
        np.tile(np.arange(sims.shape[1]), (sims.shape[0], 1))
    vals = np.take_along_axis(sims, top, axis=1)
    keep = vals > 0
    return np.repeat(rows, keep.sum(axis=1)), cols[top[keep]], vals[keep]


def _columns(days: np.ndarray, block: np.ndarray, dated: np.ndarray, window: float) -> np.ndarray:
    """The dated stories within ``window`` days of a block of dated stories (``dated`` in date order)."""
    sorted_days = days[dated]
    lo = np.searchsorted(sorted_days, days[block].min() - window, side="left")
    hi = np.searchsorted(sorted_days, days[block].max() + window, side="right")
    return np.sort(dated[lo:hi])


def _date_order(days: np.ndarray, among: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(dated stories in date order, undated stories), of ``among`` (default: all)."""
    among = np.arange(len(days)) if among is None else among
    dated = among[~np.isnan(days[among])]
    return dated[np.argsort(days[dated], kind="stable")], among[np.isnan(days[among])]


def _matrix(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int) -> sp.csr_matrix:
    if not parts:
        return sp.csr_matrix((n, n), dtype=np.float32)
    rows, cols, vals = (np.concatenate(p) for p in zip(*parts, strict=True))
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float32)


def top_candidates(z: sp.csr_matrix, days: np.ndarray, params: RelatedParams) -> sp.csr_matrix:
    """Each story's ``CANDIDATES`` best time-decayed similarities (row i: story i's own choice).

    Undated stories are compared with every story, in blocks; what they give each dated story
    is kept (its best ``CANDIDATES``) so that dated blocks need only the dated stories within the
    window around them, not the undated ones again. There is never a dense all-pairs matrix.
    """
    n = z.shape[0]
    zt = z.T.tocsr()
    dated, undated = _date_order(days)
    everyone = np.arange(n)
    parts = []
    from_undated = []  # (dated story, undated story, value): the best few of each dated story
    for start in range(0, len(undated), BLOCK):
        block = undated[start:start + BLOCK]
        sims = _decayed(z, zt, days, block, everyone, params)
        parts.append(_top_of(sims, block, everyone))
        if len(dated):
            towards = sims[:, dated].T  # dated x block
            d_rows, u_cols, vals = _top_of(towards, dated, block)
            from_undated.append((d_rows, u_cols, vals))
    back = _matrix(from_undated, n)
    for start in range(0, len(dated), BLOCK):
        block = dated[start:start + BLOCK]
        cols = _columns(days, block, dated, params.window)
        sims = _decayed(z, zt, days, block, cols, params)
        if len(undated):
            sims = np.hstack([sims, back[block][:, undated].toarray()])
            cols = np.concatenate([cols, undated])
        parts.append(_top_of(sims, block, cols))
    return _matrix(parts, n)


def symmetric(top: sp.csr_matrix) -> sp.csr_matrix:
    """A pair one story kept and the other did not is still the same similarity: keep it both ways."""
    return top.maximum(top.T).tocsr()


def candidate_matrix(z: sp.csr_matrix, days: np.ndarray, params: RelatedParams) -> sp.csr_matrix:
    """Time-decayed similarities to each story's ``CANDIDATES`` best others, both ways, sparse."""
    return symmetric(top_candidates(z, days, params))


def update_top(top: sp.csr_matrix, z: sp.csr_matrix, days: np.ndarray, redo: np.ndarray,
               added: np.ndarray, params: RelatedParams) -> sp.csr_matrix:
    """The candidate rows after stories were added (or changed): the same as
    :func:`top_candidates` on ``z`` (up to ties), computing only the rows of ``redo``.

    ``top`` holds the previous rows, already in the new order (added stories' rows empty);
    ``redo`` are the rows to compute again (the added stories, and stories that lost a candidate
    from a full row). Every other row keeps its candidates, and takes an added story in where it
    beats its weakest one (similarity is symmetric, so the added story's own row tells which).
    """
    n = z.shape[0]
    redo = np.unique(redo)
    if len(redo) == 0:
        return top
    zt = z.T.tocsr() if len(redo) > BLOCK else None
    dated, undated = _date_order(days)
    everyone = np.arange(n)
    new_rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    inserts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (other row, added story, value)
    is_added = np.zeros(n, bool)
    is_added[added] = True
    is_redo = np.zeros(n, bool)
    is_redo[redo] = True
    todo_dated, todo_undated = _date_order(days, redo)
    blocks = [todo_dated[i:i + BLOCK] for i in range(0, len(todo_dated), BLOCK)]
    blocks += [todo_undated[i:i + BLOCK] for i in range(0, len(todo_undated), BLOCK)]
    for block in blocks:
        if np.isnan(days[block[0]]):
            cols = everyone
        else:
            cols = np.sort(np.concatenate([_columns(days, block, dated, params.window), undated]))
        sims = _decayed(z, zt, days, block, cols, params)
        rows, picked, vals = _top_of(sims, block, cols)
        for i in block:
            mine = rows == i
            new_rows[int(i)] = (picked[mine], vals[mine])
        for r, i in enumerate(block):
            if is_added[i]:
                hit = (sims[r] > 0) & ~is_redo[cols]
                inserts.append((cols[hit], np.full(int(hit.sum()), i), sims[r][hit]))
    touched: dict[int, dict[int, float]] = {}
    if inserts:
        others, stories, vals = (np.concatenate(p) for p in zip(*inserts, strict=True))
        for j, a, v in zip(others.tolist(), stories.tolist(), vals.tolist(), strict=True):
            row = touched.get(j)
            if row is None:
                start, end = top.indptr[j], top.indptr[j + 1]
                row = touched[j] = dict(zip(top.indices[start:end].tolist(), top.data[start:end].tolist(),
                                            strict=True))
            if len(row) < CANDIDATES:
                row[a] = v
            else:
                weakest = min(row, key=lambda c: (row[c], -c))
                if v > row[weakest]:
                    del row[weakest]
                    row[a] = v
    top = top.tocoo()
    keep = ~is_redo[top.row] & ~np.isin(top.row, np.fromiter(touched, np.int64, len(touched)))
    parts = [(top.row[keep], top.col[keep], top.data[keep])]
    for i, (cols, vals) in new_rows.items():
        parts.append((np.full(len(cols), i), cols, vals))
    for j, row in touched.items():
        parts.append((np.full(len(row), j), np.fromiter(row, np.int64, len(row)),
                      np.fromiter(row.values(), np.float32, len(row))))
    return _matrix(parts, n)


# --- ranking -----------------------------------------------------------------------------------

def _by_row(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Entries (already grouped by row, ascending) ordered by row, then largest value first,
    ties kept in their stored (column) order: one stable sort on one key, faster than lexsort."""
    values = values.astype(np.float64)
    if not len(values):
        return np.zeros(0, np.int64)
    spread = float(values.max() - values.min()) + 1.0
    return np.argsort(rows * spread - values, kind="stable")


def _row_order(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Stored entries sorted by row, then largest value first (ties: column order); and each
    entry's position within its row in that order."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = _by_row(rows, matrix.data)
    position = np.arange(len(order)) - matrix.indptr[rows[order]]
    return order, position


def _top_mean(matrix: sp.csr_matrix, k: int, ordered: tuple[np.ndarray, np.ndarray] | None = None
              ) -> np.ndarray:
    """Mean of each row's ``k`` largest stored values (missing values count as zero)."""
    order, position = ordered or _row_order(matrix)
    pick = order[position < k]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    sums = np.bincount(rows[pick], weights=matrix.data[pick].astype(np.float64),
                       minlength=matrix.shape[0])
    return (sums / k).astype(np.float32)


def _top_rows(matrix: sp.csr_matrix, k: int, ordered: tuple[np.ndarray, np.ndarray] | None = None
              ) -> sp.csr_matrix:
    """Only each row's ``k`` largest values, rows scaled to sum to one."""
    order, position = ordered or _row_order(matrix)
    pick = order[position < k]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[pick]
    vals = matrix.data[pick]
    sums = np.bincount(rows, weights=vals, minlength=matrix.shape[0]).astype(np.float32)
    return sp.csr_matrix((vals / sums[rows], (rows, matrix.indices[pick])), shape=matrix.shape,
                         dtype=np.float32)


@dataclass
class Ranking:
    """A ranking and what it read: kept so that the next one ranks only the rows that can differ."""

    keys: list[str]  # one per row
    candidates: sp.csr_matrix
    weights: sp.csr_matrix  # each row's nearest few, scaled to sum to one (the feedback)
    hubness: np.ndarray  # the hubness correction of each row, as subtracted
    related: list[Related]


def _inputs(candidates: sp.csr_matrix, params: RelatedParams) -> tuple[sp.csr_matrix, np.ndarray]:
    ordered = _row_order(candidates)
    weights = _top_rows(candidates, params.feedback_neighbours, ordered)
    return weights, _top_mean(candidates, params.hub_neighbours, ordered) * np.float32(params.hub_weight / 2)


def _rank_rows(candidates: sp.csr_matrix, weights: sp.csr_matrix, hubness: np.ndarray, rows: np.ndarray,
               params: RelatedParams) -> list[Related]:
    n = candidates.shape[0]
    block = candidates[rows]
    score = block.copy()
    if params.shared_neighbours and params.feedback_weight:
        own = sp.identity(n, dtype=np.float32, format="csr")
        votes = candidates + own * np.float32(params.self_vote)
        # (weights @ votes) plus its transpose, on these rows: votes is symmetric.
        feedback = (weights[rows] @ votes + votes[rows] @ weights.T) * np.float32(params.feedback_weight / 2)
        # Only among the candidates themselves: feedback re-orders, it does not add stories.
        score = score + feedback.multiply(block > 0)
    score = score.tocsr()
    score.sort_indices()
    assert np.array_equal(score.indptr, block.indptr), "re-ranking changed the candidates"
    at = np.repeat(np.arange(len(rows)), np.diff(score.indptr))
    cols = score.indices
    vals = np.round((score.data - hubness[cols]).astype(np.float64), 6)
    order = _by_row(at, vals)
    position = np.arange(len(order)) - score.indptr[at[order]]
    pick = order[position < params.top_k]
    sims = block.data[pick].astype(np.float64)  # same sparsity pattern as ``score``
    out: list[Related] = [[] for _ in range(n)]
    for i, j, s in zip(rows[at[pick]].tolist(), cols[pick].tolist(), sims.tolist(), strict=True):
        out[i].append((j, round(s, 3)))
    return out


def rank(candidates: sp.csr_matrix, params: RelatedParams, rows: np.ndarray | None = None) -> list[Related]:
    """Re-rank each story's candidates (shared neighbours, hubness) and keep the best few.

    The score given with each story is its time-decayed similarity (0 to 1, 3 decimals); the
    order is the re-ranked one, so a lower score can come first. With ``rows``, only those
    stories are ranked (the others get ``[]``), with the same result as ranking all.
    ``candidates`` must be symmetric (as :func:`candidate_matrix` makes it).
    """
    candidates = candidates.tocsr()
    candidates.sort_indices()
    weights, hubness = _inputs(candidates, params)
    rows = np.arange(candidates.shape[0]) if rows is None else np.unique(np.asarray(rows, dtype=np.int64))
    return _rank_rows(candidates, weights, hubness, rows, params)


def changed_rows(new: sp.csr_matrix, old: sp.csr_matrix, old_of_new: np.ndarray) -> np.ndarray:
    """Rows of ``new`` that differ from the row of the same story in ``old`` (``old_of_new[i]``,
    -1 for a story ``old`` did not have), including rows that lost a story ``new`` does not have."""
    n = new.shape[0]
    known = old_of_new >= 0
    new_of_old = np.full(old.shape[0], -1, dtype=np.int64)
    new_of_old[old_of_new[known]] = np.flatnonzero(known)
    coo = old.tocoo()
    rows, cols = new_of_old[coo.row], new_of_old[coo.col]
    keep = (rows >= 0) & (cols >= 0)
    lost = rows[(rows >= 0) & (cols < 0)]
    before = sp.csr_matrix((coo.data[keep], (rows[keep], cols[keep])), shape=(n, n), dtype=np.float32)
    differ = (new.tocsr() != before).tocsr()
    return np.unique(np.concatenate([np.flatnonzero(np.diff(differ.indptr)), lost,
                                     np.flatnonzero(~known)])).astype(np.int64)


def rank_update(candidates: sp.csr_matrix, keys: list[str], params: RelatedParams,
                before: Ranking | None = None) -> Ranking:
    """:func:`rank` of ``candidates`` (rows named by ``keys``), ranking again only the rows whose
    result can differ from ``before``: a row's ranking reads its own candidates, the rows of its
    nearest few (the feedback they pass on), and its candidates' nearest few and hubness."""
    candidates = candidates.tocsr()
    candidates.sort_indices()
    n = candidates.shape[0]
    weights, hubness = _inputs(candidates, params)
    if before is None:
        return Ranking(keys, candidates, weights, hubness,
                       _rank_rows(candidates, weights, hubness, np.arange(n), params))
    where = {k: i for i, k in enumerate(before.keys)}
    old_of_new = np.array([where.get(k, -1) for k in keys], dtype=np.int64)
    known = old_of_new >= 0
    rows_changed = changed_rows(candidates, before.candidates, old_of_new)
    passed_on = changed_rows(weights, before.weights, old_of_new)
    hub_changed = np.flatnonzero(~known | (hubness != before.hubness[np.where(known, old_of_new, 0)]))

    def having(pattern: sp.csr_matrix, among: np.ndarray) -> np.ndarray:
        mark = np.zeros(n, dtype=np.float32)
        mark[among] = 1.0
        return np.flatnonzero(pattern @ mark)

    nearest = weights.copy()
    nearest.data[:] = 1.0
    pattern = candidates.copy()
    pattern.data[:] = 1.0
    rows = np.unique(np.concatenate([rows_changed, having(nearest, rows_changed),
                                     having(pattern, np.union1d(passed_on, hub_changed))])).astype(np.int64)
    fresh = _rank_rows(candidates, weights, hubness, rows, params)
    new_of_old = np.full(len(before.keys), -1, dtype=np.int64)
    new_of_old[old_of_new[known]] = np.flatnonzero(known)
    moved = new_of_old.tolist()
    redone = np.zeros(n, dtype=bool)
    redone[rows] = True
    related = [fresh[i] if again else [(moved[j], score) for j, score in before.related[old]]
               for i, (again, old) in enumerate(zip(redone.tolist(), old_of_new.tolist(), strict=True))]
    return Ranking(keys, candidates, weights, hubness, related)


def related_stories(docs: Sequence[LinkDoc], params: RelatedParams | None = None) -> list[Related]:
    """For each story, up to ``top_k`` related stories as (index, score), best first."""
    params = params or RelatedParams()
    if len(docs) < 2:
        return [[] for _ in docs]
    z = features(docs, params)
    candidates = candidate_matrix(z, day_numbers(docs), params)
    return rank(candidates, params)
