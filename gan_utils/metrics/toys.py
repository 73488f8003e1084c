"""Mode counting on the 2-D toys (the PacGAN / VEEGAN protocol).

For a mixture with modes mu_1..mu_K and standard deviations sigma_1..sigma_K, a sample x is
*high quality* if it lies within 3 sigma of its nearest mode: ||x - mu_j|| <= 3 sigma_j with
j = argmin_k ||x - mu_k||. A mode is *captured* if at least one high-quality sample falls to it.
Report modes captured (out of 8 on the ring, 25 on the grid) and the percentage of
high-quality samples. Mode collapse shows as few modes with many high-quality samples.

Taught in 08_evaluating_gans §"Counting modes"; first used in 01_minimax_gan on the ring.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._inputs import as_vectors

QUALITY_RADIUS = 3.0  # in units of the mode's sigma


@dataclass(frozen=True)
class ModeCount:
    """Modes captured, the share of high-quality samples (percent), and high-quality counts per mode."""

    modes_captured: int
    n_modes: int
    high_quality_percent: float
    counts: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.modes_captured}/{self.n_modes} modes, {self.high_quality_percent:.1f}% high quality"


def count_modes(samples, mixture=None, *, means=None, std=None, min_count: int = 1) -> ModeCount:
    """Count captured modes and high-quality samples of 2-D (or any-d) toy samples (N, d).

    Give either ``mixture`` (a :class:`gan_utils.data.GaussianMixture`, e.g. ``ring8()``) or
    explicit ``means`` (K, d) and ``std`` (a number or K numbers). A mode needs ``min_count``
    high-quality samples to count as captured (1 in PacGAN's tables).
    """
    if (mixture is None) == (means is None):
        raise ValueError("count_modes needs either mixture=... or means=... (with std=...), not both")
    if mixture is not None:
        mu, sd = as_vectors(mixture.means, "mixture.means"), np.asarray(mixture.stds, np.float64)
    else:
        if std is None:
            raise ValueError("count_modes: give std=... (one number, or one per mode) with means=...")
        mu = as_vectors(means, "means")
        sd = np.broadcast_to(np.asarray(std, np.float64), (len(mu),)).copy()
    if sd.shape != (len(mu),) or not (sd > 0).all():
        raise ValueError(f"need one positive std per mode ({len(mu)}), got {sd}")
    if not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")
    x = as_vectors(samples, "samples", dim=mu.shape[1])
    d = np.sqrt(((x[:, None, :] - mu[None]) ** 2).sum(-1))  # (N, K)
    nearest = d.argmin(axis=1)
    good = d[np.arange(len(x)), nearest] <= QUALITY_RADIUS * sd[nearest]
    counts = np.bincount(nearest[good], minlength=len(mu))
    return ModeCount(modes_captured=int((counts >= min_count).sum()), n_modes=len(mu),
                     high_quality_percent=float(100 * good.mean()), counts=tuple(int(c) for c in counts))
