"""Tests for gan_utils.config."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import torch

from gan_utils import config


def test_setup_reads_scale_from_env(monkeypatch, capsys):
    monkeypatch.setenv(config.SCALE_ENV, "smoke")
    cfg = config.setup("01_minimax_gan", seed=3)
    assert cfg.scale == "smoke" and cfg.seed == 3 and cfg.notebook == "01_minimax_gan"
    line = capsys.readouterr().out.strip()
    assert "scale=smoke" in line and "seed=3" in line and "device=" in line
    assert len(line.splitlines()) == 1


def test_argument_beats_env(monkeypatch):
    monkeypatch.setenv(config.SCALE_ENV, "smoke")
    assert config.setup("x", scale="quick", verbose=False).scale == "quick"


def test_default_is_quick_on_cpu(monkeypatch):
    monkeypatch.delenv(config.SCALE_ENV, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert config.default_scale() == "quick"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert config.default_scale() == "full"


@pytest.mark.parametrize("bad", ["fast", "SMOKEY", "medium"])
def test_unknown_scale_lists_valid_ones(monkeypatch, bad):
    monkeypatch.setenv(config.SCALE_ENV, bad)
    with pytest.raises(ValueError, match="smoke, quick, full"):
        config.setup("x", verbose=False)
    with pytest.raises(ValueError, match="choose one of"):
        config.setup("x", scale=bad, verbose=False)


def test_bad_notebook_and_seed():
    with pytest.raises(ValueError, match="notebook"):
        config.setup("", verbose=False)
    with pytest.raises(ValueError, match="seed"):
        config.setup("x", scale="smoke", seed=-1, verbose=False)
    with pytest.raises(ValueError, match="seed"):
        config.seed_everything(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        config.setup("x", scale=3, verbose=False)  # type: ignore[arg-type]


def test_seed_everything_is_reproducible():
    config.seed_everything(7)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    config.seed_everything(7)
    assert a == (random.random(), np.random.rand(), torch.rand(1).item())


def test_pick_and_paths(monkeypatch, tmp_path):
    monkeypatch.setenv(config.RESULTS_ENV, str(tmp_path / "r"))
    monkeypatch.setenv(config.DATA_ENV, str(tmp_path / "d"))
    cfg = config.setup("x", scale="quick", verbose=False)
    assert cfg.pick(smoke=1, quick=2, full=3) == 2
    assert cfg.results_dir == tmp_path / "r" and cfg.data_dir == tmp_path / "d"
    assert cfg.checkpoint_dir == tmp_path / "r" / "checkpoints"
    d = cfg.as_dict()
    assert d["scale"] == "quick" and isinstance(d["device"], str) and "torch" in d["versions"]
    with pytest.raises(TypeError):
        cfg.pick(smoke=1, quick=2)  # type: ignore[call-arg]


def test_default_paths_point_into_repo(monkeypatch):
    monkeypatch.delenv(config.DATA_ENV, raising=False)
    monkeypatch.delenv(config.RESULTS_ENV, raising=False)
    assert config.data_dir() == config.REPO_ROOT / "data"
    assert (config.data_dir() / "mnist-10k.npz").is_file()
    assert config.results_dir() == config.REPO_ROOT / "results"
    assert isinstance(config.library_versions()["torch"], str)
    assert Path(config.PACKAGE_DIR).name == "gan_utils"
