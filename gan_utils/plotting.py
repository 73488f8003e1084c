"""Figures used across the course: image grids, loss curves, snapshots and 2-D critics.

Every function draws one matplotlib figure. With ``show=True`` (the default) it
displays the figure once and returns ``None`` — so a notebook cell never shows
it twice; with ``show=False`` it returns the :class:`~matplotlib.figure.Figure`
for further drawing or testing.

Taught in 00_introduction §"A tour of the data" (grids) and 01_minimax_gan
§"Train" (loss curves, snapshots, the 2-D critic contour).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import matplotlib

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor
from torchvision.utils import make_grid


def _finish(fig: Figure, show: bool) -> Figure | None:
    fig.tight_layout()
    if not show:
        return fig
    try:
        from IPython import get_ipython
        from IPython.display import display

        in_ipython = get_ipython() is not None
    except ImportError:  # plain Python without IPython
        in_ipython = False
    if in_ipython:
        display(fig)
    elif matplotlib.get_backend().lower() != "agg":
        plt.show()
    plt.close(fig)
    return None


def _images(images: Tensor | np.ndarray) -> Tensor:
    """Accept (N,1,H,W) or (N,H,W) floats in [-1, 1] or uint8; return float (N,1,H,W) in [0, 1]."""
    if isinstance(images, np.ndarray):
        images = torch.from_numpy(images)
    if not isinstance(images, Tensor):
        raise TypeError(f"expected a tensor or array of images, got {type(images).__name__}")
    x = images.detach().cpu()
    if x.dim() == 3:
        x = x[:, None]
    if x.dim() != 4 or x.shape[1] not in (1, 3) or x.shape[0] == 0:
        raise ValueError(f"images must have shape (N, 1, H, W) or (N, H, W) with N > 0, got {tuple(images.shape)}")
    if x.dtype == torch.uint8:
        return x.float() / 255.0
    x = x.float()
    if x.min() < -1.001 or x.max() > 1.001:
        raise ValueError(f"float images must lie in [-1, 1] (got [{x.min():.2f}, {x.max():.2f}]); "
                         "pass uint8 for 0..255 pixels")
    return (x.clamp(-1, 1) + 1) / 2


def image_grid(images: Tensor | np.ndarray, nrow: int = 10, padding: int = 2) -> np.ndarray:
    """Tile images into one (H, W) array in [0, 1] with torchvision's ``make_grid``."""
    if not isinstance(nrow, int) or nrow < 1:
        raise ValueError(f"nrow must be a positive int, got {nrow!r}")
    grid = make_grid(_images(images), nrow=nrow, padding=padding, pad_value=1.0)
    return grid[0].numpy()


def show_images(images: Tensor | np.ndarray, nrow: int = 10, title: str | None = None,
                size: float = 0.45, show: bool = True) -> Figure | None:
    """Show images in a grid, ``nrow`` per row (``size`` inches per image)."""
    grid = image_grid(images, nrow)
    n = len(images)
    rows, cols = int(np.ceil(n / nrow)), min(n, nrow)
    fig, ax = plt.subplots(figsize=(max(2.0, cols * size), max(1.2, rows * size + (0.3 if title else 0))))
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return _finish(fig, show)


def show_rows(rows: Sequence[Tensor], labels: Sequence[str], title: str | None = None,
              size: float = 0.6, show: bool = True) -> Figure | None:
    """Show several equally long rows of images, each with a label on its left (strips, pyramids, canvases)."""
    if len(rows) != len(labels) or not rows:
        raise ValueError(f"need one label per row: {len(rows)} rows, {len(labels)} labels")
    n = len(rows[0])
    fig, axes = plt.subplots(len(rows), 1, figsize=(max(3.0, n * size + 1), len(rows) * size + 0.3), squeeze=False)
    for ax, row, label in zip(axes[:, 0], rows, labels):
        ax.imshow(image_grid(row, nrow=len(row)), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
        for spine in ax.spines.values():
            spine.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=10)
    return _finish(fig, show)


def smooth(values: Sequence[float], window: int) -> np.ndarray:
    """Moving average with a window of ``window`` (shorter at the start)."""
    v = np.asarray(values, dtype=float)
    if window <= 1 or len(v) == 0:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    idx = np.arange(1, len(v) + 1)
    lo = np.maximum(0, idx - window)
    return (c[idx] - c[lo]) / (idx - lo)


def plot_losses(history: Any, window: int | None = None, title: str = "losses",
                reference: dict[str, float] | None = None, show: bool = True,
                keys: Sequence[str] | None = None, reference_in_legend: bool = False) -> Figure | None:
    """Plot every loss in a :class:`~gan_utils.training.History` against the step, smoothed.

    ``reference`` draws horizontal lines, e.g. ``{"log 4 (equilibrium d_loss)": np.log(4)}``.
    ``keys`` picks which recorded series to draw (default: all of them); pass the losses only
    when the history also records a probability such as ``"D(G(z))"``, which belongs on its own axis.
    ``reference_in_legend`` names the reference lines in the legend instead of writing each name at
    the left end of its line (where the curves of a short run can cover it).
    """
    losses = getattr(history, "losses", None)
    if not losses:
        raise ValueError("the history has no losses to plot: did training run?")
    if keys is not None:
        keys = list(keys)
        missing = [k for k in keys if k not in losses]
        if missing or not keys:
            raise ValueError(f"plot_losses: no series {missing or keys!r} in the history; it has {sorted(losses)}")
        losses = {k: losses[k] for k in keys}
    steps = np.asarray(history.steps)
    window = window or max(1, len(steps) // 50)
    fig, ax = plt.subplots(figsize=(6, 3))
    for name, vals in losses.items():
        ax.plot(steps, smooth(vals, window), label=name, lw=1.2)
    styles = ("--", ":", "-.")
    for j, (name, y) in enumerate((reference or {}).items()):
        if reference_in_legend:
            ax.axhline(y, ls=styles[j % len(styles)], color="gray", lw=1.0, label=name)
        else:
            ax.axhline(y, ls="--", color="gray", lw=0.8)
            ax.annotate(name, (steps[0], y), fontsize=8, color="gray", va="bottom")
    ax.set_xlabel("step")
    ax.set_title(f"{title} (moving average over {window} steps)", fontsize=10)
    ax.legend(fontsize=8)
    return _finish(fig, show)


def snapshot_rows(steps: Sequence[int], max_rows: int = 8) -> list[int]:
    """Indices of the snapshots to show: the ones nearest to ``max_rows`` steps evenly spaced from
    the first snapshot's step to the last's (so rows are evenly spaced in *training steps*, the
    first and last always included, none repeated)."""
    steps = np.asarray(steps, dtype=float)
    if steps.ndim != 1 or len(steps) == 0:
        raise ValueError(f"need a non-empty list of snapshot steps, got {steps.tolist()!r}")
    if max_rows < 1:
        raise ValueError(f"max_rows must be >= 1, got {max_rows}")
    targets = np.linspace(steps[0], steps[-1], min(max_rows, len(steps)))
    pick: list[int] = []
    for t in targets:
        order = np.argsort(np.abs(steps - t), kind="stable")
        pick.append(next(int(i) for i in order if int(i) not in pick))
    return sorted(pick)


def plot_snapshots(history: Any, n: int = 10, max_rows: int = 8, title: str | None = None,
                   show: bool = True, until: int | None = None) -> Figure | None:
    """The fixed-z snapshots over training: one row per snapshot step, ``n`` images each.

    Rows are evenly spaced in training steps (:func:`snapshot_rows`). ``title`` should name the
    model (default: "the same z over training"). ``until`` keeps only the snapshots taken at or
    before that step, to show the early phase of a run in its own evenly spaced figure."""
    snaps = getattr(history, "snapshots", None)
    if not snaps:
        raise ValueError("the history holds no snapshots: pass snapshot_fn to train()")
    if until is not None:
        kept = [s for s in snaps if s[0] <= until]
        if not kept:
            raise ValueError(f"no snapshot at or before step {until}; the first is at step {snaps[0][0]}")
        snaps = kept
    pick = snapshot_rows([s for s, _ in snaps], max_rows)
    rows = [snaps[i][1][:n] for i in pick]
    return show_rows(rows, [f"step {snaps[i][0]}" for i in pick], title=title or "the same z over training",
                     show=show)


def plot_2d(samples: Tensor, real: Tensor | None = None, critic: Callable[[Tensor], Tensor] | None = None,
            lim: float | None = None, title: str | None = None, ax: Any = None,
            show: bool = True, modes: Tensor | np.ndarray | None = None, real_on_top: bool = False,
            critic_cmap: str = "RdBu_r") -> Figure | None:
    """Scatter 2-D samples (orange) over real data (blue) and, if given, D's probability ``σ(critic(x))``.

    ``critic`` maps (n, 2) points to logits; the contour shows where D says "real" (colour map
    ``critic_cmap``; a light one such as ``"Greys"`` keeps the points readable). ``modes`` (K, 2)
    draws the true mode centres as thin black crosses over the samples; ``real_on_top`` draws the
    real data over the samples and the crosses, so data hidden under a dense cloud stays visible.
    """
    s = samples.detach().cpu().float()
    if s.dim() != 2 or s.shape[1] != 2:
        raise ValueError(f"plot_2d expects (n, 2) samples, got {tuple(samples.shape)}")
    centres = None
    if modes is not None:
        centres = torch.as_tensor(np.asarray(modes), dtype=torch.float32)
        if centres.dim() != 2 or centres.shape[1] != 2 or len(centres) == 0:
            raise ValueError(f"plot_2d: modes must be (K, 2) mode centres, got shape {tuple(centres.shape)}")
    pts = s if real is None else torch.cat([s, real.detach().cpu().float()])
    lim = lim or float(pts.abs().max()) * 1.15 + 1e-3
    own = ax is None
    fig, ax = plt.subplots(figsize=(4, 4)) if own else (ax.figure, ax)
    if critic is not None:
        g = torch.linspace(-lim, lim, 120)
        xx, yy = torch.meshgrid(g, g, indexing="xy")
        with torch.no_grad():
            prob = torch.sigmoid(critic(torch.stack([xx.flatten(), yy.flatten()], 1)).reshape(-1))
        cs = ax.contourf(xx.numpy(), yy.numpy(), prob.reshape(xx.shape).numpy(), levels=np.linspace(0, 1, 11),
                         cmap=critic_cmap, alpha=0.35)
        fig.colorbar(cs, ax=ax, fraction=0.046, pad=0.04, label="D(x)")
    ax.scatter(s[:, 0], s[:, 1], s=3, c="tab:orange", alpha=0.6, label="generated", zorder=2)
    if real is not None:
        r = real.detach().cpu().float()
        ax.scatter(r[:, 0], r[:, 1], s=3 if not real_on_top else 5, c="tab:blue",
                   alpha=0.4 if not real_on_top else 0.9, label="real", zorder=4 if real_on_top else 1)
    if centres is not None:
        ax.scatter(centres[:, 0], centres[:, 1], marker="x", s=120, c="k", linewidths=0.7, label="mode centres",
                   zorder=3)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="upper right", markerscale=3 if centres is None else 1.5)
    if title:
        ax.set_title(title, fontsize=10)
    return _finish(fig, show) if own else fig
