"""Trial behind 02_dcgan §4's note on G's learning rate (a deviation from the paper's 2e-4).

Trains the notebook's own DCGAN (its Generator, Discriminator, init and training step, read from
notebooks/02_dcgan.ipynb, so the trial cannot drift from the notebook) on the bundled digits at the
quick scale's batch of 32, and prints the judge's confidence and the Fréchet distance of 5,000
samples after 3,000 and 6,000 steps, once per learning rate of G (D stays at 2e-4).

    OMP_NUM_THREADS=1 .venv/bin/python docs/trials/02_dcgan_learning_rate.py --lr-g 2e-4 5e-4
    OMP_NUM_THREADS=1 .venv/bin/python docs/trials/02_dcgan_learning_rate.py --lr-g 5e-4 --decay

Each learning rate takes about 4 minutes on one core of the course's 2-core CPU. With one thread the
numbers are reproducible on this machine; a different thread count changes the floating-point
order of sums and so the exact figures, not the comparison.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_dcgan.ipynb"
#: Code cells of the notebook the trial needs, found by a line each starts with.
NEEDED = ("SCALE = None", "import os", "z_dim = 100", "BATCH = cfg.pick")


def notebook_namespace(scale: str = "quick") -> dict:
    """Run the notebook's parameter, setup, model and step cells; return their names."""
    cells = ["".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]
    chosen = [next((c for c in cells if c.startswith(start)), None) for start in NEEDED]
    missing = [start for start, c in zip(NEEDED, chosen) if c is None]
    if missing:
        raise SystemExit(f"{NOTEBOOK.name} no longer has code cells starting with {missing}: update NEEDED")
    ns: dict = {}
    exec(compile(chosen[0], str(NOTEBOOK), "exec"), ns)
    ns.update(SCALE=scale, SEED=0)                      # as a papermill run with these parameters would
    exec(compile("\n".join(chosen[1:]), str(NOTEBOOK), "exec"), ns)
    return ns


def trial(lr_g: float, decay: bool = False, steps: int = 6000, report=(3000, 6000),
          n_samples: int = 5000) -> list[tuple]:
    """Train for ``steps``; with ``decay``, both learning rates fall linearly to 0 over the second half."""
    ns = notebook_namespace()
    G, D = ns["G"].cpu(), ns["D"].cpu()                 # the notebook's own initialised pair (seed 0)
    opt_G = torch.optim.Adam(G.parameters(), lr=lr_g, betas=(0.5, 0.999))
    lr_d = ns["LR_D"]                                   # D keeps the notebook's (the paper's) rate
    opt_D = torch.optim.Adam(D.parameters(), lr=lr_d, betas=(0.5, 0.999))
    data = ns["Batches"](ns["x_train"], batch_size=32, seed=0)
    step = ns["make_step"](G, D, opt_G, opt_D, data)
    metrics, rows, t0 = ns["metrics"], [], time.perf_counter()
    for i in range(steps):
        if decay and i >= steps // 2:
            for opt, lr in ((opt_G, lr_g), (opt_D, lr_d)):
                opt.param_groups[0]["lr"] = lr * (1 - (i - steps // 2) / (steps - steps // 2))
        step(i)
        if i + 1 in report:
            G.eval()
            z = torch.randn(n_samples, ns["z_dim"], generator=torch.Generator().manual_seed(123))  # same codes each time
            with torch.no_grad():                      # (and the training stream's random numbers untouched)
                x = torch.cat([G(zz) for zz in z.split(1000)])
            G.train()
            rows.append((lr_g, i + 1, metrics.judge_confidence(x), metrics.fid(x), time.perf_counter() - t0))
            print(f"lr_G {lr_g:g}{' (decayed)' if decay else ''}  step {i + 1:5d}  judge confidence {rows[-1][2]:.3f}  "
                  f"Fréchet distance {rows[-1][3]:6.1f}  ({rows[-1][4]:.0f} s)", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr-g", type=float, nargs="+", default=[2e-4, 5e-4], help="G's learning rates to try")
    parser.add_argument("--decay", action="store_true", help="decay both rates linearly to 0 over the second half")
    args = parser.parse_args()
    for lr in args.lr_g:
        if not 0 < lr < 1:
            raise SystemExit(f"--lr-g {lr}: a learning rate must be between 0 and 1, e.g. 5e-4")
    for lr in args.lr_g:
        trial(lr, decay=args.decay)


if __name__ == "__main__":
    main()
