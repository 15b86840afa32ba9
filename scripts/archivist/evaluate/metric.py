"""The article-extraction benchmark's body metric: 4-token shingles, page-normalised counts.

Implemented here (not imported) so that anyone can score the cleaner with the project alone,
and so that the exact definition is pinned by unit tests:

- tokens are ``re.findall(r"\\w+", text)`` (Unicode, case-sensitive, punctuation dropped);
- units are the multiset of consecutive 4-token shingles; fewer than 4 tokens give one shingle
  of all of them, an empty text none;
- per page, tp/fp/fn are divided by their sum so that every page weighs the same;
- corpus precision is the mean page precision over pages with a non-empty prediction, corpus
  recall the mean page recall over all pages, and F1 is computed from those two means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of consecutive ``size``-token shingles of ``text``."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True)
class PageScore:
    """One page's normalised counts and its precision and recall."""

    tp: float
    fp: float
    fn: float
    empty_prediction: bool

    @property
    def precision(self) -> float:
        return 1.0 if self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        return 1.0 if self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(truth: str, prediction: str) -> PageScore:
    """Compare one page's predicted body with its true body."""
    true, pred = shingles(truth), shingles(prediction)
    tp = sum(min(count, pred[s]) for s, count in true.items())
    fp = sum(max(0, count - true[s]) for s, count in pred.items())
    fn = sum(max(0, count - pred[s]) for s, count in true.items())
    total = tp + fp + fn
    if total == 0:  # both empty: a perfect (if vacuous) answer
        return PageScore(0.0, 0.0, 0.0, not pred)
    return PageScore(tp / total, fp / total, fn / total, not pred)


@dataclass(frozen=True)
class CorpusScore:
    """Corpus precision, recall and F1 as the benchmark defines them."""

    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_corpus(pages: Iterable[PageScore]) -> CorpusScore:
    """Mean precision over pages that predicted something, mean recall over all pages."""
    pages = list(pages)
    predicted = [p for p in pages if not p.empty_prediction]
    precision = sum(p.precision for p in predicted) / len(predicted) if predicted else 0.0
    recall = sum(0.0 if p.empty_prediction else p.recall for p in pages) / len(pages) if pages else 0.0
    return CorpusScore(precision, recall, len(pages))
