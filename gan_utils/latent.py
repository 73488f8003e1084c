"""Paths through the latent space: linear and spherical interpolation between codes z.

A walk from ``z0`` to ``z1`` shows whether G has learned a smooth map (the images
change gradually) or memorised (they jump). Two ways to walk, for ``t`` in [0, 1]:

* linear: ``lerp(z0, z1, t) = (1 - t) z0 + t z1``;
* spherical: with ``ω`` the angle between ``z0`` and ``z1``
  (``cos ω = z0·z1 / (|z0| |z1|)``),
  ``slerp(z0, z1, t) = sin((1 - t) ω) / sin ω · z0 + sin(t ω) / sin ω · z1``.

Why the second: a Gaussian ``z`` in ``d`` dimensions lies near the sphere of
radius ``√d`` (about 10 for ``d = 100``). The midpoint of a straight line between
two such codes has norm about ``√(d/2)`` (≈ 7.1), a radius G almost never saw in
training; the spherical path keeps the norm near ``√d`` all the way (White 2016,
"Sampling Generative Networks", arXiv:1609.04468).

Every function works on the last dimension and batches over the rest: ``z0`` and
``z1`` of shape ``(..., d)``; a scalar ``t`` gives ``(..., d)``, a 1-D ``t`` of
length ``T`` gives ``(T, ..., d)``.

Taught in 02_dcgan §3 and §7 (walking the latent space); reused by 05_gran and 06_infogan.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import Tensor

METHODS: tuple[str, ...] = ("linear", "spherical")
_PARALLEL = 1e-6  # |sin ω| below this: endpoints (anti)parallel


def _check_pair(z0: Tensor, z1: Tensor) -> None:
    for name, z in (("z0", z0), ("z1", z1)):
        if not isinstance(z, Tensor):
            raise TypeError(f"{name} must be a torch.Tensor of latent codes, got {type(z).__name__}")
        if not z.is_floating_point():
            raise TypeError(f"{name} must be floating point, got {z.dtype}; draw codes with torch.randn")
        if z.dim() == 0 or z.shape[-1] == 0:
            raise ValueError(f"{name} must have shape (..., z_dim) with z_dim > 0, got {tuple(z.shape)}")
        if not torch.isfinite(z).all():
            raise ValueError(f"{name} contains NaN or inf")
    if z0.shape != z1.shape:
        raise ValueError(f"z0 and z1 must have the same shape, got {tuple(z0.shape)} and {tuple(z1.shape)}")


def _as_t(t: float | Sequence[float] | Tensor, like: Tensor) -> tuple[Tensor, bool]:
    """``t`` as a tensor shaped to broadcast against ``(T, ..., d)``; also whether it was a scalar."""
    tt = torch.as_tensor(t, dtype=like.dtype, device=like.device)
    if tt.dim() > 1:
        raise ValueError(f"t must be a number or a 1-D sequence of numbers, got shape {tuple(tt.shape)}")
    if not torch.isfinite(tt).all():
        raise ValueError("t contains NaN or inf")
    scalar = tt.dim() == 0
    tt = tt.reshape(-1, *([1] * like.dim()))  # (T, 1, ..., 1)
    return tt, scalar


def lerp(z0: Tensor, z1: Tensor, t: float | Sequence[float] | Tensor) -> Tensor:
    """Linear interpolation ``(1 - t) z0 + t z1`` (``t`` scalar or 1-D; see the module docstring)."""
    _check_pair(z0, z1)
    tt, scalar = _as_t(t, z0)
    out = (1 - tt) * z0 + tt * z1
    return out[0] if scalar else out


def slerp(z0: Tensor, z1: Tensor, t: float | Sequence[float] | Tensor) -> Tensor:
    """Spherical interpolation ``sin((1-t)ω)/sin ω · z0 + sin(tω)/sin ω · z1`` along the last dimension.

    Where ``z0`` and ``z1`` point the same way (ω ≈ 0) the formula is 0/0 and its limit
    is the straight line, so :func:`lerp` is used. Opposite codes (ω ≈ π) have no unique
    great circle between them and raise ``ValueError``; a zero code has no direction and
    raises too.
    """
    _check_pair(z0, z1)
    n0, n1 = z0.norm(dim=-1, keepdim=True), z1.norm(dim=-1, keepdim=True)
    if (n0 == 0).any() or (n1 == 0).any():
        raise ValueError("slerp needs non-zero codes: a zero vector has no direction (use lerp)")
    cos = ((z0 / n0) * (z1 / n1)).sum(-1, keepdim=True).clamp(-1.0, 1.0)
    omega = torch.acos(cos)  # (..., 1)
    sin = torch.sin(omega)
    if ((sin.abs() < _PARALLEL) & (cos < 0)).any():
        raise ValueError("z0 and z1 point in opposite directions: the spherical path between them is not "
                         "unique. Pick another pair, or use lerp")
    tt, scalar = _as_t(t, z0)
    parallel = sin.abs() < _PARALLEL
    safe_sin = torch.where(parallel, torch.ones_like(sin), sin)
    w0 = torch.sin((1 - tt) * omega) / safe_sin
    w1 = torch.sin(tt * omega) / safe_sin
    out = torch.where(parallel, (1 - tt) * z0 + tt * z1, w0 * z0 + w1 * z1)
    return out[0] if scalar else out


def interpolate(z0: Tensor, z1: Tensor, n: int, method: str = "spherical") -> Tensor:
    """``n`` evenly spaced codes from ``z0`` to ``z1`` inclusive: shape ``(n, ..., d)``.

    ``method`` is ``"linear"`` (:func:`lerp`) or ``"spherical"`` (:func:`slerp`).
    """
    if method not in METHODS:
        raise ValueError(f"unknown interpolation method {method!r}: choose one of {', '.join(METHODS)}")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"n must be an int >= 2 (the path includes both ends), got {n!r}")
    t = torch.linspace(0.0, 1.0, n)
    return lerp(z0, z1, t) if method == "linear" else slerp(z0, z1, t)


def expected_norm(z_dim: int) -> float:
    """``E|z|`` for ``z ~ N(0, I_d)``: ``√2 Γ((d+1)/2) / Γ(d/2)``, just under ``√d``."""
    if not isinstance(z_dim, int) or isinstance(z_dim, bool) or z_dim < 1:
        raise ValueError(f"z_dim must be a positive int, got {z_dim!r}")
    return math.sqrt(2.0) * math.exp(math.lgamma((z_dim + 1) / 2) - math.lgamma(z_dim / 2))


__all__ = ["lerp", "slerp", "interpolate", "expected_norm", "METHODS"]
