"""The results contract: every training notebook ends with ``scoreboard.record(...)``.

``record(cfg, metrics, samples)`` writes

* ``results/<notebook>.json``: metrics, scale, seed, dataset, wall time, steps,
  library versions and the paper's anchor numbers;
* ``results/<notebook>_samples.npz``: the generated images as uint8 (N, 28, 28)
  (10,000 at quick and full scale), plus ``labels`` where G was asked for them.

``table()`` gathers every result (a student's own in ``results/``, else the
reference run committed in ``data/reference_results/``) into the scoreboard
that 08_evaluating_gans shows beside the papers' numbers.

Taught in 00_introduction §"How results are recorded"; the full scoreboard in 08_evaluating_gans.
"""
from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np
from torch import Tensor

from .config import REPO_ROOT, Config
from .data import to_uint8

SAMPLES_AT_SCALE = {"smoke": None, "quick": 10_000, "full": 10_000}
REFERENCE_DIR = REPO_ROOT / "data" / "reference_results"

# What each paper reports, for display beside our small-scale numbers. Facts from
# ../shared/PAPER_NOTES.md; each names its table or section.
ANCHORS: dict[str, dict[str, str]] = {
    "01_minimax_gan": {"parzen_ll": "225 ± 2 nats (Goodfellow et al. 2014, Table 1, MNIST)"},
    "02_dcgan": {"probe": "CIFAR-10 82.8% (L2-SVM on D features); SVHN 22.48% error with 1,000 labels"},
    "03_cgan": {"parzen_ll": "132 ± 1.8 nats (Mirza & Osindero 2014, MNIST; GAN 225 ± 2)"},
    "04_lapgan": {"c2st": "humans took ≈40% of class-conditional LAPGAN CIFAR-10 samples for real, ≈10% for a "
                          "plain GAN (Denton et al. 2015); c2st is the machine stand-in (0.5 = indistinguishable)"},
    "05_gran": {"gam": "GRAN beats DCGAN in the GAM battle (Im et al. 2016)"},
    "06_infogan": {"cat_code_error": "5% unsupervised MNIST classification error (Chen et al. 2016)"},
    "07_fgan": {"divergences": "several f-divergences train MNIST generators (Nowozin et al. 2016)"},
}


class ScoreboardError(ValueError):
    """Something handed to the scoreboard cannot be recorded; the message says what."""


def _jsonable(value: Any, where: str) -> Any:
    if isinstance(value, Tensor):
        value = value.detach().cpu()
        value = value.item() if value.numel() == 1 else value.tolist()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise ScoreboardError(f"{where} is {value}: a metric must be a finite number (did training diverge?)")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ScoreboardError(f"{where} has type {type(value).__name__}, which cannot be written to JSON")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def record(cfg: Config, metrics: Mapping[str, Any], samples: Tensor, labels: Tensor | np.ndarray | None = None, *,
           dataset: str = "mnist", steps: int | None = None, wall_time: float | None = None,
           extra: Mapping[str, Any] | None = None) -> Path:
    """Write ``results/<notebook>.json`` and ``results/<notebook>_samples.npz``; return the JSON path."""
    if not isinstance(cfg, Config):
        raise ScoreboardError("record() needs the Config returned by setup(...) as its first argument")
    if not metrics:
        raise ScoreboardError("record() got no metrics: pass the dict from metrics.evaluate(...)")
    pixels = to_uint8(samples)
    want = SAMPLES_AT_SCALE[cfg.scale]
    if want is not None and len(pixels) != want:
        raise ScoreboardError(f"at scale {cfg.scale!r} the results contract asks for {want} samples, got {len(pixels)}")
    arrays: dict[str, np.ndarray] = {"images": pixels}
    if labels is not None:
        lab = labels.detach().cpu().numpy() if isinstance(labels, Tensor) else np.asarray(labels)
        if lab.shape != (len(pixels),):
            raise ScoreboardError(f"labels must have shape ({len(pixels)},), one per sample; got {lab.shape}")
        arrays["labels"] = lab.astype(np.int64)
    doc = {
        "notebook": cfg.notebook, "scale": cfg.scale, "seed": cfg.seed, "device": cfg.device.type,
        "dataset": dataset, "steps": steps, "wall_time_s": None if wall_time is None else round(float(wall_time), 1),
        "n_samples": len(pixels), "metrics": _jsonable(dict(metrics), "metrics"),
        "paper": ANCHORS.get(cfg.notebook, {}), "versions": dict(cfg.versions),
        "extra": _jsonable(dict(extra or {}), "extra"),
    }
    out = Path(cfg.results_dir)
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    _atomic_write(out / f"{cfg.notebook}_samples.npz", buf.getvalue())
    path = out / f"{cfg.notebook}.json"
    _atomic_write(path, (json.dumps(doc, indent=1, sort_keys=False) + "\n").encode())
    return path


def load_result(path: str | os.PathLike) -> dict[str, Any]:
    """Read one results JSON, with a clear error if it is missing or malformed."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text())
    except FileNotFoundError as e:
        raise ScoreboardError(f"no results file {p.name}: run that notebook first") from e
    except json.JSONDecodeError as e:
        raise ScoreboardError(f"{p.name} is not valid JSON ({e}); delete it and rerun the notebook") from e
    for key in ("notebook", "scale", "metrics"):
        if key not in doc:
            raise ScoreboardError(f"{p.name} lacks {key!r}: not a gan-course results file")
    return doc


def load_samples(notebook: str, results_dir: str | os.PathLike | None = None) -> dict[str, np.ndarray]:
    """The samples a notebook recorded (own results first, else the committed reference run)."""
    for folder in ([Path(results_dir)] if results_dir else []) + [REFERENCE_DIR]:
        p = folder / f"{notebook}_samples.npz"
        if p.exists():
            with np.load(p) as f:
                return {k: f[k] for k in f.files}
    raise ScoreboardError(f"no samples recorded for {notebook}: run that notebook first")


def load_all(results_dir: str | os.PathLike | None = None, reference: bool = True) -> dict[str, dict[str, Any]]:
    """Every notebook's result: own ``results/`` first, then the committed reference run for the rest."""
    found: dict[str, dict[str, Any]] = {}
    folders = ([Path(results_dir)] if results_dir else []) + ([REFERENCE_DIR] if reference else [])
    for folder in folders:
        for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            doc = load_result(p)
            doc.setdefault("source", "own run" if folder != REFERENCE_DIR else "reference run")
            found.setdefault(doc["notebook"], doc)
    return dict(sorted(found.items()))


def table(results: Mapping[str, Mapping[str, Any]] | None = None,
          columns: tuple[str, ...] = ("fd", "confidence", "classes_covered", "precision", "recall", "parzen_ll")) -> str:
    """A plain-text scoreboard: one row per notebook, the chosen metrics, and the paper's anchor."""
    results = load_all() if results is None else results
    head = ["notebook", "scale", *columns, "paper"]
    rows = [head]
    for name, doc in results.items():
        m = doc.get("metrics", {})
        cells = [name, str(doc.get("scale", ""))]
        for c in columns:
            v = m.get(c)
            cells.append("—" if v is None else f"{v:.3g}" if isinstance(v, float) else str(v))
        cells.append("; ".join(doc.get("paper", {}).values()) or "—")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + "  " + r[-1] for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


__all__ = ["record", "load_result", "load_samples", "load_all", "table", "ANCHORS", "ScoreboardError"]
