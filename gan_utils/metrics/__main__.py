"""Command line: ``python -m gan_utils.metrics {train-judge, reference, benchmark}``.

* ``train-judge``: train the judge on the bundled train split, write data/judge.pt, print its
  test accuracy and sha256 (2-5 minutes on one core, depending on load).
* ``reference``: print the ceiling/floor table of every metric, FD's sample-size bias and the
  judge's accuracy, as markdown (the source of docs/metrics.md).
* ``benchmark``: time ``evaluate()`` on 10,000 samples, per metric.
"""
from __future__ import annotations

import argparse
import sys

import torch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gan_utils.metrics", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_train = sub.add_parser("train-judge", help="train the judge and write data/judge.pt")
    p_train.add_argument("--epochs", type=int, default=15)
    p_train.add_argument("--seed", type=int, default=0)
    p_train.add_argument("--threads", type=int, default=1, help="CPU threads (1 keeps the bytes reproducible)")
    p_train.add_argument("--out", default=None, help="output path (default: data/judge.pt)")
    p_ref = sub.add_parser("reference", help="ceiling/floor table, FD bias, judge accuracy")
    p_ref.add_argument("--seed", type=int, default=0)
    p_bench = sub.add_parser("benchmark", help="time evaluate() per metric")
    p_bench.add_argument("--n", type=int, default=10_000)
    p_bench.add_argument("--repeats", type=int, default=3)
    for p in (p_ref, p_bench):
        p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    args = parser.parse_args(argv)

    if args.command == "train-judge":
        from .judge import JUDGE_SHA256, train_judge

        meta = train_judge(args.out, epochs=args.epochs, seed=args.seed, threads=args.threads)
        print(f"judge test accuracy {meta['test_accuracy']:.4f} on {meta['n_test']} bundled test images "
              f"(val {meta['val_accuracy']:.4f}, train {meta['train_accuracy']:.4f}); "
              f"{meta['train_seconds']:.0f} s, {meta['bytes'] / 1e6:.2f} MB")
        print(f"sha256 {meta['sha256']}")
        if meta["sha256"] != JUDGE_SHA256:
            print("note: this differs from JUDGE_SHA256 in gan_utils/metrics/judge.py (floating-point results "
                  "vary across CPUs and library versions). Set JUDGE_SHA256 to the value above to adopt "
                  "this judge, or load it with load_judge(expected_sha256=None).")
        return 0

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.command == "reference":
        from .reference import fd_bias, judge_report, markdown_table, reference_table

        print(judge_report(), flush=True)
        print("\n## Ceilings and floors (evaluate() with its default reference sets)\n", flush=True)
        print(markdown_table(reference_table(args.seed)), flush=True)
        print("\n## Fréchet distance against sample size (real data only)\n", flush=True)
        print(fd_bias(args.seed))
        return 0

    from .reference import benchmark

    res = benchmark(args.n, args.repeats)
    print(f"evaluate() on {res['n']:,} samples with {res['threads']} torch threads: "
          f"cold {res['runs'][0]['total']:.1f} s, median warm {res['median_warm_total']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
