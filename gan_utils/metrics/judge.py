"""The judge: a small MNIST classifier that every image metric looks through.

Inception-based metrics (Inception score, FID) need a network trained on the data's own
domain; for MNIST that is a small CNN. The judge maps an image x in [-1, 1] (1, 28, 28) to

* ``features(x)``: a 64-d vector (the penultimate layer, before its ReLU),
* ``logits(x)``: 10 class scores, ``head(relu(features(x)))``,
* ``probs(x)``: ``softmax(logits(x))`` = p(y | x).

Its weights live in ``data/judge.pt`` (about 0.4 MB). They are built by
``python -m gan_utils.metrics train-judge`` from the bundled train split with a fixed seed and
checked against :data:`JUDGE_SHA256` whenever they are loaded (``weights_only=True``).

Taught in 08_evaluating_gans §"A judge for MNIST"; first used in 01_minimax_gan §"Measure".
"""
from __future__ import annotations

import hashlib
import io
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..config import data_dir
from ._inputs import as_images

JUDGE_FILE = "judge.pt"
# sha256 of the committed data/judge.pt; `train-judge` prints the value of a rebuilt file.
JUDGE_SHA256 = "51ce07128650b2148603fbd55a3912fc3d04a6e0c2326498755addca0643ae49"
FEATURE_DIM = 64
N_CLASSES = 10
BATCH = 1000  # images per judge forward pass
REBUILD_HINT = ("Restore it with `git checkout -- data/judge.pt`, or rebuild it with "
                "`python -m gan_utils.metrics train-judge` (a few minutes on one CPU core).")


class JudgeError(RuntimeError):
    """The judge's weights are missing, corrupt or do not fit; the message says how to rebuild."""


class Judge(nn.Module):
    """conv3x3(32)-pool-conv3x3(64)-pool-conv3x3(64)-pool -> 576 -> 64 features -> 10 logits.

    Batch norm after each convolution; about 93k parameters.
    """

    def __init__(self) -> None:
        super().__init__()

        def block(c_in: int, c_out: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out),
                                 nn.ReLU(), nn.MaxPool2d(2))

        self.body = nn.Sequential(block(1, 32), block(32, 64), block(64, 64), nn.Flatten())  # (N, 64*3*3)
        self.embed = nn.Linear(64 * 3 * 3, FEATURE_DIM)
        self.head = nn.Linear(FEATURE_DIM, N_CLASSES)
        self.meta: dict = {}

    def features(self, x: Tensor) -> Tensor:
        """(N, 1, 28, 28) in [-1, 1] -> (N, 64) penultimate features (pre-ReLU)."""
        return self.embed(self.body(x))

    def logits(self, x: Tensor) -> Tensor:
        """(N, 1, 28, 28) -> (N, 10) class logits."""
        return self.head(F.relu(self.features(x)))

    def probs(self, x: Tensor) -> Tensor:
        """(N, 1, 28, 28) -> (N, 10) class probabilities p(y | x)."""
        return self.logits(x).softmax(dim=1)

    forward = logits


# ----------------------------------------------------------------------------- loading
def judge_path() -> Path:
    """Where the judge's weights are read from: ``<data_dir>/judge.pt``."""
    return data_dir() / JUDGE_FILE


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_judge(path: str | Path | None = None, *, expected_sha256: str | None = JUDGE_SHA256) -> Judge:
    """The trained judge in eval mode, loaded once and cached (do not train or modify it).

    ``expected_sha256=None`` skips the checksum (for a judge you rebuilt on another machine,
    whose bytes may differ from the committed file's). Raises :class:`JudgeError` if the file is
    missing, does not match the checksum, or does not hold the judge's weights.
    """
    p = Path(path) if path is not None else judge_path()
    if not p.is_file():
        raise JudgeError(f"judge weights not found at {p}. {REBUILD_HINT}")
    return _load_cached(str(p.resolve()), p.stat().st_mtime_ns, expected_sha256)


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int, expected_sha256: str | None) -> Judge:
    p = Path(path)
    if expected_sha256 is not None:
        digest = _sha256(p)
        if digest != expected_sha256:
            raise JudgeError(f"judge weights at {p} are corrupt or were changed: sha256 {digest[:16]}... "
                             f"does not match the expected {expected_sha256[:16]}... {REBUILD_HINT}")
    try:
        blob = torch.load(p, map_location="cpu", weights_only=True)
        judge = Judge()
        judge.load_state_dict(blob["state_dict"])
    except Exception as e:  # unpickling refused, truncated zip, wrong keys or shapes
        raise JudgeError(f"judge weights at {p} could not be read ({type(e).__name__}: {e}). "
                         f"{REBUILD_HINT}") from e
    judge.meta = dict(blob.get("meta", {}))
    judge.eval().requires_grad_(False)
    return judge


def _forward(judge: Judge, images: Tensor, fn: str) -> Tensor:
    with torch.no_grad():
        return torch.cat([getattr(judge, fn)(chunk) for chunk in images.split(BATCH)])


def judge_outputs(images, judge: Judge | None = None, name: str = "samples") -> tuple[np.ndarray, np.ndarray]:
    """Features (N, 64) and class probabilities (N, 10) as float64 arrays, from one pass."""
    x = as_images(images, name)
    judge = judge or load_judge()
    feats, probs = [], []
    with torch.no_grad():
        for chunk in x.split(BATCH):
            f = judge.features(chunk)
            feats.append(f)
            probs.append(judge.head(F.relu(f)).softmax(dim=1))
    return torch.cat(feats).double().numpy(), torch.cat(probs).double().numpy()


def judge_features(images, judge: Judge | None = None, name: str = "samples") -> np.ndarray:
    """Judge features (N, 64) of images in [-1, 1] (or uint8), batched under no_grad."""
    return judge_outputs(images, judge, name)[0]


def judge_probs(images, judge: Judge | None = None, name: str = "samples") -> np.ndarray:
    """Judge class probabilities p(y | x), shape (N, 10)."""
    return judge_outputs(images, judge, name)[1]


# ----------------------------------------------------------------------------- training
def _augment(x: Tensor, max_shift: float, max_rotate: float, generator: torch.Generator) -> Tensor:
    """Random small affine jitter: shifts up to ``max_shift`` px, rotations up to ``max_rotate``
    degrees, scaling by up to 10 %. The background stays at -1."""
    n = len(x)

    def uniform(scale: float) -> Tensor:
        return (torch.rand(n, generator=generator) * 2 - 1) * scale

    angle = uniform(max_rotate * np.pi / 180)
    scale = 1 + uniform(0.1)
    shift = torch.stack([uniform(max_shift), uniform(max_shift)], dim=1) * (2 / 28)  # px -> [-1, 1] units
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)  # (n, 2, 2)
    theta = torch.cat([theta, shift[:, :, None]], dim=2)  # (n, 2, 3)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode="zeros") - 1


def accuracy(judge: Judge, images: Tensor, labels: Tensor) -> float:
    """Fraction of images whose judge prediction equals the label."""
    was_training = judge.training
    judge.eval()
    pred = _forward(judge, images, "logits").argmax(1)
    judge.train(was_training)
    return (pred == labels).float().mean().item()


def train_judge(out: str | Path | None = None, *, epochs: int = 15, seed: int = 0, threads: int = 1,
                batch_size: int = 64, lr: float = 2e-3, max_shift: float = 2.0,
                max_rotate: float = 10.0, weight_decay: float = 1e-4, n_train: int | None = None,
                verbose: bool = True) -> dict:
    """Train the judge on the bundled train split and save it; return its accuracies and sha256.

    AdamW with a one-cycle learning rate, small random shifts, rotations and scalings, fixed
    seed, ``threads`` CPU threads (1 by default so the bytes are reproducible on one machine;
    restored afterwards). ``n_train`` trains on a random n-image subset (for quick tests).
    """
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return _train(out, epochs, seed, threads, batch_size, lr, max_shift, max_rotate, weight_decay,
                      n_train, verbose)
    finally:
        torch.set_num_threads(previous_threads)


def _train(out, epochs, seed, threads, batch_size, lr, max_shift, max_rotate, weight_decay, n_train,
           verbose) -> dict:
    from ..data import load_mnist

    torch.manual_seed(seed)
    x_train, y_train = load_mnist("train", source="bundled")
    if n_train is not None:  # a random subset, for quick tests
        keep = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(seed))[:n_train]
        x_train, y_train = x_train[keep], y_train[keep]
    x_val, y_val = load_mnist("val", source="bundled")
    x_test, y_test = load_mnist("test", source="bundled")
    g = torch.Generator().manual_seed(seed)
    judge = Judge()
    opt = torch.optim.AdamW(judge.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = len(x_train) // batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps_per_epoch)
    t0 = time.perf_counter()
    for epoch in range(epochs):
        judge.train()
        perm = torch.randperm(len(x_train), generator=g)
        total = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * batch_size:(i + 1) * batch_size]
            x = _augment(x_train[idx], max_shift, max_rotate, g)
            loss = F.cross_entropy(judge(x), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        if verbose:
            print(f"epoch {epoch + 1:2d}/{epochs}  loss {total / steps_per_epoch:.4f}  "
                  f"val acc {accuracy(judge, x_val, y_val):.4f}  ({time.perf_counter() - t0:.0f} s)", flush=True)
    judge.eval()
    meta = {"train_accuracy": accuracy(judge, x_train, y_train), "val_accuracy": accuracy(judge, x_val, y_val),
            "test_accuracy": accuracy(judge, x_test, y_test), "epochs": epochs, "seed": seed,
            "threads": threads, "max_shift": max_shift, "max_rotate": max_rotate, "torch": str(torch.__version__)}
    buf = io.BytesIO()
    torch.save({"state_dict": judge.state_dict(), "meta": meta}, buf)
    p = Path(out) if out is not None else judge_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(p)  # never leave a half-written judge behind
    meta["sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()
    meta["bytes"] = len(buf.getvalue())
    meta["n_test"] = len(x_test)
    meta["train_seconds"] = round(time.perf_counter() - t0, 1)
    return meta
