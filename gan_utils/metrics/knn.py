"""Nearest-neighbour metrics: k-NN precision and recall, and the memorisation check.

**Precision and recall** (Kynkäänniemi et al. 2019), in judge-feature space. Around every real
feature vector draw a ball reaching its k-th nearest real neighbour (k = 3); the union of the
balls estimates the real manifold. *Precision* is the fraction of generated samples inside it
(are the samples realistic?). *Recall* swaps the roles: the fraction of real images inside the
union of balls around generated samples (does the generator cover the data?). Both lie in
[0, 1]; the radii depend on the set sizes, so both sets are cut to the same size by default.

**Memorisation**, in pixel space (images in [-1, 1], Euclidean distance over 784 pixels): a
generator that copies its training set looks perfect to every other metric here. For each
sample take the distance to its nearest training image and compare with the same distance for
real held-out images (which were never in the training set). ``median_ratio`` ≈ 1 means
samples sit as far from the training set as fresh real digits do; well below 1 means copies
or near-copies; ``frac_closer`` is the fraction of samples closer to a training image than
99 % of held-out images are (≈ 0.01 for fresh data).

Taught in 08_evaluating_gans §"Precision and recall" and §"Did it just copy?".
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
import torch

from ._inputs import as_images, as_vectors
from .judge import Judge, judge_features

BATCH = 1000


def _sq_dists(a: torch.Tensor, b: torch.Tensor, b2: torch.Tensor) -> torch.Tensor:
    """Squared Euclidean distances (len(a), len(b)) by one matrix product."""
    return ((a * a).sum(1)[:, None] + b2[None] - 2 * a @ b.T).clamp_(min=0)


def kth_neighbour_radius(x: torch.Tensor, k: int) -> torch.Tensor:
    """Distance from each row of x to its k-th nearest *other* row."""
    x2 = (x * x).sum(1)
    out = []
    for start in range(0, len(x), BATCH):
        d2 = _sq_dists(x[start:start + BATCH], x, x2)
        out.append(d2.topk(k + 1, dim=1, largest=False).values[:, k])  # column 0 is the point itself
    return torch.cat(out).sqrt()


def nearest_neighbour(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Index of each row of a's nearest row of b (found by matrix products), and the distance to it
    recomputed directly (so an exact copy is at distance exactly 0)."""
    b2 = (b * b).sum(1)
    index = torch.cat([_sq_dists(a[s:s + BATCH], b, b2).argmin(dim=1) for s in range(0, len(a), BATCH)])
    return index, (a - b[index]).norm(dim=1)


def nearest_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Distance from each row of a to its nearest row of b."""
    return nearest_neighbour(a, b)[1]


def _coverage(points: torch.Tensor, centres: torch.Tensor, radii: torch.Tensor) -> float:
    """Fraction of points inside at least one ball (centre, radius)."""
    c2 = (centres * centres).sum(1)
    r2 = radii[None] ** 2
    inside = [(_sq_dists(points[s:s + BATCH], centres, c2) <= r2).any(dim=1) for s in range(0, len(points), BATCH)]
    return torch.cat(inside).double().mean().item()


class PrecisionRecall(NamedTuple):
    precision: float
    recall: float


def precision_recall_features(fake, real, k: int = 3) -> PrecisionRecall:
    """k-NN precision and recall of feature sets fake (N, d) and real (M, d), as given."""
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    f = torch.from_numpy(as_vectors(fake, "fake features", min_count=k + 1))
    r = torch.from_numpy(as_vectors(real, "real features", dim=f.shape[1], min_count=k + 1))
    precision = _coverage(f, r, kth_neighbour_radius(r, k))
    recall = _coverage(r, f, kth_neighbour_radius(f, k))
    return PrecisionRecall(precision, recall)


def match_sizes(f: np.ndarray, r: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    n = min(len(f), len(r))
    rng = np.random.default_rng(seed)
    pick = lambda a: a if len(a) == n else a[np.sort(rng.choice(len(a), n, replace=False))]  # noqa: E731
    return pick(f), pick(r)


def precision_recall(samples, real=None, k: int = 3, *, judge: Judge | None = None,
                     equal_size: bool = True, seed: int = 0) -> PrecisionRecall:
    """k-NN precision and recall (k = 3) of images in judge-feature space.

    ``real`` defaults to the bundled MNIST test split. With ``equal_size`` the larger set is
    randomly cut (fixed ``seed``) to the size of the smaller, as in the paper.
    """
    from .evaluate import reference_features

    f = judge_features(samples, judge)
    r = reference_features("test", judge) if real is None else judge_features(real, judge, name="real")
    if equal_size:
        f, r = match_sizes(f, r, seed)
    return precision_recall_features(f, r, k)


@dataclass(frozen=True)
class Memorisation:
    """Nearest-training-image distances of samples against those of held-out real images."""

    median_ratio: float      # median(sample NN distance) / median(held-out NN distance)
    frac_closer: float       # fraction of samples nearer than the held-out 1st percentile
    threshold: float         # that 1st percentile (pixel L2 distance, images in [-1, 1])
    sample_median: float
    real_median: float
    nearest_index: np.ndarray  # index into train of each sample's nearest training image

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("nearest_index")
        return d


def _flat(images, name: str) -> torch.Tensor:
    x = as_images(images, name)
    return x.reshape(len(x), -1)


def memorisation(samples, train=None, held_out=None) -> Memorisation:
    """Compare each sample's pixel distance to its nearest training image with held-out data's.

    ``train`` defaults to the bundled train split and ``held_out`` to the bundled validation and
    test splits together (2,000 images). Pass the set your generator was trained on as ``train``
    and real images it never saw as ``held_out``.
    """
    from .evaluate import reference_memorisation

    s = _flat(samples, "samples")
    if train is None and held_out is None:
        t, real_nn = reference_memorisation()
    else:
        from ..data import load_mnist

        t = _flat(load_mnist("train", source="bundled")[0] if train is None else train, "train")
        if held_out is None:
            held_out = torch.cat([load_mnist(s_, source="bundled")[0] for s_ in ("val", "test")])
        real_nn = nearest_distance(_flat(held_out, "held_out"), t)
    index, sample_nn = nearest_neighbour(s, t)
    sample_nn, real_nn = sample_nn.double().numpy(), real_nn.double().numpy()
    threshold, real_med = float(np.quantile(real_nn, 0.01)), float(np.median(real_nn))
    if real_med == 0:
        raise ValueError("held_out images are (mostly) copies of train images: the median held-out "
                         "distance is 0. Pass real images that are not in the training set.")
    sample_med = float(np.median(sample_nn))
    return Memorisation(median_ratio=sample_med / real_med, frac_closer=float((sample_nn < threshold).mean()),
                        threshold=threshold, sample_median=sample_med, real_median=real_med,
                        nearest_index=index.numpy())
