"""Classifier two-sample test (Lopez-Paz & Oquab 2017): can a fresh classifier tell samples from real digits?

Label held-out real images 1 and generated images 0, train a **fresh** small CNN on part of the
pooled set and measure its accuracy on the part it did not see. If the two distributions are the
same, no classifier can beat chance on unseen images, so the held-out accuracy is about 50 %;
the further the samples are from real digits (in any way a small CNN can see), the closer it gets
to 100 %. Under the null hypothesis P = Q the held-out accuracy of n_te test predictions is
approximately

    acc ~ N(1/2, 1 / (4 n_te)),    p-value = 1 - Phi((acc - 1/2) * sqrt(4 n_te)),

which is the test statistic and p-value of the paper (one-sided: only accuracy above chance is
evidence of a difference). We use k-fold cross-fitting: the pooled set is split into ``folds``
stratified folds, a classifier is trained from scratch on all folds but one and scored on that
one, and every image is predicted exactly once by a classifier that never saw it, so
n_te = n_real + n_fake.

Reading it: 0.5 = indistinguishable to this classifier (real digits against real digits score
0.5 ± 0.02 at n = 1,001 per side); 1.0 = always told apart (uniform noise). The number depends
on the classifier and its training budget, so it is comparable only across runs of this same
function; a weak classifier can call two different distributions "equal". It is a machine stand-in
for LAPGAN's human real-or-fake study.

Taught in 04_lapgan §8.1 ("A machine stand-in for the human study"); recorded by
:func:`gan_utils.metrics.evaluate` as ``c2st``.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ._inputs import as_images

MIN_PER_SIDE = 20      # fewer images per side cannot train a classifier and test it
DEFAULT_EPOCHS = 6
DEFAULT_FOLDS = 2
BATCH = 64
LR = 2e-3


@dataclass(frozen=True)
class TwoSampleResult:
    """Held-out accuracy of the fresh classifier and the test's p-value."""

    accuracy: float           # fraction of held-out images classified correctly (0.5 = chance)
    p_value: float            # one-sided, normal approximation to Binomial(n_te, 1/2)
    n_real: int
    n_fake: int
    folds: int
    fold_accuracies: tuple    # one accuracy per fold

    def as_dict(self) -> dict:
        return asdict(self)


def _classifier() -> nn.Module:
    """A small CNN: (N, 1, 28, 28) -> conv 3x3/2 16 -> conv 3x3/2 32 -> one logit (N,)."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.2),     # (N, 16, 14, 14)
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.2),    # (N, 32, 7, 7)
        nn.Flatten(), nn.Linear(32 * 7 * 7, 1), nn.Flatten(0))           # (N,)


def _fit_and_score(x_tr: Tensor, y_tr: Tensor, x_te: Tensor, y_te: Tensor, epochs: int,
                   gen: torch.Generator) -> int:
    """Train a fresh classifier on (x_tr, y_tr); return its number of correct held-out predictions."""
    net = _classifier()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    for _ in range(epochs):
        order = torch.randperm(len(x_tr), generator=gen)
        for idx in order.split(BATCH):
            loss = F.binary_cross_entropy_with_logits(net(x_tr[idx]), y_tr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        predicted = torch.cat([net(xb) for xb in x_te.split(1000)]) > 0
    return int((predicted == y_te.bool()).sum())


def two_sample_test(samples, real=None, *, n: int | None = None, folds: int = DEFAULT_FOLDS,
                    epochs: int = DEFAULT_EPOCHS, seed: int = 0) -> TwoSampleResult:
    """Classifier two-sample test of ``samples`` against ``real`` held-out digits.

    ``samples``, ``real``: image sets as every metric takes them (float (N, 1, 28, 28) in
    [-1, 1] or uint8 (N, 28, 28)); ``real`` defaults to the bundled test split (1,001 digits,
    never trained on). Both sides are cut at random to the same size, ``n`` (default: the smaller
    of the two), so chance stays at 50 %. ``folds`` >= 2 stratified folds, a fresh classifier
    per fold trained for ``epochs`` epochs. Deterministic for a given ``seed`` (on one machine
    and thread count); the global RNG is left untouched.
    """
    fake = as_images(samples, "samples", min_count=MIN_PER_SIDE)
    if real is None:
        from .evaluate import _bundled

        real = _bundled("test")
    real = as_images(real, "real", min_count=MIN_PER_SIDE)
    if not isinstance(folds, int) or isinstance(folds, bool) or folds < 2:
        raise ValueError(f"folds must be an int >= 2 (each image is predicted by a classifier that never saw it), "
                         f"got {folds!r}")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    n_max = min(len(fake), len(real))
    if n is None:
        n = n_max
    if not isinstance(n, int) or isinstance(n, bool) or not MIN_PER_SIDE <= n <= n_max:
        raise ValueError(f"n must be an int between {MIN_PER_SIDE} and {n_max} (the smaller image set), got {n!r}")
    if n < MIN_PER_SIDE * folds // 2:
        raise ValueError(f"n = {n} images per side is too few for {folds} folds; use fewer folds or more images")

    gen = torch.Generator().manual_seed(int(seed))
    fake = fake[torch.randperm(len(fake), generator=gen)[:n]]
    real = real[torch.randperm(len(real), generator=gen)[:n]]
    # stratified folds: fold j holds the real and fake images whose shuffled position is = j (mod folds)
    fold_of = torch.arange(n) % folds
    x = torch.cat([real, fake])
    y = torch.cat([torch.ones(n), torch.zeros(n)])
    fold = torch.cat([fold_of[torch.randperm(n, generator=gen)], fold_of[torch.randperm(n, generator=gen)]])

    correct = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))                       # the classifiers' initial weights
        for j in range(folds):
            test = fold == j
            hits = _fit_and_score(x[~test], y[~test], x[test], y[test], epochs, gen)
            correct.append((hits, int(test.sum())))
    n_te = sum(t for _, t in correct)
    accuracy = sum(h for h, _ in correct) / n_te
    z = (accuracy - 0.5) * math.sqrt(4 * n_te)
    p_value = 0.5 * math.erfc(z / math.sqrt(2))          # 1 - Phi(z)
    return TwoSampleResult(accuracy=accuracy, p_value=p_value, n_real=n, n_fake=n, folds=folds,
                           fold_accuracies=tuple(h / t for h, t in correct))
