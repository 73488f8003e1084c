"""What the judge thinks of the samples: judge score, confidence, class histogram and coverage.

With p(y | x) the judge's class probabilities and p(y) = E_x p(y | x) their average,

* judge score (the Inception score with the judge as classifier)
  ``exp( E_x KL(p(y | x) || p(y)) )``: between 1 and 10; high when each sample is a confident
  digit *and* the digits are varied. Computed on one split of all samples.
* confidence ``E_x max_y p(y | x)``: how digit-like single samples look.
* class histogram: the fraction of samples the judge assigns to each digit (argmax);
  ``classes_covered`` counts digits holding >= 2 % of samples and ``class_kl`` is
  ``KL(histogram || uniform) = sum_c h_c log(10 h_c)`` (0 for a perfectly balanced set,
  log 10 = 2.30 when every sample is one digit).

Taught in 08_evaluating_gans §"Asking a classifier".
"""
from __future__ import annotations

import numpy as np

from ._inputs import as_vectors
from .judge import N_CLASSES, Judge, judge_probs

COVERAGE_THRESHOLD = 0.02


def _probs(probs) -> np.ndarray:
    p = as_vectors(probs, "probs", dim=N_CLASSES)
    if (p < 0).any() or not np.allclose(p.sum(axis=1), 1.0, atol=1e-4):
        raise ValueError("probs must be rows of class probabilities (non-negative, summing to 1); "
                         "pass softmax(logits), not logits")
    return p


def score_from_probs(probs) -> float:
    """``exp(E_x KL(p(y|x) || p(y)))`` from class probabilities (N, 10)."""
    p = _probs(probs)
    p_y = p.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * (np.log(p) - np.log(p_y)), 0.0).sum(axis=1)  # 0 log 0 = 0
    return float(np.exp(kl.mean()))


def histogram_from_probs(probs) -> np.ndarray:
    """Fraction of samples whose most likely class is c, for c = 0..9 (sums to 1)."""
    pred = _probs(probs).argmax(axis=1)
    return np.bincount(pred, minlength=N_CLASSES) / len(pred)


def classes_covered(histogram, threshold: float = COVERAGE_THRESHOLD) -> int:
    """Number of classes holding at least ``threshold`` (default 2 %) of the samples."""
    return int((np.asarray(histogram) >= threshold).sum())


def class_kl(histogram) -> float:
    """``KL(histogram || uniform)`` in nats: 0 for balanced classes, log 10 for a single class."""
    h = np.asarray(histogram, dtype=np.float64)
    if h.ndim != 1 or (h < 0).any() or not np.isclose(h.sum(), 1.0, atol=1e-6):
        raise ValueError("class_kl expects a histogram of class fractions summing to 1 (see class_histogram)")
    nz = h[h > 0]
    return float((nz * np.log(nz * len(h))).sum())


def judge_score(samples, judge: Judge | None = None) -> float:
    """The judge score (Inception-score analogue) of images: 1 (worst) to 10 (best)."""
    return score_from_probs(judge_probs(samples, judge))


def judge_confidence(samples, judge: Judge | None = None) -> float:
    """Mean over samples of the judge's top class probability, ``E_x max_y p(y|x)``."""
    return float(judge_probs(samples, judge).max(axis=1).mean())


def class_histogram(samples, judge: Judge | None = None) -> np.ndarray:
    """Fraction of samples the judge labels 0, 1, ..., 9 (shape (10,), sums to 1)."""
    return histogram_from_probs(judge_probs(samples, judge))


def check_labels(labels, n: int) -> np.ndarray:
    """Requested class labels as an int array of shape (n,) in 0..9, or a clear error."""
    y = np.asarray(labels.detach().cpu() if hasattr(labels, "detach") else labels)
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be integers of shape ({n},), one per sample; got {y.dtype} {y.shape}")
    if y.min() < 0 or y.max() >= N_CLASSES:
        raise ValueError(f"labels must lie in 0..{N_CLASSES - 1}, got {y.min()}..{y.max()}")
    return y


def conditional_accuracy(samples, labels, judge: Judge | None = None) -> float:
    """Fraction of samples the judge labels as requested: for class-conditional generators (03)."""
    p = judge_probs(samples, judge)
    return float((p.argmax(axis=1) == check_labels(labels, len(p))).mean())
