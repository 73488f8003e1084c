"""Tests of gan_utils.metrics.clusters: count tables, one-to-one matching, majority vote and NMI."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from gan_utils.metrics.clusters import (
    count_table, hungarian_accuracy, hungarian_mapping, majority_accuracy, match_clusters, nmi,
)


def test_count_table_counts_cluster_label_pairs():
    counts = count_table([0, 0, 1, 2, 2, 2], [1, 1, 0, 2, 2, 0], n_clusters=3, n_labels=3)
    assert counts.tolist() == [[0, 2, 0], [1, 0, 0], [1, 0, 2]]
    # rows are clusters, columns labels (a transposed table would put the 2 at [1, 0])
    assert count_table(torch.tensor([1]), torch.tensor([0]), 2, 3).tolist() == [[0, 0, 0], [1, 0, 0]]


def test_permuted_clusters_score_perfectly_one_to_one():
    labels = np.repeat(np.arange(10), 7)
    clusters = (labels * 3 + 1) % 10            # a permutation of the labels: cluster ids mean nothing
    m = match_clusters(clusters, labels)
    assert m.accuracy == 1.0 and m.majority_accuracy == 1.0
    assert m.nmi == pytest.approx(1.0)
    assert np.array_equal(m.relabel(clusters), labels)
    # taking the cluster ids as labels ("argmax as it is") would score only the fixed points
    assert float((clusters == labels).mean()) < 0.2


def test_hungarian_is_one_to_one_and_majority_is_not():
    # clusters 0 and 1 both hold mostly 9s; cluster 2 holds the 4s
    counts = np.array([[0, 0, 8], [0, 1, 6], [5, 0, 0]])
    assert majority_accuracy(counts) == pytest.approx((8 + 6 + 5) / 20)
    # one-to-one: cluster 0 -> 9 (col 2), cluster 2 -> 4 (col 0), cluster 1 must take col 1
    assert hungarian_accuracy(counts) == pytest.approx((8 + 1 + 5) / 20)
    assert hungarian_mapping(counts).tolist() == [2, 1, 0]


def test_hungarian_maximises_rather_than_minimises():
    counts = np.array([[9, 1], [2, 8]])
    assert hungarian_accuracy(counts) == pytest.approx(17 / 20)
    assert hungarian_mapping(counts).tolist() == [0, 1]


def test_more_clusters_than_labels_leaves_some_unmatched():
    counts = np.array([[5, 0], [0, 4], [3, 0]])
    assert hungarian_mapping(counts).tolist() == [0, 1, -1]
    assert hungarian_accuracy(counts) == pytest.approx(9 / 12)
    m = match_clusters([0, 1, 2], [0, 1, 0], n_clusters=3, n_labels=2)
    assert m.relabel(np.array([2, 0])).tolist() == [-1, 0]


def test_nmi_known_values():
    assert nmi(np.array([[5, 5], [5, 5]])) == pytest.approx(0.0, abs=1e-12)       # independent
    # one cluster holding everything: I = 0, H(K) = 0, H(Y) = ln 2 -> 0
    assert nmi(np.array([[3, 3]])) == pytest.approx(0.0, abs=1e-12)
    # hand value: p = [[.4, .1], [.1, .4]] -> I = .8 ln 1.6 + .2 ln .4, H = ln 2 each
    want = (0.8 * math.log(1.6) + 0.2 * math.log(0.4)) / math.log(2)
    assert nmi(np.array([[4, 1], [1, 4]])) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("clusters, labels, match", [
    ([0, 1], [0], "same length"),
    ([0, 10], [0, 1], "0..9"),
    ([-1, 0], [0, 1], "0..9"),
    ([0.5, 1.0], [0, 1], "integer"),
    ([[0, 1]], [[0, 1]], "1-D"),
    ([], [], "at least one"),
])
def test_bad_ids_are_refused(clusters, labels, match):
    with pytest.raises(ValueError, match=match):
        count_table(clusters, labels)


@pytest.mark.parametrize("counts, match", [
    (np.zeros((2, 2)), "positive total"),
    (np.array([[1, -1], [0, 2]]), "non-negative"),
    (np.array([1, 2, 3]), "2-D"),
])
def test_bad_count_tables_are_refused(counts, match):
    for fn in (hungarian_accuracy, hungarian_mapping, majority_accuracy, nmi):
        with pytest.raises(ValueError, match=match):
            fn(counts)


def test_float_ids_that_are_whole_numbers_are_accepted():
    assert count_table(np.array([0.0, 1.0]), np.array([1, 1]), 2, 2).tolist() == [[0, 1], [0, 1]]
