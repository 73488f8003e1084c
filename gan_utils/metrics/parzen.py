"""Parzen-window log-likelihood, the protocol of Goodfellow et al. 2014 (Table 1).

Put an isotropic Gaussian of width sigma on each of M generated samples g_i (the kernel
centres) and score real images x with the resulting density

    log p(x) = logsumexp_i( -||x - g_i||^2 / (2 sigma^2) ) - log M - (D / 2) log(2 pi sigma^2),

with pixels in [0, 1] and D = 784. sigma is picked from logspace(-1, 0, 10) by the mean
log-likelihood of the validation images; the score is the mean over test images, reported as
mean ± standard error (std / sqrt(N), population std as in the released parzen_ll.py).

Warning (Theis, van den Oord & Bethge 2016, "A note on the evaluation of generative models"):
in high dimensions a Parzen estimate is a poor proxy for log-likelihood, and log-likelihood,
Parzen score and sample quality are largely independent of one another; a model can score
well while producing bad samples and the reverse. Read it as a historical number to compare
with the papers' tables, never as evidence of sample quality. With the bundled data the score
uses 999 validation and 1,001 test images, not the paper's 1,000 and 10,000.

Taught in 01_minimax_gan §"Measure" and 08_evaluating_gans §"Parzen windows and their critique".
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ._inputs import as_images, as_vectors

DEFAULT_SIGMAS = tuple(float(s) for s in np.logspace(-1, 0, 10))
BATCH = 1000  # points scored per distance block: a (BATCH, M) float64 matrix at a time


@dataclass(frozen=True)
class ParzenResult:
    """Mean test log-likelihood (nats), its standard error, the chosen sigma, and the sigma search."""

    mean: float
    sem: float
    sigma: float
    sigmas: tuple[float, ...]
    val_scores: tuple[float, ...]
    n_centres: int
    n_test: int

    def __str__(self) -> str:
        return f"{self.mean:.1f} ± {self.sem:.1f} nats (sigma = {self.sigma:.3f}, {self.n_centres} centres)"

    def as_dict(self) -> dict:
        return asdict(self)


def _log_densities(centres: torch.Tensor, x: torch.Tensor, sigmas) -> torch.Tensor:
    """(len(sigmas), N) Parzen log-densities of x (N, D) under kernels on centres (M, D), float64."""
    m, d = centres.shape
    c2 = (centres * centres).sum(1)
    out = torch.empty(len(sigmas), len(x), dtype=torch.float64)
    for start in range(0, len(x), BATCH):
        xb = x[start:start + BATCH]
        d2 = ((xb * xb).sum(1)[:, None] + c2[None] - 2 * xb @ centres.T).clamp_(min=0)  # (B, M)
        for j, s in enumerate(sigmas):
            log_norm = math.log(m) + 0.5 * d * math.log(2 * math.pi * s * s)
            out[j, start:start + len(xb)] = torch.logsumexp(d2 / (-2 * s * s), dim=1) - log_norm
    return out


def _check_sigmas(sigmas) -> tuple[float, ...]:
    s = tuple(float(v) for v in (DEFAULT_SIGMAS if sigmas is None else np.atleast_1d(sigmas)))
    if not s or not all(math.isfinite(v) and v > 0 for v in s):
        raise ValueError(f"sigmas must be positive finite numbers, got {sigmas!r}")
    return s


def parzen_log_density(centres, x, sigma: float) -> np.ndarray:
    """Per-point Parzen log-density log p(x_n) (N,) for points x (N, D), kernels on centres (M, D).

    No rescaling: use this for 1-D and 2-D toys or any vectors. Images go through
    :func:`parzen_log_likelihood`, which maps pixels to [0, 1] first.
    """
    c = as_vectors(centres, "centres")
    p = as_vectors(x, "x", dim=c.shape[1])
    (s,) = _check_sigmas(sigma)
    return _log_densities(torch.from_numpy(c), torch.from_numpy(p), (s,))[0].numpy()


def _pixels01(images, name: str, min_count: int = 1) -> torch.Tensor:
    x = as_images(images, name, min_count=min_count)
    return ((x.reshape(len(x), -1).double() + 1) / 2)  # [-1, 1] -> [0, 1], float64 (N, 784)


def parzen_log_likelihood(samples, val=None, test=None, sigmas=None) -> ParzenResult:
    """Goodfellow et al.'s Parzen score of generated ``samples`` (the kernel centres).

    ``val`` (sigma selection) and ``test`` (the score) default to the bundled MNIST validation
    and test splits. All image sets in [-1, 1] (or uint8); they are mapped to [0, 1] inside.
    Runs 10,000 centres x 1,000 test images in a few seconds (one matrix product per block).
    """
    from ..data import load_mnist

    centres = _pixels01(samples, "samples")
    x_val = _pixels01(load_mnist("val", source="bundled")[0] if val is None else val, "val")
    x_test = _pixels01(load_mnist("test", source="bundled")[0] if test is None else test, "test")
    grid = _check_sigmas(sigmas)
    val_scores = _log_densities(centres, x_val, grid).mean(dim=1)
    best = int(val_scores.argmax())
    ll = _log_densities(centres, x_test, (grid[best],))[0]
    return ParzenResult(mean=float(ll.mean()), sem=float(ll.std(unbiased=False) / math.sqrt(len(ll))),
                        sigma=grid[best], sigmas=grid, val_scores=tuple(val_scores.tolist()),
                        n_centres=len(centres), n_test=len(ll))
