"""One generic adversarial training loop, driven by the notebook's own step function.

The paper's idea — how D and G are updated — stays in the notebook::

    def step(i):                      # one iteration of the paper's algorithm
        ...update D k times, then G once...
        return {"d_loss": d_loss, "g_loss": g_loss}

    history = train(step, state={"G": G, "D": D, "opt_G": opt_G, "opt_D": opt_D, "data": batches},
                    steps=cfg.pick(smoke=20, quick=3000, full=30000),
                    snapshot_fn=lambda: G(fixed_z), checkpoint=checkpoint_path(cfg, "mlp"))

The loop adds the plumbing: a progress bar with the current losses, a loss
history, fixed-z snapshots, a budget in steps and/or seconds, a checkpoint every
N steps (models, optimisers, data order and every RNG), exact resumption, and a
guard that stops on a NaN/inf loss with advice.

Resuming from a checkpoint reproduces the uninterrupted run bit for bit on the
CPU with the same seed, because the checkpoint also holds Python's, NumPy's and
PyTorch's RNG states and the data stream's position.

Taught in 01_minimax_gan §6 (the training algorithm); used by every training notebook.
"""
from __future__ import annotations

import math
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import torch
from torch import Tensor, nn

from .checkpoints import CheckpointError, load_checkpoint, read_checkpoint, save_checkpoint
from .config import MAX_STEPS_ENV, max_steps

HEADLESS_ENV = "GAN_COURSE_HEADLESS"


class NonFiniteLossError(FloatingPointError):
    """A loss became NaN or infinite; the message names the step, the loss and remedies."""


@dataclass
class History:
    """What a training run produced: per-step losses, fixed-z snapshots and timing."""

    steps: list[int] = field(default_factory=list)
    losses: dict[str, list[float]] = field(default_factory=dict)
    snapshots: list[tuple[int, Tensor]] = field(default_factory=list)
    wall_time: float = 0.0
    stopped: str = "not started"

    @property
    def last_step(self) -> int:
        """Number of steps done so far (0 before training)."""
        return self.steps[-1] + 1 if self.steps else 0

    def last(self, name: str, window: int = 50) -> float:
        """Mean of the last ``window`` values of loss ``name``."""
        if name not in self.losses or not self.losses[name]:
            raise KeyError(f"no loss called {name!r} was recorded; have {sorted(self.losses)}")
        vals = self.losses[name][-window:]
        return float(sum(vals) / len(vals))

    def state_dict(self) -> dict[str, Any]:
        return {"steps": list(self.steps), "losses": {k: list(v) for k, v in self.losses.items()},
                "snapshots": [(s, t.clone()) for s, t in self.snapshots],
                "wall_time": self.wall_time, "stopped": self.stopped}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        self.steps = list(state["steps"])
        self.losses = {k: list(v) for k, v in state["losses"].items()}
        self.snapshots = [(int(s), t) for s, t in state["snapshots"]]
        self.wall_time, self.stopped = float(state["wall_time"]), str(state["stopped"])


# ----------------------------------------------------------------------------- RNG state
def rng_state() -> dict[str, Any]:
    """Python, NumPy and PyTorch RNG states as plain data (safe for ``weights_only`` loading)."""
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    state = {"python": random.getstate(), "torch": torch.get_rng_state(),
             "numpy": (kind, torch.from_numpy(keys.astype(np.int64)), int(pos), int(has_gauss), float(cached))}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: Mapping[str, Any]) -> None:
    """Restore what :func:`rng_state` captured."""
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


# ----------------------------------------------------------------------------- helpers
def checkpoint_path(cfg: Any, tag: str = "model") -> Path:
    """``results/checkpoints/<notebook>_<tag>_<scale>_seed<seed>.pt`` for a :class:`~gan_utils.config.Config`."""
    return Path(cfg.checkpoint_dir) / f"{cfg.notebook}_{tag}_{cfg.scale}_seed{cfg.seed}.pt"


def _as_float(name: str, value: Any, step: int) -> float:
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise ValueError(f"step {step}: loss {name!r} must be a scalar, got shape {tuple(value.shape)}")
        value = value.detach().item()
    try:
        return float(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"step {step}: the step function returned {name}={value!r}, which is not a number") from e


def check_finite(losses: Mapping[str, float], step: int) -> None:
    """Raise :class:`NonFiniteLossError` if any loss is NaN or ±inf, with remedies to try."""
    for name, value in losses.items():
        if not math.isfinite(value):
            raise NonFiniteLossError(
                f"training stopped at step {step}: {name} = {value}. The weights are no longer usable. "
                "Things to try: lower the learning rates (halve them); make sure D returns raw logits and the "
                "loss applies the sigmoid (no sigmoid inside D with a logits loss); check that images are in "
                "[-1, 1]; clip gradients (torch.nn.utils.clip_grad_norm_); resume from the last checkpoint "
                "with a different seed."
            )


def _modules(state: Mapping[str, Any]) -> list[nn.Module]:
    return [obj for obj in state.values() if isinstance(obj, nn.Module)]


def _snapshot(snapshot_fn: Callable[[], Tensor], state: Mapping[str, Any]) -> Tensor:
    """Call ``snapshot_fn`` with every module in eval mode and no gradients, then restore the modes."""
    mods = _modules(state)
    modes = [m.training for m in mods]
    try:
        for m in mods:
            m.eval()
        with torch.no_grad():
            out = snapshot_fn()
    finally:
        for m, was in zip(mods, modes):
            m.train(was)
    if not isinstance(out, Tensor):
        raise TypeError(f"snapshot_fn must return a tensor of images, got {type(out).__name__}")
    return out.detach().float().cpu()


class _Progress:
    """tqdm.auto in an interactive session; a few plain lines when headless (CI, `make execute`)."""

    def __init__(self, total: int | None, start: int, enabled: bool) -> None:
        self.total, self.enabled, self.bar = total, enabled, None
        self.headless = os.environ.get(HEADLESS_ENV, "") not in ("", "0")
        self.next_report = start
        if enabled and not self.headless:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, initial=start, desc="training", unit="step", leave=True)

    def update(self, step: int, losses: Mapping[str, float], elapsed: float) -> None:
        if not self.enabled:
            return
        text = "  ".join(f"{k}={v:.3f}" for k, v in losses.items())
        if self.bar is not None:
            self.bar.update(1)
            if step % 10 == 0:
                self.bar.set_postfix_str(text, refresh=False)
        elif self.total and (step + 1 >= self.next_report or step + 1 == self.total):
            print(f"step {step + 1:>6}/{self.total}  {text}  ({elapsed:.0f} s)")
            self.next_report = step + 1 + max(1, self.total // 4)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ----------------------------------------------------------------------------- the loop
def train(step_fn: Callable[[int], Mapping[str, Any]], state: Mapping[str, Any], *,
          steps: int | None = None, seconds: float | None = None,
          snapshot_fn: Callable[[], Tensor] | None = None, snapshot_every: int | None = None,
          checkpoint: str | os.PathLike | None = None, checkpoint_every: int | None = None,
          resume: bool = True, meta: Mapping[str, Any] | None = None, progress: bool = True) -> History:
    """Run ``step_fn(i)`` for i = start, start+1, … until ``steps`` or ``seconds`` is reached.

    ``state`` names everything with a state_dict that the run changes (models,
    optimisers, the :class:`~gan_utils.data.Batches` stream); it is what a
    checkpoint saves. With ``resume`` and an existing ``checkpoint`` file, the run
    continues where that file left off (and returns at once if it was finished).

    ``GAN_COURSE_MAX_STEPS=N`` (``make test-full``) caps ``steps`` at N, and gives a run budgeted in
    seconds only a budget of N steps; the capped run says so in one line.
    """
    if steps is None and seconds is None:
        raise ValueError("give a budget: steps=..., seconds=..., or both")
    if steps is not None and (not isinstance(steps, int) or steps < 0):
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    if seconds is not None and not seconds > 0:
        raise ValueError(f"seconds must be positive, got {seconds!r}")
    if not callable(step_fn):
        raise TypeError("step_fn must be a function step_fn(i) -> {'d_loss': ..., 'g_loss': ...}")
    for name, obj in state.items():
        if not (hasattr(obj, "state_dict") and hasattr(obj, "load_state_dict")):
            raise TypeError(f"state[{name!r}] ({type(obj).__name__}) has no state_dict/load_state_dict")
    if checkpoint_every is not None and checkpoint is None:
        raise ValueError("checkpoint_every needs a checkpoint path")
    cap = max_steps()
    if cap is not None and (steps is None or steps > cap):
        if progress:
            asked = f"a {seconds:g} s budget" if steps is None else f"{steps} steps"
            print(f"[gan_utils] {MAX_STEPS_ENV}={cap}: training {cap} steps instead of {asked}")
        steps = cap
    if snapshot_every is None and steps:
        snapshot_every = max(1, steps // 8)

    history = History()
    meta = {"steps": steps, **dict(meta or {})}
    ckpt = Path(checkpoint) if checkpoint is not None else None
    if ckpt is not None and resume and ckpt.exists():
        payload = load_checkpoint(ckpt, {**state, "history": history},
                                  expect={k: v for k, v in meta.items() if k != "steps"})
        set_rng_state(payload["extra"]["rng"])
        if steps is not None and history.last_step >= steps:
            history.stopped = "loaded"
            return history

    start = history.last_step
    bar = _Progress(steps, start, progress)
    t0 = time.perf_counter() - history.wall_time
    history.stopped = "steps"

    def save() -> None:
        if ckpt is not None:
            history.wall_time = time.perf_counter() - t0
            save_checkpoint(ckpt, {**state, "history": history}, meta={**meta, "step": history.last_step},
                            extra={"rng": rng_state()})

    try:
        if snapshot_fn is not None and start == 0:
            history.snapshots.append((0, _snapshot(snapshot_fn, state)))
        i = start
        while steps is None or i < steps:
            raw = step_fn(i)
            if not isinstance(raw, Mapping):
                raise TypeError(f"step_fn must return a dict of losses, got {type(raw).__name__}")
            losses = {k: _as_float(k, v, i) for k, v in raw.items()}
            check_finite(losses, i)
            history.steps.append(i)
            for k, v in losses.items():
                history.losses.setdefault(k, []).append(v)
            elapsed = time.perf_counter() - t0
            bar.update(i, losses, elapsed)
            i += 1
            if snapshot_fn is not None and snapshot_every and i % snapshot_every == 0:
                history.snapshots.append((i, _snapshot(snapshot_fn, state)))
            if checkpoint_every and i % checkpoint_every == 0:
                save()
            if seconds is not None and elapsed >= seconds:
                history.stopped = "seconds"
                break
    finally:
        bar.close()
    if snapshot_fn is not None and (not history.snapshots or history.snapshots[-1][0] != history.last_step):
        history.snapshots.append((history.last_step, _snapshot(snapshot_fn, state)))
    history.wall_time = time.perf_counter() - t0
    save()
    return history


def load_or_train(train_fn: Callable[[], History], state: Mapping[str, Any], checkpoint: str | os.PathLike, *,
                  train: bool = True, expect: Mapping[str, Any] | None = None) -> History:
    """Train (resuming any partial run) when ``train`` is True; otherwise load the saved run.

    ``train_fn`` must call :func:`train` with the same ``checkpoint``. With
    ``train=False`` the checkpoint must exist; its weights go into ``state`` and
    its history is returned, so a CPU student can skip training.
    """
    if train:
        return train_fn()
    p = Path(checkpoint)
    if not p.exists():
        raise CheckpointError(
            f"TRAIN = False but there is no saved run at {p.name}: set TRAIN = True in the parameters cell "
            "(or run the notebook once at this scale) to create it."
        )
    history = History()
    read_checkpoint(p)
    load_checkpoint(p, {**state, "history": history}, expect=expect)
    history.stopped = "loaded"
    return history
