"""`python -m gan_utils.metrics {train-judge, reference, benchmark}` on tiny budgets (issue 18).

The commands' real budgets take minutes; here the heavy functions they call are wrapped to run
on a few hundred images, and the tests pin what the commands print and write.
"""
from __future__ import annotations

import hashlib
import re

import pytest
import torch

from gan_utils.metrics import __main__ as cli
from gan_utils.metrics import judge, load_judge, reference


def test_train_judge_command_writes_the_file_and_prints_its_sha256(tmp_path, monkeypatch, capsys):
    real = judge.train_judge
    calls = []

    def tiny(out, **kw):
        calls.append(kw)
        return real(out, n_train=256, verbose=False, **kw)

    monkeypatch.setattr(judge, "train_judge", tiny)
    out = tmp_path / "j.pt"
    assert cli.main(["train-judge", "--epochs", "1", "--seed", "3", "--out", str(out)]) == 0
    assert calls == [{"epochs": 1, "seed": 3, "threads": 1}]
    printed = capsys.readouterr().out
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"sha256 {digest}\n" in printed
    assert re.search(r"judge test accuracy 0\.\d{4} on 1001 bundled test images \(val 0\.\d{4}, train 0\.\d{4}\)",
                     printed)
    assert "differs from JUDGE_SHA256" in printed  # a 256-image judge is not the committed one
    assert load_judge(out, expected_sha256=digest).meta["epochs"] == 1


def test_reference_command_prints_the_three_tables(monkeypatch, capsys):
    small = {"real val (999)": reference._bundled("val"), "noise (100)": torch.rand(100, 1, 28, 28) * 2 - 1}
    monkeypatch.setattr(reference, "reference_sets", lambda seed: small)
    real_bias = reference.fd_bias
    monkeypatch.setattr(reference, "fd_bias", lambda seed: real_bias(seed, sizes=(100, 200), draws=2))
    assert cli.main(["reference", "--seed", "0", "--threads", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("judge: test accuracy 0.9")
    assert "## Ceilings and floors" in printed and "| metric | real val (999) | noise (100) |" in printed
    assert "## Fréchet distance against sample size" in printed
    table = printed.split("## Fréchet distance")[1]
    assert "| 100 |" in table and "| 200 |" in table and "| 8000 |" not in table


def test_benchmark_command_times_evaluate(capsys):
    assert cli.main(["benchmark", "--n", "100", "--repeats", "1", "--threads", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("cold ") and lines[1].startswith("warm 1 ")
    assert all(f"{k} " in lines[1] for k in ("judge", "fd", "parzen", "memorisation", "total"))
    assert re.fullmatch(r"evaluate\(\) on 100 samples with 1 torch threads: cold \d+\.\d s, median warm \d+\.\d s",
                        lines[2])


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit):
        cli.main([])
    assert "train-judge" in capsys.readouterr().err
