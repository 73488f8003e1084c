"""``evaluate(samples)``: the standard set of numbers the scoreboard records, in one call.

Reference sets (the bundled MNIST subset unless you pass others):

* Fréchet distance, precision and recall: the test split (1,001 images);
* Parzen window: sigma chosen on the validation split (999), scored on the test split;
* memorisation: nearest training image from the train split (8,000), compared with the
  validation + test images' own distances to it;
* classifier two-sample test (``c2st``): a fresh small CNN tells up to 1,001 samples from the
  test split's 1,001 digits (or ``real``); its held-out accuracy, 0.5 = indistinguishable.

Judge features of the reference sets are computed once per process and cached, so repeated
calls only pay for the samples. Fréchet distance depends on N: compare results at equal N
(``n_samples`` is recorded for that reason).

Taught in 08_evaluating_gans §"One scoreboard"; called by every training notebook's "Measure".
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import torch

from ._inputs import as_images
from .classes import check_labels, class_kl, classes_covered, histogram_from_probs, score_from_probs
from .frechet import frechet_distance_features
from .judge import FEATURE_DIM, Judge, judge_outputs, load_judge
from .knn import match_sizes, memorisation, nearest_distance, precision_recall_features
from .parzen import parzen_log_likelihood
from .two_sample import two_sample_test

METRIC_KEYS = ("n_samples", "fd", "judge_score", "confidence", "classes_covered", "class_kl", "histogram",
               "precision", "recall", "parzen_ll", "parzen_sem", "parzen_sigma", "mem_median_ratio",
               "mem_frac_closer", "cond_accuracy", "c2st")


@lru_cache(maxsize=8)
def _bundled(split: str) -> torch.Tensor:
    from ..data import load_mnist

    return load_mnist(split, source="bundled")[0]


@lru_cache(maxsize=8)
def _reference_outputs(split: str) -> tuple[np.ndarray, np.ndarray]:
    return judge_outputs(_bundled(split), load_judge(), f"bundled {split} split")


def reference_outputs(split: str = "test", judge: Judge | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Judge features (N, 64) and probabilities (N, 10) of a bundled MNIST split.

    With the default judge they are computed once per process and cached.
    """
    if judge is None:
        return _reference_outputs(split)
    return judge_outputs(_bundled(split), judge, f"bundled {split} split")


def reference_features(split: str = "test", judge: Judge | None = None) -> np.ndarray:
    """Judge features (N, 64) of a bundled MNIST split (cached for the default judge)."""
    return reference_outputs(split, judge)[0]


@lru_cache(maxsize=1)
def reference_memorisation() -> tuple[torch.Tensor, torch.Tensor]:
    """Bundled train images flattened (8000, 784) and the val+test images' distances to them."""
    train = _bundled("train").reshape(len(_bundled("train")), -1)
    held_out = torch.cat([_bundled("val"), _bundled("test")])
    return train, nearest_distance(held_out.reshape(len(held_out), -1), train)


def clear_cache() -> None:
    """Forget cached reference features (after rebuilding the judge in the same process)."""
    for f in (_bundled, _reference_outputs, reference_memorisation):
        f.cache_clear()


@contextmanager
def _timed(timings: dict | None, key: str):
    t0 = time.perf_counter()
    yield
    if timings is not None:
        timings[key] = timings.get(key, 0.0) + time.perf_counter() - t0


def evaluate(samples, labels=None, *, real=None, train=None, held_out=None, parzen: bool = True,
             memorise: bool = True, two_sample: bool = True, judge: Judge | None = None, k: int = 3,
             seed: int = 0, timings: dict | None = None) -> dict:
    """All standard metrics of generated images, as a JSON-friendly dict (keys: ``METRIC_KEYS``).

    ``samples``: float (N, 1, 28, 28) in [-1, 1], or uint8 (N, 28, 28); N >= 65 (FD needs
    N > 64). ``labels``: the classes a conditional generator was asked for, adding
    ``cond_accuracy``. ``real``: reference images for FD/precision/recall (default: bundled
    test split). ``train``/``held_out``: see :func:`memorisation`. ``parzen=False`` and
    ``memorise=False`` skip the two slowest metrics (their keys are then None); ``two_sample=False``
    skips the classifier two-sample test (``c2st``, about 2 CPU-seconds; see
    :func:`~gan_utils.metrics.two_sample.two_sample_test`), which compares ``real`` (default: the
    test split) with as many samples, drawn with ``seed``. Pass a dict as ``timings`` to receive
    seconds per metric.
    """
    with _timed(timings, "judge"):
        x = as_images(samples, "samples", min_count=FEATURE_DIM + 1)
        y = None if labels is None else check_labels(labels, len(x))
        f_fake, p_fake = judge_outputs(x, judge)
        if real is None:
            f_real = reference_features("test", judge)
        else:
            f_real = judge_outputs(as_images(real, "real", min_count=FEATURE_DIM + 1), judge, "real")[0]
    out: dict = dict.fromkeys(METRIC_KEYS)
    out["n_samples"] = len(x)
    with _timed(timings, "fd"):
        out["fd"] = frechet_distance_features(f_fake, f_real)
    with _timed(timings, "classes"):
        hist = histogram_from_probs(p_fake)
        out.update(judge_score=score_from_probs(p_fake), confidence=float(p_fake.max(axis=1).mean()),
                   classes_covered=classes_covered(hist), class_kl=class_kl(hist),
                   histogram=[float(h) for h in hist])
        if y is not None:
            out["cond_accuracy"] = float((p_fake.argmax(axis=1) == y).mean())
    with _timed(timings, "precision_recall"):
        out["precision"], out["recall"] = precision_recall_features(*match_sizes(f_fake, f_real, seed), k=k)
    if parzen:
        with _timed(timings, "parzen"):
            res = parzen_log_likelihood(x, _bundled("val"), _bundled("test"))
            out.update(parzen_ll=res.mean, parzen_sem=res.sem, parzen_sigma=res.sigma)
    if memorise:
        with _timed(timings, "memorisation"):
            mem = memorisation(x, train, held_out)
            out.update(mem_median_ratio=mem.median_ratio, mem_frac_closer=mem.frac_closer)
    if two_sample:
        with _timed(timings, "c2st"):
            out["c2st"] = two_sample_test(x, real, seed=seed).accuracy
    return out
