"""Tests for gan_utils.data: bundled MNIST, offline fallback, conversions, batches, toys."""
from __future__ import annotations

import shutil
import time

import numpy as np
import pytest
import torch

from gan_utils import data


def test_bundled_splits_shapes_ranges_and_labels():
    sizes = {}
    for split in data.SPLITS:
        x, y = data.load_mnist(split, source="bundled")
        assert x.dtype == torch.float32 and x.shape[1:] == (1, 28, 28)
        assert x.min() >= -1 and x.max() <= 1 and x.min() == -1
        assert y.dtype == torch.int64 and set(y.tolist()) == set(range(10))
        sizes[split] = len(x)
    assert sizes == {"train": 8000, "val": 999, "test": 1001}


def test_splits_are_disjoint():
    seen = set()
    for split in data.SPLITS:
        x, _ = data.load_mnist(split, source="bundled")
        keys = {bytes(data.to_uint8(x[i:i + 1]).tobytes()) for i in range(0, len(x), 7)}
        assert not keys & seen
        seen |= keys


def test_auto_falls_back_offline_quickly_with_one_message(monkeypatch, capsys):
    monkeypatch.setattr(data, "_MNIST_HOST", ("127.0.0.1", 9))  # nothing listens on the discard port
    monkeypatch.setenv("GAN_COURSE_DATA", str(data.data_dir()))
    data._announce_fallback.cache_clear()
    t = time.perf_counter()
    x, _ = data.load_mnist("train", source="auto")
    x2, _ = data.load_mnist("test", source="auto")
    assert time.perf_counter() - t < 2.0 * 2  # two calls, each must fall back in < 2 s
    out = capsys.readouterr().out
    assert out.count("bundled") == 1 and len(x) == 8000 and len(x2) == 1001


def test_sha256_mismatch_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / data.BUNDLED_FILE
    shutil.copy(data.data_dir() / data.BUNDLED_FILE, bad)
    with open(bad, "r+b") as f:
        f.seek(-10, 2)
        f.write(b"0123456789")
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    with pytest.raises(data.DataError, match="sha256"):
        data.load_mnist("train", source="bundled")


def test_missing_bundled_file_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    with pytest.raises(data.DataError, match="GAN_COURSE_DATA"):
        data.load_mnist("val", source="bundled")


def test_bad_split_source_and_dataset():
    with pytest.raises(ValueError, match="train, val, test"):
        data.load_mnist("validation", source="bundled")
    with pytest.raises(ValueError, match="auto, torchvision, bundled"):
        data.load_mnist("train", source="internet")
    with pytest.raises(ValueError, match="mnist-bundled"):
        data.load_dataset("cifar10")


def test_offline_torchvision_and_fashion_give_clear_errors(monkeypatch, tmp_path):
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    monkeypatch.setattr(data, "network_available", lambda *a, **k: False)
    with pytest.raises(data.DataError, match="not bundled"):
        data.load_fashion_mnist("train")

    def refuse(*a, **k):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(data, "_torchvision_dataset", refuse)
    with pytest.raises(data.DataError, match="source='bundled'"):
        data.load_mnist("train", source="torchvision")


def test_torchvision_split_follows_the_paper(monkeypatch):
    class Fake:
        def __init__(self, train):
            n = 60_000 if train else 10_000
            self.data = torch.zeros(n, 28, 28, dtype=torch.uint8)
            self.targets = torch.arange(n) % 10

    monkeypatch.setattr(data, "_torchvision_dataset", lambda name, train, download: Fake(train))
    monkeypatch.setattr(data, "_on_disk", lambda name: True)
    assert [len(data.load_mnist(s, "torchvision")[0]) for s in data.SPLITS] == [50_000, 10_000, 10_000]
    assert len(data.load_dataset("mnist-full", "val")[1]) == 10_000
    assert len(data.load_dataset("fashion", "test")[0]) == 10_000
    assert len(data.load_dataset("mnist", "train")[0]) == 50_000


def test_on_disk_looks_for_torchvision_raw_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    assert not data._on_disk("mnist")
    (tmp_path / "torchvision" / "MNIST" / "raw").mkdir(parents=True)
    assert data._on_disk("mnist") and not data._on_disk("fashion")


def test_network_probe_returns_false_for_closed_port():
    assert data.network_available(("127.0.0.1", 9), timeout=0.5) is False


def test_uint8_round_trip_and_bad_inputs():
    x, _ = data.load_mnist("val", source="bundled")
    pix = data.to_uint8(x)
    assert pix.dtype == np.uint8 and pix.shape == (999, 28, 28)
    assert torch.equal(data.from_uint8(pix), x)
    assert data.to_uint8(x[:, 0]).shape == (999, 28, 28)
    with pytest.raises(TypeError, match="uint8 images already"):
        data.to_uint8(torch.zeros(2, 1, 28, 28, dtype=torch.uint8))
    with pytest.raises(ValueError, match="shape"):
        data.to_uint8(torch.zeros(2, 3, 28, 28))
    with pytest.raises(TypeError, match="torch.Tensor"):
        data.to_uint8(np.zeros((2, 28, 28)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="uint8"):
        data.from_uint8(np.zeros((2, 28, 28), dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        data.from_uint8(np.zeros((28, 28), dtype=np.uint8))


def test_batches_cover_each_epoch_and_resume_exactly():
    x = torch.arange(10)
    b = data.Batches(x, batch_size=3, seed=0)
    first_epoch = torch.cat([next(b) for _ in range(len(b))])
    assert len(b) == 3 and len(set(first_epoch.tolist())) == 9
    state = b.state_dict()
    after = [next(b) for _ in range(5)]
    b2 = data.Batches(x, batch_size=3, seed=99)
    b2.load_state_dict(state)
    assert all(torch.equal(a, c) for a, c in zip(after, [next(b2) for _ in range(5)]))
    xs, ys = next(data.Batches(x, x * 2, batch_size=4, seed=1))
    assert torch.equal(ys, xs * 2)
    tail = data.Batches(x, batch_size=4, seed=0, drop_last=False)
    assert len(tail) == 3 and [len(next(tail)) for _ in range(3)] == [4, 4, 2]


def test_batches_bad_inputs():
    with pytest.raises(ValueError, match="at least one"):
        data.Batches(batch_size=2)
    with pytest.raises(ValueError, match="disagree"):
        data.Batches(torch.zeros(3), torch.zeros(4), batch_size=2)
    with pytest.raises(ValueError, match="positive"):
        data.Batches(torch.zeros(3), batch_size=0)
    with pytest.raises(ValueError, match="larger than the dataset"):
        data.Batches(torch.zeros(3), batch_size=5)


def test_toy_mixtures():
    ring, grid = data.ring8(), data.grid25()
    assert ring.means.shape == (8, 2) and grid.means.shape == (25, 2)
    assert torch.allclose(ring.means.norm(dim=1), torch.ones(8))
    assert sorted(set(grid.means[:, 0].tolist())) == [-4, -2, 0, 2, 4]
    s = grid.sample(5000, torch.Generator().manual_seed(0))
    d = torch.cdist(s, grid.means).min(dim=1).values
    assert s.shape == (5000, 2) and (d < 3 * 0.05).float().mean() > 0.95
    m = data.mixture_1d((-2.0, 2.0), 0.5, (0.25, 0.75))
    xs = torch.linspace(-6, 6, 4001)
    integral = float(m.pdf(xs).sum() * (xs[1] - xs[0]))
    assert integral == pytest.approx(1.0, abs=1e-3)
    samples = m.sample(20000, torch.Generator().manual_seed(0))
    assert samples.shape == (20000, 1) and float(samples.mean()) == pytest.approx(1.0, abs=0.05)
    expected = 0.25 * np.exp(-0.5 * 16 / 0.25) / np.sqrt(2 * np.pi * 0.25) + 0.75 / np.sqrt(2 * np.pi * 0.25)
    assert float(m.pdf(torch.tensor([2.0]))) == pytest.approx(expected, rel=1e-5)


def test_toy_bad_inputs():
    with pytest.raises(ValueError, match="one std and one weight"):
        data.mixture_1d((0.0, 1.0), (0.1,))
    with pytest.raises(ValueError, match="summing to 1"):
        data.mixture_1d((0.0, 1.0), 0.1, (0.9, 0.9))
    with pytest.raises(ValueError, match="> 0"):
        data.mixture_1d((0.0,), -1.0)
    with pytest.raises(ValueError, match="positive int"):
        data.ring8().sample(0)
