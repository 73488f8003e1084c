"""Tests for gan_utils.scoreboard: the results contract, loading, the table, bad inputs."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from gan_utils import config, scoreboard


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    monkeypatch.setenv(config.RESULTS_ENV, str(tmp_path / "results"))
    return config.setup("01_minimax_gan", scale="smoke", verbose=False)


def test_record_writes_json_and_samples(cfg):
    x = torch.rand(30, 1, 28, 28) * 2 - 1
    labels = torch.arange(30) % 10
    path = scoreboard.record(cfg, {"fd": np.float32(12.5), "histogram": torch.arange(10)}, x, labels,
                             steps=20, wall_time=3.21, extra={"note": "tiny"})
    doc = json.loads(path.read_text())
    assert doc["notebook"] == "01_minimax_gan" and doc["scale"] == "smoke" and doc["seed"] == 0
    assert doc["metrics"]["fd"] == pytest.approx(12.5) and doc["metrics"]["histogram"] == list(range(10))
    assert doc["steps"] == 20 and doc["wall_time_s"] == 3.2 and "torch" in doc["versions"]
    assert "225" in doc["paper"]["parzen_ll"] and doc["n_samples"] == 30
    s = scoreboard.load_samples("01_minimax_gan", cfg.results_dir)
    assert s["images"].dtype == np.uint8 and s["images"].shape == (30, 28, 28)
    assert s["labels"].tolist() == labels.tolist()
    assert not list(cfg.results_dir.glob("*.partial"))


def test_quick_scale_requires_10k_samples(tmp_path, monkeypatch):
    monkeypatch.setenv(config.RESULTS_ENV, str(tmp_path))
    cfg = config.setup("02_dcgan", scale="quick", verbose=False)
    with pytest.raises(scoreboard.ScoreboardError, match="10000 samples"):
        scoreboard.record(cfg, {"fd": 1.0}, torch.zeros(10, 1, 28, 28))
    assert not list(tmp_path.iterdir())


def test_bad_inputs(cfg):
    x = torch.zeros(4, 1, 28, 28)
    with pytest.raises(scoreboard.ScoreboardError, match="Config"):
        scoreboard.record({"notebook": "x"}, {"fd": 1.0}, x)  # type: ignore[arg-type]
    with pytest.raises(scoreboard.ScoreboardError, match="no metrics"):
        scoreboard.record(cfg, {}, x)
    with pytest.raises(scoreboard.ScoreboardError, match="finite"):
        scoreboard.record(cfg, {"fd": float("nan")}, x)
    with pytest.raises(scoreboard.ScoreboardError, match="JSON"):
        scoreboard.record(cfg, {"fd": object()}, x)
    with pytest.raises(scoreboard.ScoreboardError, match="one per sample"):
        scoreboard.record(cfg, {"fd": 1.0}, x, labels=torch.zeros(3))
    with pytest.raises(TypeError, match="uint8"):
        scoreboard.record(cfg, {"fd": 1.0}, torch.zeros(4, 1, 28, 28, dtype=torch.uint8))
    assert not cfg.results_dir.exists() or not list(cfg.results_dir.iterdir())


def test_load_all_table_and_errors(cfg, tmp_path, monkeypatch):
    monkeypatch.setattr(scoreboard, "REFERENCE_DIR", tmp_path / "reference")
    scoreboard.record(cfg, {"fd": 3.25, "confidence": 0.9}, torch.zeros(5, 1, 28, 28))
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "02_dcgan.json").write_text(json.dumps({"notebook": "02_dcgan", "scale": "quick", "metrics": {"fd": 1.5}}))
    (ref / "01_minimax_gan.json").write_text(json.dumps({"notebook": "01_minimax_gan", "scale": "quick", "metrics": {}}))
    results = scoreboard.load_all(cfg.results_dir)
    assert list(results) == ["01_minimax_gan", "02_dcgan"]
    assert results["01_minimax_gan"]["source"] == "own run" and results["02_dcgan"]["source"] == "reference run"
    text = scoreboard.table(results)
    assert "3.25" in text and "1.5" in text and "225" in text and "—" in text
    (ref / "bad.json").write_text("{not json")
    with pytest.raises(scoreboard.ScoreboardError, match="not valid JSON"):
        scoreboard.load_all(cfg.results_dir)
    (ref / "bad.json").write_text(json.dumps({"metrics": {}}))
    with pytest.raises(scoreboard.ScoreboardError, match="lacks"):
        scoreboard.load_result(ref / "bad.json")
    with pytest.raises(scoreboard.ScoreboardError, match="run that notebook first"):
        scoreboard.load_result(ref / "none.json")
    with pytest.raises(scoreboard.ScoreboardError, match="run that notebook first"):
        scoreboard.load_samples("09_nothing", cfg.results_dir)


# ---- mutation survivors (issue 18)
def test_load_samples_prefers_the_students_own_run_over_the_reference(tmp_path, monkeypatch):
    own, ref = tmp_path / "own", tmp_path / "reference"
    own.mkdir()
    ref.mkdir()
    monkeypatch.setattr(scoreboard, "REFERENCE_DIR", ref)
    np.savez(ref / "01_minimax_gan_samples.npz", images=np.zeros((2, 28, 28), np.uint8))
    assert scoreboard.load_samples("01_minimax_gan", own)["images"].max() == 0  # no own run yet: the reference
    np.savez(own / "01_minimax_gan_samples.npz", images=np.full((3, 28, 28), 7, np.uint8))
    s = scoreboard.load_samples("01_minimax_gan", own)
    assert s["images"].shape == (3, 28, 28) and s["images"].max() == 7  # own run first
    assert scoreboard.load_samples("01_minimax_gan")["images"].shape == (2, 28, 28)  # no folder: the reference
