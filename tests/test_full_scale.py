"""The full scale exercised without a GPU (issue 17): the step cap ``GAN_COURSE_MAX_STEPS`` in
gan_utils.config and gan_utils.training, ``course test-full``, full-MNIST and Fashion-MNIST
loading from (small, synthetic) idx files where torchvision reads them, and what ``setup`` says
on a GPU runtime. ``make test-full`` itself (every notebook, minutes) is not part of ``make test``."""
from __future__ import annotations

import struct

import nbformat
import numpy as np
import pytest
import torch
from nbformat.v4 import new_code_cell, new_notebook

from gan_utils import config, course, data
from gan_utils.conventions import CourseError, read
from gan_utils.training import train


# --------------------------------------------------------------------------- the step cap
def counting_step(calls):
    def step(i):
        calls.append(i)
        return {"loss": 1.0}
    return step


class Stateful:
    def state_dict(self):
        return {}

    def load_state_dict(self, state):
        pass


def test_cap_stops_train_early_and_says_so(monkeypatch, capsys):
    monkeypatch.setenv("GAN_COURSE_MAX_STEPS", "3")
    calls = []
    history = train(counting_step(calls), {"s": Stateful()}, steps=20000, progress=True)
    assert calls == [0, 1, 2] and history.last_step == 3
    assert "[gan_utils] GAN_COURSE_MAX_STEPS=3: training 3 steps instead of 20000 steps" in capsys.readouterr().out


def test_cap_turns_a_seconds_budget_into_steps_and_leaves_shorter_runs_alone(monkeypatch, capsys):
    monkeypatch.setenv("GAN_COURSE_MAX_STEPS", "4")
    calls = []
    train(counting_step(calls), {}, seconds=3600.0, progress=False)
    assert calls == [0, 1, 2, 3]
    calls.clear()
    train(counting_step(calls), {}, steps=2, progress=True)
    assert calls == [0, 1] and "MAX_STEPS" not in capsys.readouterr().out


def test_no_cap_trains_every_step(monkeypatch):
    monkeypatch.delenv("GAN_COURSE_MAX_STEPS", raising=False)
    calls = []
    train(counting_step(calls), {}, steps=7, progress=False)
    assert calls == list(range(7))


@pytest.mark.parametrize("bad", ["0", "-2", "ten", "2.5"])
def test_a_bad_cap_is_refused_with_what_to_do(monkeypatch, bad):
    monkeypatch.setenv("GAN_COURSE_MAX_STEPS", bad)
    with pytest.raises(ValueError, match=f"GAN_COURSE_MAX_STEPS='{bad}' is not a positive whole number"):
        config.max_steps()
    with pytest.raises(ValueError, match="unset GAN_COURSE_MAX_STEPS"):
        train(counting_step([]), {}, steps=5, progress=False)


def test_cfg_carries_the_cap_for_the_notebooks_own_loops(monkeypatch, capsys):
    monkeypatch.setenv("GAN_COURSE_MAX_STEPS", "5")
    cfg = config.setup("05_demo", scale="full")
    assert cfg.scale == "full" and cfg.max_steps == 5
    assert [cfg.cap_steps(n) for n in (0, 3, 5, 30000)] == [0, 3, 5, 5]
    assert cfg.as_dict()["max_steps"] == 5, "a capped run's results say so"
    assert "GAN_COURSE_MAX_STEPS=5: every training run stops after 5 steps" in capsys.readouterr().out
    with pytest.raises(ValueError, match="non-negative int"):
        cfg.cap_steps(-1)
    monkeypatch.delenv("GAN_COURSE_MAX_STEPS")
    cfg = config.setup("05_demo", scale="full", verbose=False)
    assert cfg.max_steps is None and cfg.cap_steps(30000) == 30000 and "max_steps" not in cfg.as_dict()


def test_a_gpu_runtime_picks_full_and_says_so(monkeypatch, capsys):
    monkeypatch.delenv("GAN_COURSE_SCALE", raising=False)
    monkeypatch.delenv("GAN_COURSE_MAX_STEPS", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # torch.device("cuda") needs no GPU
    cfg = config.setup("02_dcgan")
    out = capsys.readouterr().out
    assert cfg.scale == "full" and "a GPU is present, so the full scale" in out and 'SCALE = "quick"' in out
    config.setup("02_dcgan", scale="full")  # asked for: nothing to explain
    assert "a GPU is present" not in capsys.readouterr().out


# --------------------------------------------------------------------------- idx files where torchvision reads them
def write_idx(folder, prefix: str, images: np.ndarray, labels: np.ndarray) -> None:
    """MNIST's idx format: big-endian magic (2051 images, 2049 labels), sizes, then uint8 data."""
    folder.mkdir(parents=True, exist_ok=True)
    img = struct.pack(">IIII", 2051, len(images), 28, 28) + images.astype(np.uint8).tobytes()
    lab = struct.pack(">II", 2049, len(labels)) + labels.astype(np.uint8).tobytes()
    for name, payload in ((f"{prefix}-images-idx3-ubyte", img), (f"{prefix}-labels-idx1-ubyte", lab)):
        (folder / name).write_bytes(payload)


def synthetic(n: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images whose every pixel is (index + offset) % 256, labelled index % 10."""
    idx = np.arange(n)
    return np.repeat(((idx + offset) % 256).astype(np.uint8), 28 * 28).reshape(n, 28, 28), idx % 10


@pytest.fixture
def idx_data(tmp_path, monkeypatch):
    """A data folder with 12 training and 5 test images for MNIST and Fashion-MNIST; 2 held out for val."""
    monkeypatch.setenv("GAN_COURSE_DATA", str(tmp_path))
    monkeypatch.setattr(data, "VAL_SIZE", 2)
    monkeypatch.setattr(data, "network_available", lambda *a, **k: pytest.fail("no download may be tried"))
    for folder, offset in (("MNIST", 0), ("FashionMNIST", 100)):
        raw = tmp_path / "torchvision" / folder / "raw"
        write_idx(raw, "train", *synthetic(12, offset))
        write_idx(raw, "t10k", *synthetic(5, offset + 50))
    return tmp_path


def pixel(images: torch.Tensor) -> list[int]:
    """The uint8 value each image was written with (all its pixels are equal)."""
    return [int(v) for v in data.to_uint8(images)[:, 0, 0]]


@pytest.mark.parametrize("dataset", ["mnist", "mnist-full"])
def test_full_mnist_is_read_from_idx_files_with_the_papers_split(idx_data, dataset, capsys):
    train_x, train_y = data.load_dataset(dataset, "train")
    val_x, val_y = data.load_dataset(dataset, "val")
    test_x, test_y = data.load_dataset(dataset, "test")
    assert pixel(train_x) == list(range(10)) and train_y.tolist() == list(range(10))
    assert pixel(val_x) == [10, 11] and val_y.tolist() == [0, 1], "val is the last VAL_SIZE training images"
    assert pixel(test_x) == [50, 51, 52, 53, 54] and test_y.tolist() == [0, 1, 2, 3, 4]
    assert train_x.shape == (10, 1, 28, 28) and train_x.dtype == torch.float32 and train_y.dtype == torch.int64
    assert train_x[0].min() == -1.0 and float(val_x[1, 0, 0, 0]) == pytest.approx(2 * 11 / 255 - 1)
    assert "bundled" not in capsys.readouterr().out, "no fallback when the files are there"


def test_fashion_is_read_from_its_own_folder(idx_data):
    x, y = data.load_dataset("fashion", "train")
    assert pixel(x) == list(range(100, 110)) and y.tolist() == list(range(10))
    assert pixel(data.load_dataset("fashion", "val")[0]) == [110, 111]
    assert pixel(data.load_dataset("fashion", "test")[0]) == [150, 151, 152, 153, 154]


def test_a_copy_too_small_for_the_split_is_refused(idx_data, monkeypatch):
    monkeypatch.setattr(data, "VAL_SIZE", 12)
    with pytest.raises(data.DataError, match="has 12 training images, too few to hold out 12"):
        data.load_mnist("train", source="torchvision")


def test_auto_falls_back_to_the_bundled_subset_when_the_files_are_incomplete(idx_data, monkeypatch, capsys):
    (idx_data / "torchvision" / "MNIST" / "raw" / "t10k-labels-idx1-ubyte").unlink()
    (idx_data / "mnist-10k.npz").symlink_to(config.REPO_ROOT / "data" / "mnist-10k.npz")
    monkeypatch.setattr(data, "network_available", lambda *a, **k: False)
    data._announce_fallback.cache_clear()
    x, _ = data.load_dataset("mnist", "test")
    assert len(x) == 1001, "the bundled test split"
    assert "using the bundled 10k subset" in capsys.readouterr().out
    (idx_data / "torchvision" / "FashionMNIST" / "raw" / "train-images-idx3-ubyte").unlink()
    with pytest.raises(data.DataError, match="Fashion-MNIST is not on disk"):
        data.load_dataset("fashion", "train")


# --------------------------------------------------------------------------- course test-full
def capped_notebook() -> nbformat.NotebookNode:
    cell = ("import os\n"
            "from gan_utils import setup\n"
            "from gan_utils.training import train\n"
            "cfg = setup('05_capped')\n"
            "h = train(lambda i: {'loss': float(i)}, {}, steps=cfg.pick(smoke=1, quick=2, full=30000), progress=False)\n"
            "print(cfg.scale, cfg.max_steps, h.last_step, len(range(cfg.cap_steps(1000))), "
            "os.path.basename(os.environ['GAN_COURSE_RESULTS']))")
    return new_notebook(cells=[new_code_cell(cell)], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


def test_test_full_runs_the_full_configuration_capped(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_RESULTS", str(tmp_path / "results"))
    monkeypatch.delenv("GAN_COURSE_MAX_STEPS", raising=False)
    path = tmp_path / "05_capped.ipynb"
    nbformat.write(capped_notebook(), str(path))
    before = path.read_bytes()
    stale = tmp_path / "results" / "test-full" / "old.pt"
    stale.parent.mkdir(parents=True)
    stale.write_text("an earlier run")
    times = course.test_full([path], steps=3)
    assert path.read_bytes() == before, "committed notebooks are untouched"
    assert not stale.exists(), "every test-full run starts from empty results"
    out = read(tmp_path / "results" / "test-full" / "executed" / "05_capped.ipynb").cells[0].outputs
    text = "".join(o.get("text", "") for o in out)
    assert text.splitlines()[-1] == "full 3 3 3 test-full"
    assert "GAN_COURSE_MAX_STEPS=3: every training run stops after 3 steps" in text
    assert times["05_capped"] > 0
    with pytest.raises(CourseError, match="positive number of steps"):
        course.test_full([path], steps=0)
