"""Input checks shared by every metric: one place that says what an image set must look like.

The course's images are float tensors in [-1, 1] of shape (N, 1, 28, 28). The metrics also
accept uint8 pixels (N, 28, 28) or (N, 1, 28, 28), converted explicitly with
``x = 2 p / 255 - 1``. Everything else is refused with a message that says what was wrong and
how to fix it; the classic mistake it catches is a float tensor of pixels in [0, 255].
"""
from __future__ import annotations

import warnings

import numpy as np
import torch
from torch import Tensor

IMAGE_SHAPE = (1, 28, 28)
_RANGE_SLACK = 1e-4  # tanh outputs sit inside [-1, 1]; allow float round-off only


def as_images(x, name: str = "samples", *, min_count: int = 1) -> Tensor:
    """Check and convert an image set to float32 (N, 1, 28, 28) in [-1, 1] on the CPU.

    Accepts a torch tensor or a NumPy array: float in [-1, 1] shaped (N, 1, 28, 28) or
    (N, 28, 28), or uint8 pixels shaped (N, 28, 28) or (N, 1, 28, 28).
    """
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(np.ascontiguousarray(x))
    if not isinstance(x, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or numpy array of images, got {type(x).__name__}")
    x = x.detach().cpu()
    if x.dim() == 3:
        x = x.unsqueeze(1)
    if x.dim() != 4 or tuple(x.shape[1:]) != IMAGE_SHAPE:
        raise ValueError(
            f"{name} has shape {tuple(x.shape)}; expected (N, 1, 28, 28) images (or (N, 28, 28)). "
            "Reshape flat vectors with x.view(-1, 1, 28, 28).")
    if x.dtype == torch.uint8:
        x = x.float() / 127.5 - 1.0  # explicit: pixels 0..255 -> [-1, 1]
    elif x.dtype == torch.bool or not x.is_floating_point():
        raise TypeError(
            f"{name} has dtype {x.dtype}; expected float images in [-1, 1] or uint8 pixels. "
            "Convert integer pixels with x.to(torch.uint8) first.")
    x = x.float()
    if len(x) < min_count:
        raise ValueError(f"{name} holds {len(x)} images; this metric needs at least {min_count}.")
    if not torch.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or inf values: check the generator (did training diverge?).")
    lo, hi = x.min().item(), x.max().item()
    if lo < -1 - _RANGE_SLACK or hi > 1 + _RANGE_SLACK:
        hint = (" These look like pixels in [0, 255] stored as floats: pass them as uint8 "
                "(x.to(torch.uint8)) or rescale with x / 127.5 - 1." if hi > 2 else
                " Put a tanh on the generator's output, or rescale to [-1, 1].")
        raise ValueError(f"{name} has values in [{lo:.3g}, {hi:.3g}] but float images must lie in [-1, 1].{hint}")
    if lo >= 0 and len(x) >= 16:
        warnings.warn(f"{name}: every value is >= 0. Images in [0, 1]? The course uses [-1, 1] "
                      "(x = 2 * x01 - 1); metrics computed on [0, 1] images are wrong.", stacklevel=3)
    return x.clamp(-1.0, 1.0)  # not in place: x may share memory with the caller's tensor


def as_vectors(x, name: str, *, dim: int | None = None, min_count: int = 1) -> np.ndarray:
    """Check and convert points to a float64 (N, d) array (2-D toys, feature vectors)."""
    if isinstance(x, Tensor):
        x = x.detach().cpu().numpy()
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 1 and dim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name} has shape {arr.shape}; expected a 2-D array (N, d) of points.")
    if dim is not None and arr.shape[1] != dim:
        raise ValueError(f"{name} has {arr.shape[1]} columns; expected {dim}.")
    if len(arr) < min_count:
        raise ValueError(f"{name} holds {len(arr)} points; this metric needs at least {min_count}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf values.")
    return arr
