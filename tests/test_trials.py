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
