"""The benchmark's body metric on small hand-made cases whose answers can be worked out by hand."""

from __future__ import annotations

import pytest

from archivist.evaluate.metric import PageScore, score_corpus, score_page, shingles


def test_shingles_are_four_token_windows_of_word_tokens() -> None:
    got = shingles("One, two; three four five!")
    assert got == {("One", "two", "three", "four"): 1, ("two", "three", "four", "five"): 1}


def test_short_and_empty_texts() -> None:
    assert shingles("just three words") == {("just", "three", "words"): 1}
    assert shingles(" ... ") == {}


def test_shingles_are_a_multiset_and_case_sensitive() -> None:
    got = shingles("a b c d a b c d")
    assert got[("a", "b", "c", "d")] == 2
    assert shingles("A b c d") != shingles("a b c d")


def test_perfect_page() -> None:
    page = score_page("the cat sat on the mat", "The cat sat on the mat" .replace("The", "the"))
    assert (page.precision, page.recall, page.f1) == (1.0, 1.0, 1.0)


def test_extra_text_costs_precision_only() -> None:
    truth = "w1 w2 w3 w4 w5"  # 2 shingles
    page = score_page(truth, truth + " menu item")  # 4 shingles, 2 right
    assert page.recall == 1.0
    assert page.precision == pytest.approx(0.5)
    assert page.tp + page.fp + page.fn == pytest.approx(1.0)  # normalised per page


def test_missing_text_costs_recall_only() -> None:
    truth = "w1 w2 w3 w4 w5 w6 w7"  # 4 shingles
    page = score_page(truth, "w1 w2 w3 w4 w5")  # 2 shingles, both right
    assert page.precision == 1.0
    assert page.recall == pytest.approx(0.5)


def test_corpus_means_precision_over_predicted_pages_and_recall_over_all() -> None:
    good = score_page("a b c d e", "a b c d e")
    half = score_page("a b c d e", "a b c d e x y")  # P 0.5, R 1
    empty = score_page("a b c d e", "")
    assert empty.empty_prediction and empty.recall == 0.0
    corpus = score_corpus([good, half, empty])
    assert corpus.precision == pytest.approx((1.0 + 0.5) / 2)  # the empty page is left out
    assert corpus.recall == pytest.approx((1.0 + 1.0 + 0.0) / 3)  # ... but counts here
    p, r = corpus.precision, corpus.recall
    assert corpus.f1 == pytest.approx(2 * p * r / (p + r))


def test_empty_corpus_scores_zero() -> None:
    assert score_corpus([]).f1 == 0.0
    assert score_corpus([PageScore(0, 0, 1, True)]).f1 == 0.0
