"""Fréchet distance between Gaussians fitted to judge features (FID with the judge for Inception).

Fit N(mu_1, S_1) to the features of generated images and N(mu_2, S_2) to those of real images;

    FD = ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^{1/2})

is the squared 2-Wasserstein distance between the two Gaussians. Lower is better; 0 only if
the fitted Gaussians coincide. The estimate is biased upwards at small N (compare at equal N)
and needs N >= d + 1 samples (d = 64 judge features) for a full-rank covariance.

Taught in 08_evaluating_gans §"Fréchet distance".
"""
from __future__ import annotations

import numpy as np
from scipy import linalg

from ._inputs import as_vectors
from .judge import FEATURE_DIM, Judge, judge_features

IMAG_TOLERANCE = 1e-3  # largest |imaginary part| on sqrt(S1 S2)'s diagonal that is treated as round-off


def feature_statistics(features, name: str = "features") -> tuple[np.ndarray, np.ndarray]:
    """Mean (d,) and unbiased covariance (d, d) of features (N, d); needs N >= d + 1."""
    f = as_vectors(features, name)
    n, d = f.shape
    if n < d + 1:
        raise ValueError(f"{name}: {n} samples for {d}-dimensional features; the Fréchet distance needs at "
                         f"least d + 1 = {d + 1} samples (else the covariance is singular). Use more samples.")
    return f.mean(axis=0), np.cov(f, rowvar=False)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps: float = 1e-6) -> float:
    """Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2).

    The matrix square root comes from ``scipy.linalg.sqrtm``. If it is not finite (a nearly
    singular product), ``eps * I`` is added to both covariances and it is taken again. A complex
    result whose diagonal has imaginary parts below 1e-3 is round-off and its real part is kept;
    larger imaginary parts raise ``ValueError``.
    """
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    s1, s2 = np.atleast_2d(np.asarray(sigma1, np.float64)), np.atleast_2d(np.asarray(sigma2, np.float64))
    d = mu1.shape[0]
    if mu1.shape != (d,) or mu2.shape != (d,) or s1.shape != (d, d) or s2.shape != (d, d):
        raise ValueError(f"shapes do not match: mu1 {mu1.shape}, sigma1 {s1.shape}, mu2 {mu2.shape}, "
                         f"sigma2 {s2.shape}; expected (d,), (d, d), (d,), (d, d)")
    if not all(np.isfinite(a).all() for a in (mu1, mu2, s1, s2)):
        raise ValueError("frechet_distance got NaN or inf in a mean or covariance")
    covmean = linalg.sqrtm(s1 @ s2)
    if not np.isfinite(covmean).all():
        offset = eps * np.eye(d)
        covmean = linalg.sqrtm((s1 + offset) @ (s2 + offset))
    if np.iscomplexobj(covmean):
        worst = np.abs(np.diagonal(covmean).imag).max()
        if worst > IMAG_TOLERANCE:
            raise ValueError(f"sqrt(S1 S2) has an imaginary component {worst:.3g}: the covariances are badly "
                             "conditioned (too few samples, or identical images?)")
        covmean = covmean.real
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def frechet_distance_features(features1, features2) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (N1, d) and (N2, d)."""
    return frechet_distance(*feature_statistics(features1, "features1"), *feature_statistics(features2, "features2"))


def fid(samples, real=None, judge: Judge | None = None) -> float:
    """Fréchet distance in judge-feature space between ``samples`` and ``real`` images.

    ``real`` defaults to the bundled MNIST test split (1,001 images). Both sets need at least
    65 images (judge features are 64-d).
    """
    from .evaluate import reference_features

    f_fake = judge_features(samples, judge)
    f_real = reference_features("test", judge) if real is None else judge_features(real, judge)
    if len(f_fake) < FEATURE_DIM + 1:
        raise ValueError(f"fid needs at least {FEATURE_DIM + 1} samples, got {len(f_fake)}")
    return frechet_distance_features(f_fake, f_real)
