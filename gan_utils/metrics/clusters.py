"""Scoring an unsupervised clustering against the true labels: count table, matching, NMI.

An unsupervised model (InfoGAN's categorical code, a k-means run) assigns each image a
*cluster* in 0..K-1 whose number means nothing: cluster 3 may hold the 7s. Three ways
to read such an assignment against true labels, all from one K x C count table
``counts[k, y]`` = number of images put in cluster k whose true label is y:

* **Hungarian (one-to-one) accuracy**: match clusters to labels one-to-one so that the
  matched counts are as large as possible (the assignment problem, solved exactly by
  ``scipy.optimize.linear_sum_assignment``); accuracy = matched count / N. Two clusters
  can never both be called "9", so a model that splits one digit over two clusters and
  merges two others pays for it. This is the number unsupervised-classification papers
  (InfoGAN's 5 % error) report.
* **Majority-vote accuracy**: each cluster is named after its most common label,
  ``sum_k max_y counts[k, y] / N``. Several clusters may share a name, so it is always
  >= the Hungarian accuracy (and reaches 1 with one cluster per image).
* **Normalised mutual information** (arithmetic normalisation, scikit-learn's default):
  ``NMI = 2 I(cluster; label) / (H(cluster) + H(label))``, in [0, 1], in nats inside.

Taught in 06_infogan §8 (unsupervised classification with the categorical code).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Matching:
    """A one-to-one cluster -> label matching and the scores read from its count table."""

    counts: np.ndarray       # (K, C) int: counts[k, y]
    mapping: np.ndarray      # (K,) int: the label each cluster is matched to (-1 if K > C and unmatched)
    accuracy: float          # one-to-one (Hungarian) accuracy
    majority_accuracy: float
    nmi: float

    def relabel(self, clusters: np.ndarray) -> np.ndarray:
        """Map cluster ids to their matched labels (unmatched clusters become -1)."""
        return self.mapping[_as_ids(clusters, "clusters", len(self.mapping))]


def _as_ids(values, name: str, n_values: int) -> np.ndarray:
    arr = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of integer ids, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.all(np.equal(np.mod(arr, 1), 0)):
            raise ValueError(f"{name} must hold integer ids, got non-integer values such as {arr.flat[0]!r}")
        arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= n_values):
        raise ValueError(f"{name} must lie in 0..{n_values - 1}, got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64)


def count_table(clusters, labels, n_clusters: int = 10, n_labels: int = 10) -> np.ndarray:
    """``counts[k, y]``: how many items sit in cluster k and have true label y. Shape (K, C)."""
    k = _as_ids(clusters, "clusters", n_clusters)
    y = _as_ids(labels, "labels", n_labels)
    if len(k) != len(y):
        raise ValueError(f"clusters and labels must have the same length, got {len(k)} and {len(y)}")
    if len(k) == 0:
        raise ValueError("count_table needs at least one item")
    counts = np.zeros((n_clusters, n_labels), dtype=np.int64)
    np.add.at(counts, (k, y), 1)
    return counts


def _check_counts(counts) -> np.ndarray:
    c = np.asarray(counts)
    if c.ndim != 2 or c.size == 0:
        raise ValueError(f"counts must be a non-empty 2-D table (clusters x labels), got shape {c.shape}")
    if (c < 0).any() or c.sum() == 0:
        raise ValueError("counts must be non-negative with a positive total (a count table from count_table)")
    return c


def hungarian_mapping(counts) -> np.ndarray:
    """The one-to-one cluster -> label map maximising the matched count; -1 for unmatched clusters."""
    c = _check_counts(counts)
    rows, cols = linear_sum_assignment(c, maximize=True)
    mapping = np.full(c.shape[0], -1, dtype=np.int64)
    mapping[rows] = cols
    return mapping


def hungarian_accuracy(counts) -> float:
    """One-to-one matched accuracy: max over matchings of sum_k counts[k, m(k)] / N."""
    c = _check_counts(counts)
    rows, cols = linear_sum_assignment(c, maximize=True)
    return float(c[rows, cols].sum() / c.sum())


def majority_accuracy(counts) -> float:
    """Each cluster named after its most common label: sum_k max_y counts[k, y] / N."""
    c = _check_counts(counts)
    return float(c.max(axis=1).sum() / c.sum())


def nmi(counts) -> float:
    """Normalised mutual information 2 I(K; Y) / (H(K) + H(Y)) of a count table (0 if both entropies are 0)."""
    c = _check_counts(counts).astype(np.float64)
    p = c / c.sum()
    pk, py = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pk, py)[nz])).sum())
    h = lambda q: float(-(q[q > 0] * np.log(q[q > 0])).sum())  # noqa: E731
    denom = h(pk) + h(py)
    return 0.0 if denom == 0 else max(0.0, min(1.0, 2 * mi / denom))


def match_clusters(clusters, labels, n_clusters: int = 10, n_labels: int = 10) -> Matching:
    """Count table, Hungarian matching and all three scores in one go."""
    counts = count_table(clusters, labels, n_clusters, n_labels)
    return Matching(counts=counts, mapping=hungarian_mapping(counts), accuracy=hungarian_accuracy(counts),
                    majority_accuracy=majority_accuracy(counts), nmi=nmi(counts))


__all__ = ["Matching", "count_table", "hungarian_mapping", "hungarian_accuracy", "majority_accuracy", "nmi",
           "match_clusters"]
