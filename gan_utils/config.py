"""Course configuration: one call at the top of every notebook.

``cfg = setup("02_dcgan")`` decides three things and prints them on one line:

* the **scale** (``smoke`` for CI, ``quick`` for a 2-core laptop, ``full`` for a
  GPU), read from the argument, else ``GAN_COURSE_SCALE``, else ``full`` when a
  GPU is present and ``quick`` otherwise;
* the **device** (CUDA when available, else CPU);
* the **seed**, applied to Python, NumPy and PyTorch.

Only sizes change with scale; ``cfg.pick(smoke=..., quick=..., full=...)``
chooses one. Paths default to the repository's ``data/`` and ``results/`` and
can be moved with ``GAN_COURSE_DATA`` and ``GAN_COURSE_RESULTS``.

``GAN_COURSE_MAX_STEPS=N`` caps every training run at N steps, whatever the
scale asks for: :func:`gan_utils.training.train` honours it, and a notebook's own
loop does with ``range(cfg.cap_steps(n))``. ``make test-full`` uses it to run the
full scale's code path on a CPU in minutes; the numbers it gives mean nothing.

Taught in 00_introduction §"Running the course".
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import torch

SCALES: tuple[str, ...] = ("smoke", "quick", "full")
SCALE_ENV = "GAN_COURSE_SCALE"
DATA_ENV = "GAN_COURSE_DATA"
RESULTS_ENV = "GAN_COURSE_RESULTS"
MAX_STEPS_ENV = "GAN_COURSE_MAX_STEPS"

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def check_scale(scale: str) -> str:
    """Return ``scale`` if it is one of :data:`SCALES`, else raise ``ValueError``."""
    if scale not in SCALES:
        raise ValueError(
            f"unknown scale {scale!r}: choose one of {', '.join(SCALES)} "
            f"(set it with setup(..., scale=...) or the {SCALE_ENV} environment variable)"
        )
    return scale


def default_scale() -> str:
    """``GAN_COURSE_SCALE`` if set, else ``full`` on a GPU and ``quick`` on a CPU."""
    env = os.environ.get(SCALE_ENV, "").strip()
    if env:
        return check_scale(env.lower())
    return "full" if torch.cuda.is_available() else "quick"


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and PyTorch (CPU and CUDA) with ``seed``."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def max_steps() -> int | None:
    """The step cap ``GAN_COURSE_MAX_STEPS`` (a positive int), or None when it is unset or empty."""
    raw = os.environ.get(MAX_STEPS_ENV, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{MAX_STEPS_ENV}={raw!r} is not a positive whole number of steps: set it to e.g. 10, "
                         f"or unset it (`unset {MAX_STEPS_ENV}`) to train for the steps the scale asks for")
    return value


def cap_steps(steps: int, cap: int | None) -> int:
    """``min(steps, cap)``, or ``steps`` when there is no cap (``cap`` None)."""
    return steps if cap is None else min(steps, cap)


def data_dir() -> Path:
    """Folder holding the bundled data (``GAN_COURSE_DATA`` overrides ``<repo>/data``)."""
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else REPO_ROOT / "data"


def results_dir() -> Path:
    """Folder for results and checkpoints (``GAN_COURSE_RESULTS`` overrides ``<repo>/results``)."""
    env = os.environ.get(RESULTS_ENV)
    return Path(env).expanduser() if env else REPO_ROOT / "results"


@dataclass(frozen=True)
class Config:
    """Everything a notebook needs to know about where and how big it runs."""

    notebook: str
    scale: str
    seed: int
    device: torch.device
    data_dir: Path
    results_dir: Path
    versions: dict[str, str] = field(default_factory=dict)
    max_steps: int | None = None  # GAN_COURSE_MAX_STEPS: every training run stops after this many steps

    def cap_steps(self, steps: int) -> int:
        """``steps``, or :attr:`max_steps` when that is smaller: ``for i in range(cfg.cap_steps(n))``."""
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
            raise ValueError(f"cap_steps needs a non-negative int, got {steps!r}")
        return cap_steps(steps, self.max_steps)

    @property
    def checkpoint_dir(self) -> Path:
        """``results/checkpoints``: where ``load_or_train`` keeps this course's weights."""
        return self.results_dir / "checkpoints"

    def pick(self, *, smoke: T, quick: T, full: T) -> T:
        """Return the value for the current scale: ``cfg.pick(smoke=20, quick=2000, full=20000)``."""
        return {"smoke": smoke, "quick": quick, "full": full}[self.scale]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view (paths relative to nothing, device as a string)."""
        out = {"notebook": self.notebook, "scale": self.scale, "seed": self.seed,
               "device": str(self.device), "versions": dict(self.versions)}
        if self.max_steps is not None:  # a capped run's numbers must not pass for a real one's
            out["max_steps"] = self.max_steps
        return out


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose numbers a result depends on."""
    import platform

    out = {"python": platform.python_version(), "torch": str(torch.__version__), "numpy": str(np.__version__)}
    try:
        import torchvision

        out["torchvision"] = str(torchvision.__version__)
    except ImportError:  # torchvision is optional for gan_utils itself
        pass
    return out


def setup(notebook: str, scale: str | None = None, seed: int = 0, *, verbose: bool = True) -> Config:
    """Seed everything, pick the device and scale, and print one line saying so.

    ``scale`` wins over ``GAN_COURSE_SCALE``, which wins over the device default (``full`` on a
    GPU, and then it says so on a second line). A step cap (``GAN_COURSE_MAX_STEPS``) is announced too.
    """
    if not isinstance(notebook, str) or not notebook.strip():
        raise ValueError("setup() needs the notebook's name, e.g. setup('01_minimax_gan')")
    chosen = check_scale(scale.lower()) if isinstance(scale, str) else default_scale()
    if scale is not None and not isinstance(scale, str):
        raise ValueError(f"scale must be a string or None, got {scale!r}")
    cap = max_steps()
    seed_everything(seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    cfg = Config(notebook=notebook, scale=chosen, seed=seed, device=device,
                 data_dir=data_dir(), results_dir=results_dir(), versions=library_versions(), max_steps=cap)
    if verbose:
        print(f"[gan_utils] {notebook}: device={device.type}  scale={chosen}  seed={seed}  "
              f"torch={torch.__version__}")
        if scale is None and not os.environ.get(SCALE_ENV, "").strip() and chosen == "full":
            print("[gan_utils] a GPU is present, so the full scale (full MNIST, the longest runs); "
                  'set SCALE = "quick" in the parameters cell for a shorter run')
        if cap is not None:
            print(f"[gan_utils] {MAX_STEPS_ENV}={cap}: every training run stops after {cap} steps "
                  "(a test of the code path; the results mean nothing)")
    return cfg
