"""The Generative Adversarial Metric (GAM) of Im et al. 2016: let two trained GANs fight.

Given M1 = (G1, D1) and M2 = (G2, D2), let eps(D; X) be D's classification error rate on X:
on real images an error is ``D(x) <= 0`` (called fake), on generated images ``D(x) > 0``
(called real); the threshold is logit 0, i.e. probability 0.5. Then

* ``r_test   = eps(D1; test) / eps(D2; test)``: the battle is valid only if r_test ≈ 1, i.e.
  neither discriminator is simply better (or worse) at recognising real data;
* ``r_sample = eps(D1; G2's samples) / eps(D2; G1's samples)``: **M1 wins if r_sample < 1**
  (D1 is fooled by G2 less often than D2 is fooled by G1).

This module uses error rates, as the paper does. The released battle.py writes the same ratios
with *accuracies*, so there a win reads as a ratio > 1; do not mix the two conventions.

Division by zero: if both error rates in a ratio are 0 the ratio is 1 (no evidence either
way); if only the denominator is 0 the ratio is ``inf``.

Taught in 05_gran §"Who wins? The GAM battle".
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable

import torch
from torch import Tensor

from ._inputs import as_images

BATCH = 1000


@dataclass(frozen=True)
class GamResult:
    r_test: float
    r_sample: float
    winner: str               # "M1", "M2" or "tie" (decided by r_sample alone)
    valid: bool               # |r_test - 1| <= test_tolerance
    errors: dict              # the four error rates behind the ratios

    def as_dict(self) -> dict:
        return asdict(self)


def error_ratio(num: float, den: float) -> float:
    """``num / den`` with the GAM's rule for zeros: 0/0 -> 1, x/0 -> inf."""
    if den == 0:
        return 1.0 if num == 0 else math.inf
    return num / den


def _logits(D: Callable[[Tensor], Tensor], x: Tensor, name: str) -> Tensor:
    with torch.no_grad():
        out = torch.cat([torch.as_tensor(D(chunk)).detach().cpu().reshape(len(chunk), -1)
                         for chunk in x.split(BATCH)])
    if out.shape[1] != 1:
        raise ValueError(f"{name} must return one logit per image, got shape {(len(x), out.shape[1])}")
    if not torch.isfinite(out).all():
        raise ValueError(f"{name} returned NaN or inf logits")
    return out[:, 0]


def _samples(G: Callable[[int], Tensor], n: int, name: str) -> Tensor:
    with torch.no_grad():
        chunks = [G(min(BATCH, n - s)) for s in range(0, n, BATCH)]
    x = as_images(torch.cat([torch.as_tensor(c).detach().cpu() for c in chunks]), f"{name}'s samples")
    if len(x) != n:
        raise ValueError(f"{name}(n) must return n images; asked for {n} in total, got {len(x)}")
    return x


def error_on_real(D: Callable[[Tensor], Tensor], x_real, name: str = "D") -> float:
    """Fraction of real images D calls fake (logit <= 0)."""
    return (_logits(D, as_images(x_real, "x_test"), name) <= 0).double().mean().item()


def error_on_fake(D: Callable[[Tensor], Tensor], x_fake, name: str = "D") -> float:
    """Fraction of generated images D calls real (logit > 0)."""
    return (_logits(D, as_images(x_fake, "x_fake"), name) > 0).double().mean().item()


def gam_battle(G1: Callable[[int], Tensor], D1: Callable[[Tensor], Tensor],
               G2: Callable[[int], Tensor], D2: Callable[[Tensor], Tensor], x_test,
               n_samples: int = 1000, test_tolerance: float = 0.2) -> GamResult:
    """Battle M1 = (G1, D1) against M2 = (G2, D2); see the module docstring for the rules.

    ``G(n)`` returns n images in [-1, 1]; ``D(x)`` returns logits (> 0 means "real") and is
    given CPU tensors (move them inside the callable, ``lambda x: D(x.to(device))``, if D lives
    on a GPU). Put both models in eval mode first (batch norm and dropout). ``x_test`` are real held-out images
    (1,000 in the released code, like ``n_samples``). ``valid`` is our reading of "r_test ≈ 1":
    within ``test_tolerance`` of 1.
    """
    if not isinstance(n_samples, int) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}")
    x_test = as_images(x_test, "x_test")
    errors = {"D1_test": error_on_real(D1, x_test, "D1"), "D2_test": error_on_real(D2, x_test, "D2"),
              "D1_on_G2": error_on_fake(D1, _samples(G2, n_samples, "G2"), "D1"),
              "D2_on_G1": error_on_fake(D2, _samples(G1, n_samples, "G1"), "D2")}
    r_test = error_ratio(errors["D1_test"], errors["D2_test"])
    r_sample = error_ratio(errors["D1_on_G2"], errors["D2_on_G1"])
    winner = "M1" if r_sample < 1 else "M2" if r_sample > 1 else "tie"
    return GamResult(r_test=r_test, r_sample=r_sample, winner=winner,
                     valid=abs(r_test - 1) <= test_tolerance, errors=errors)
