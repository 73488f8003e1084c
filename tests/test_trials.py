"""The scripts in docs/trials/ read notebook cells; these tests catch a notebook that drifted away."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import torch

TRIALS = Path(__file__).resolve().parents[1] / "docs" / "trials"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, TRIALS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dcgan_trial_finds_the_notebooks_model_and_step():
    trial = load("02_dcgan_learning_rate")
    ns = trial.notebook_namespace("smoke")
    G, D = ns["G"], ns["D"]
    x = G(torch.randn(3, ns["z_dim"]))
    assert x.shape == (3, 1, 28, 28) and D(x).shape == (3,)
    assert callable(ns["make_step"]) and len(ns["x_train"]) > 0


def test_dcgan_trial_names_missing_cells(tmp_path, monkeypatch):
    trial = load("02_dcgan_learning_rate")
    empty = tmp_path / "02_dcgan.ipynb"
    empty.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    monkeypatch.setattr(trial, "NOTEBOOK", empty)
    with pytest.raises(SystemExit, match="no longer has code cells"):
        trial.notebook_namespace("smoke")


@pytest.mark.parametrize("lr", ["0", "3", "-0.001"])
def test_dcgan_trial_refuses_a_bad_learning_rate(lr, monkeypatch):
    trial = load("02_dcgan_learning_rate")
    monkeypatch.setattr(sys, "argv", ["trial", "--lr-g", lr])
    with pytest.raises(SystemExit, match="must be between 0 and 1"):
        trial.main()


@pytest.mark.parametrize("qd", ["1", "0"])
def test_infogan_search_trial_runs_and_reports(qd):
    """06's search trial: a few steps of a tiny variant print the progress rows and one JSON result."""
    import json
    import os
    import subprocess

    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(TRIALS.parents[1])}
    out = subprocess.run([sys.executable, str(TRIALS / "06_infogan_search.py"), "t", "0", "6", "w=4", "fc=8", "b=8",
                          f"qd={qd}", "lc=2"], capture_output=True, text=True, env=env, timeout=300, check=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    assert res["steps"] == 6 and res["opt"] == {"w": "4", "fc": "8", "b": "8", "qd": qd, "lc": "2"}
    assert len(res["log"]) == 6 and [row[0] for row in res["log"]] == [1, 2, 3, 4, 5, 6]
    assert all(0 <= row[3] <= row[4] <= 1 for row in res["log"])          # Hungarian <= majority accuracy
    assert 0 <= res["test_hung"] <= res["test_major"] <= 1
