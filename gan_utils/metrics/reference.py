"""Reference numbers for reading the metrics: real-data ceilings, noise floors, FD's bias, timing.

Used by ``python -m gan_utils.metrics reference`` and ``... benchmark``; the tables in
docs/metrics.md are this module's output. Everything uses the bundled MNIST subset.

In the notebooks, :func:`beside_references` prints any model's scores next to two reference
points computed on the spot: held-out real digits scored as if they were samples (where a
perfect generator would sit) and uniform noise (where a useless one sits). A metric shown
without them cannot be read: noise gets a judge confidence near 1.0, and FD has no natural
zero at a finite sample size. Taught in 00_introduction §6; used by every training notebook.
"""
from __future__ import annotations

import copy
import math
import statistics
import time
from functools import lru_cache
from typing import Any, Mapping, Sequence

import numpy as np
import torch

from .evaluate import _bundled, evaluate, reference_features
from .frechet import frechet_distance_features
from .judge import load_judge
from .knn import memorisation

ROWS = (("fd", "Fréchet distance (judge features)", "{:.2f}"), ("judge_score", "judge score (1-10)", "{:.2f}"),
        ("confidence", "mean confidence", "{:.3f}"), ("classes_covered", "classes with >= 2 %", "{}"),
        ("class_kl", "KL(histogram || uniform)", "{:.3f}"), ("precision", "precision (k=3)", "{:.3f}"),
        ("recall", "recall (k=3)", "{:.3f}"), ("parzen_ll", "Parzen log-lik. (nats)", "{:.1f}"),
        ("parzen_sem", "Parzen std. error", "{:.1f}"), ("parzen_sigma", "Parzen sigma", "{:.3f}"),
        ("mem_median_ratio", "memorisation median ratio", "{:.3f}"),
        ("mem_frac_closer", "memorisation frac. closer", "{:.3f}"))


#: metric -> (label, format, how to read it) for :func:`beside_references`
POINT_ROWS: dict[str, tuple[str, str, str]] = {
    "fd": ("Fréchet distance", "{:.1f}", "lower is better; real data = best reachable"),
    "precision": ("precision (k=3)", "{:.3f}", "higher: samples land on real digits"),
    "recall": ("recall (k=3)", "{:.3f}", "higher: real digits are covered"),
    "judge_score": ("judge score (1-10)", "{:.2f}", "higher, up to real data's"),
    "confidence": ("judge confidence", "{:.3f}", "NOT higher-is-better: noise scores near 1"),
    "classes_covered": ("classes with >= 2 %", "{:d}", "10 = every digit appears"),
    "class_kl": ("KL(classes || uniform)", "{:.3f}", "lower: classes balanced"),
    "cond_accuracy": ("conditional accuracy", "{:.3f}", "higher: the requested digit appears"),
    "c2st": ("two-sample test accuracy", "{:.3f}", "0.5 = indistinguishable from real; 1.0 = always told apart"),
}
DEFAULT_POINT_KEYS = ("fd", "precision", "recall", "judge_score", "confidence", "classes_covered")
REAL_POINT, NOISE_POINT = "real (val vs test)", "uniform noise"


@lru_cache(maxsize=4)
def _reference_points(seed: int) -> dict[str, dict]:
    g = torch.Generator().manual_seed(seed)
    x_val = _bundled("val")
    noise = torch.rand(x_val.shape, generator=g) * 2 - 1
    return {REAL_POINT: evaluate(x_val, parzen=False, memorise=False, seed=seed),
            NOISE_POINT: evaluate(noise, parzen=False, memorise=False, seed=seed)}


def reference_points(seed: int = 0) -> dict[str, dict]:
    """The two reference columns of :func:`beside_references`, as ``evaluate()`` dicts.

    * ``"real (val vs test)"``: the 999 bundled validation digits scored against the test split,
      exactly as generated samples are (the ceiling a perfect generator would reach at this n);
    * ``"uniform noise"``: as many images of i.i.d. U(-1, 1) pixels (the floor).

    Parzen and memorisation are skipped (they cost seconds and need their own protocol).
    Computed once per process and seed (about 2 s on a 2-core CPU); a fresh copy is returned.
    """
    return copy.deepcopy(_reference_points(int(seed)))


def _cell(value: Any, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if fmt == "{:d}":
        return str(int(value))
    return fmt.format(float(value))


def beside_references(scores: Mapping[str, Mapping[str, Any]], keys: Sequence[str] = DEFAULT_POINT_KEYS,
                      seed: int = 0) -> str:
    """A text table: one row per metric, one column per model, then real data and noise.

    ``scores`` maps a column name (e.g. ``"01 GAN (quick)"``) to an ``evaluate()`` dict.
    ``keys`` picks the rows (any of :data:`POINT_ROWS`); a model without a key shows ``n/a``.
    The last column says which way the metric reads. Reference points for ``cond_accuracy``
    are ``n/a`` (real data and noise are not conditional samples). Print the result.
    """
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("beside_references needs a non-empty dict {column name: evaluate() dict}, "
                         f"got {type(scores).__name__} {scores!r:.60}")
    for name, row in scores.items():
        if not isinstance(row, Mapping):
            raise ValueError(f"scores[{name!r}] must be a dict of metrics (from metrics.evaluate), "
                             f"got {type(row).__name__}")
    keys = tuple(keys)
    unknown = [k for k in keys if k not in POINT_ROWS]
    if unknown or not keys:
        raise ValueError(f"unknown metric key(s) {unknown or keys!r}; choose from {sorted(POINT_ROWS)}")
    refs = reference_points(seed)
    columns = [*scores.items(), *refs.items()]
    header = ["metric", *[str(name) for name, _ in columns], "how to read it"]
    rows = [header]
    for key in keys:
        label, fmt, reading = POINT_ROWS[key]
        rows.append([label, *[_cell(col.get(key), fmt) for _, col in columns], reading])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i in (0, len(header) - 1) else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    n_real = refs[REAL_POINT]["n_samples"]
    lines.append(f"(reference columns: {n_real} held-out real digits and {n_real} noise images against the "
                 "bundled test split; FD falls with n, so compare FDs at equal n)")
    return "\n".join(lines)


def reference_sets(seed: int = 0) -> dict[str, torch.Tensor]:
    """The image sets of the ceiling/floor table, each in [-1, 1] (N, 1, 28, 28)."""
    from ..data import load_mnist

    g = torch.Generator().manual_seed(seed)
    x_train, y_train = load_mnist("train", source="bundled")
    n = len(x_train)
    return {"real train (8,000)": x_train, "real val (999)": _bundled("val"),
            "noise (8,000)": torch.rand(n, 1, 28, 28, generator=g) * 2 - 1,
            "blank (8,000)": -torch.ones(n, 1, 28, 28),
            f"train 1s only ({int((y_train == 1).sum()):,})": x_train[y_train == 1]}


def reference_table(seed: int = 0) -> dict[str, dict]:
    """evaluate() on each reference set. The real-val column's Parzen is skipped (sigma is
    chosen on val itself) and its memorisation uses the test split as held-out data."""
    table = {}
    for name, x in reference_sets(seed).items():
        is_val = name.startswith("real val")
        res = evaluate(x, parzen=not is_val, memorise=not is_val, seed=seed)
        if is_val:
            mem = memorisation(x, _bundled("train"), _bundled("test"))
            res.update(mem_median_ratio=mem.median_ratio, mem_frac_closer=mem.frac_closer)
        table[name] = res
    return table


def markdown_table(table: dict[str, dict]) -> str:
    """Metrics as rows, image sets as columns."""
    cols = list(table)
    lines = ["| metric | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for key, label, fmt in ROWS:
        cells = ["n/a" if table[c][key] is None else fmt.format(table[c][key]) for c in cols]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fd_bias(seed: int = 0, sizes=(100, 250, 500, 1000, 2000, 4000, 8000), draws: int = 5,
            train_features=None, test_features=None) -> str:
    """FD's sample-size bias on real data, as a markdown table.

    Column 1: FD between n random bundled-train images and the full test split (1,001).
    Column 2: FD between two disjoint random sets of n train images each (true value 0, so
    the number is pure bias). Mean ± std over ``draws`` draws (one draw where n uses all data).
    The judge features of both splits can be passed in (default: computed from the bundled data).
    """
    rng = np.random.default_rng(seed)
    f_train = reference_features("train") if train_features is None else np.asarray(train_features)
    f_test = reference_features("test") if test_features is None else np.asarray(test_features)
    lines = [f"| n | FD(n train, {len(f_test):,} test) | FD(n train, other n train) |", "|---|---|---|"]
    for n in sizes:
        vs_test, vs_train = [], []
        for _ in range(draws if n < len(f_train) else 1):
            perm = rng.permutation(len(f_train))
            vs_test.append(frechet_distance_features(f_train[perm[:n]], f_test))
            if 2 * n <= len(f_train):
                vs_train.append(frechet_distance_features(f_train[perm[:n]], f_train[perm[n:2 * n]]))
        cell = lambda v: f"{np.mean(v):.2f} ± {np.std(v):.2f}" if len(v) > 1 else (f"{v[0]:.2f}" if v else "n/a")  # noqa: E731
        lines.append(f"| {n:,} | {cell(vs_test)} | {cell(vs_train)} |")
    return "\n".join(lines)


def judge_report() -> str:
    """One line: the judge's recorded accuracies and training settings."""
    m = load_judge().meta
    return (f"judge: test accuracy {m.get('test_accuracy', float('nan')):.4f} on the bundled test split (1,001), "
            f"val {m.get('val_accuracy', float('nan')):.4f}, train {m.get('train_accuracy', float('nan')):.4f}; "
            f"{m.get('epochs')} epochs, seed {m.get('seed')}, torch {m.get('torch')}")


def benchmark(n: int = 10_000, repeats: int = 3, seed: int = 0) -> dict:
    """Time evaluate() on n stand-in samples (jittered train images), Parzen and memorisation included.

    The first call is *cold* (loads the judge and the reference features); the next ``repeats``
    are warm. Returns the per-metric seconds of each call and the median warm total.
    """
    g = torch.Generator().manual_seed(seed)
    x = _bundled("train")
    x = x[torch.randint(len(x), (n,), generator=g)]
    x = (x + 0.1 * torch.randn(x.shape, generator=g)).clamp(-1, 1)  # not exact copies of train
    runs = []
    for i in range(repeats + 1):
        timings: dict = {}
        t0 = time.perf_counter()
        evaluate(x, timings=timings)
        timings["total"] = time.perf_counter() - t0
        runs.append(timings)
        label = "cold" if i == 0 else f"warm {i}"
        print(f"{label:7s} " + "  ".join(f"{k} {v:.2f}s" for k, v in timings.items()), flush=True)
    warm = [r["total"] for r in runs[1:]] or [runs[0]["total"]]
    return {"runs": runs, "median_warm_total": statistics.median(warm), "n": n,
            "threads": torch.get_num_threads()}
