"""gan_utils: the shared plumbing of the gan-course notebooks.

The papers' ideas (each G, D, loss and training step) live in the notebooks;
this package holds what every notebook needs: configuration and scales
(:mod:`config`), data (:mod:`data`), the GAN losses taught in 01
(:mod:`losses`), the training loop (:mod:`training`), checkpoints
(:mod:`checkpoints`), figures (:mod:`plotting`), the evaluation toolkit
(:mod:`metrics`), interactive explorers (:mod:`widgets`), the results contract
(:mod:`scoreboard`) and exercise self-checks (:mod:`exercises`).
"""
from __future__ import annotations

from .config import SCALES, Config, setup
from .data import load_dataset, load_fashion_mnist, load_mnist

__version__ = "0.1.0"
__all__ = ["Config", "SCALES", "setup", "load_mnist", "load_fashion_mnist", "load_dataset", "__version__"]
