"""Checkpoints: save and load models, optimisers and training state safely.

A checkpoint is one ``torch.save`` file holding plain data only::

    {"format": "gan-course-checkpoint/1",
     "meta":  {"notebook", "step", "config", "versions", ...},
     "state": {"G": G.state_dict(), "opt_G": opt_G.state_dict(), ...},
     "extra": {...}}          # e.g. RNG states and loss history

It is always read with ``torch.load(weights_only=True)``, which refuses to run
code hidden in a pickle, so a checkpoint from the internet cannot execute
anything. Writes go to a temporary file that is renamed into place, so an
interrupted save never leaves a half-written checkpoint behind.

Taught in 00_introduction §"Running the course" (why training can be skipped or
resumed); used by ``training.load_or_train`` in every training notebook.
"""
from __future__ import annotations

import os
import pickle
import zipfile
from pathlib import Path
from typing import Any, Mapping, Protocol

import torch

from .config import library_versions

FORMAT = "gan-course-checkpoint/1"


class CheckpointError(RuntimeError):
    """A checkpoint is missing, corrupt, or does not fit what it is loaded into."""


class Stateful(Protocol):
    def state_dict(self) -> Any: ...
    def load_state_dict(self, state: Any) -> Any: ...


def save_checkpoint(path: str | os.PathLike, state: Mapping[str, Stateful], meta: Mapping[str, Any] | None = None,
                    extra: Mapping[str, Any] | None = None) -> Path:
    """Write ``{name: obj.state_dict()}`` plus metadata to ``path`` atomically; return the path."""
    if not state:
        raise ValueError("save_checkpoint needs at least one object to save, e.g. {'G': G, 'D': D}")
    for name, obj in state.items():
        if not hasattr(obj, "state_dict"):
            raise TypeError(f"state[{name!r}] has no state_dict(): pass modules, optimisers or Batches")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "meta": {"versions": library_versions(), **dict(meta or {})},
        "state": {name: obj.state_dict() for name, obj in state.items()},
        "extra": dict(extra or {}),
    }
    tmp = p.with_name(p.name + ".partial")
    try:
        torch.save(payload, tmp)
        os.replace(tmp, p)
    finally:
        if tmp.exists():
            tmp.unlink()
    return p


def read_checkpoint(path: str | os.PathLike) -> dict[str, Any]:
    """Read and validate a checkpoint file with ``weights_only=True``; return its payload."""
    p = Path(path)
    if not p.is_file():
        raise CheckpointError(f"no checkpoint at {p.name!r} (looked in {p.parent}): train first, or check the path")
    try:
        payload = torch.load(p, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        if "global" not in str(e).lower():  # not a refused class: the bytes are simply not a checkpoint
            raise CheckpointError(f"{p.name} is corrupt or not a PyTorch checkpoint: delete it and train again") from e
        raise CheckpointError(
            f"{p.name} was refused by the safe loader (weights_only=True): it contains objects other than "
            "tensors and plain data, which could run code. Do not load it."
        ) from e
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError) as e:
        raise CheckpointError(
            f"{p.name} is corrupt or not a PyTorch checkpoint ({type(e).__name__}). Delete it and train "
            "again (training.load_or_train will do so when asked to retrain)."
        ) from e
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{p.name} is not a gan-course checkpoint (expected format {FORMAT!r})")
    return payload


def load_checkpoint(path: str | os.PathLike, state: Mapping[str, Stateful] | None = None,
                    expect: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Load a checkpoint into ``state``'s objects (in place) and return its payload.

    ``expect`` lists metadata that must match, e.g. ``{"notebook": "02_dcgan"}``;
    a difference raises :class:`CheckpointError` naming the field. Every name in
    ``state`` must be in the file, and shapes must fit.
    """
    payload = read_checkpoint(path)
    name = Path(path).name
    meta = payload.get("meta", {})
    for key, want in (expect or {}).items():
        if meta.get(key) != want:
            raise CheckpointError(
                f"{name} does not match this run: {key} is {meta.get(key)!r} in the file but {want!r} here. "
                "Delete the checkpoint (or set TRAIN = True) to train afresh."
            )
    saved = payload["state"]
    missing = [k for k in (state or {}) if k not in saved]
    if missing:
        raise CheckpointError(f"{name} has no entry for {missing}; it holds {sorted(saved)}")
    for key, obj in (state or {}).items():
        try:
            obj.load_state_dict(saved[key])
        except (RuntimeError, KeyError, ValueError, TypeError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise CheckpointError(
                f"{name}: the saved {key!r} does not fit the {type(obj).__name__} built here ({first}). "
                "Was the architecture changed since it was saved? Retrain, or restore the architecture."
            ) from e
    return payload
