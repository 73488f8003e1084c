"""Tests for gan_utils.training: budgets, history, snapshots, NaN guard and exact resumption."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from gan_utils import config, data, losses, training
from gan_utils.checkpoints import CheckpointError


def build(seed: int = 0):
    """A tiny GAN on the ring, with BatchNorm and Dropout so resumption must restore everything."""
    config.seed_everything(seed)
    G = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 2))
    D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(16, 1))
    opt_G, opt_D = torch.optim.Adam(G.parameters(), 1e-3), torch.optim.Adam(D.parameters(), 1e-3)
    batches = data.Batches(data.ring8().sample(256, torch.Generator().manual_seed(1)), batch_size=32, seed=2)

    def step(i: int) -> dict:
        x_real, z = next(batches), torch.randn(32, 4)
        d = losses.d_loss(D(x_real), D(G(z).detach()))
        opt_D.zero_grad()
        d.backward()
        opt_D.step()
        g = losses.g_loss_nonsaturating(D(G(torch.randn(32, 4))))
        opt_G.zero_grad()
        g.backward()
        opt_G.step()
        return {"d_loss": d, "g_loss": g}

    fixed_z = torch.randn(6, 4)
    state = {"G": G, "D": D, "opt_G": opt_G, "opt_D": opt_D, "data": batches}
    return G, state, step, (lambda: G(fixed_z))


def test_history_snapshots_and_checkpoint(tmp_path):
    G, state, step, snap = build()
    h = training.train(step, state, steps=16, snapshot_fn=snap, snapshot_every=8,
                       checkpoint=tmp_path / "c.pt", progress=False)
    assert h.steps == list(range(16)) and h.last_step == 16 and h.stopped == "steps"
    assert set(h.losses) == {"d_loss", "g_loss"} and len(h.losses["g_loss"]) == 16
    assert [s for s, _ in h.snapshots] == [0, 8, 16] and h.snapshots[0][1].shape == (6, 2)
    assert math.isfinite(h.last("d_loss", 5)) and h.wall_time > 0 and (tmp_path / "c.pt").exists()
    assert G.training  # snapshots ran in eval mode and restored the mode
    with pytest.raises(KeyError, match="d_loss"):
        h.last("accuracy")


def test_resume_equals_uninterrupted(tmp_path):
    G, state, step, snap = build()
    training.train(step, state, steps=40, snapshot_fn=snap, progress=False)
    reference = {k: v.clone() for k, v in G.state_dict().items()}

    ckpt = tmp_path / "run.pt"
    G, state, step, snap = build()
    first = training.train(step, state, steps=15, snapshot_fn=snap, checkpoint=ckpt, checkpoint_every=5, progress=False)
    assert first.last_step == 15
    G, state, step, snap = build()  # a fresh process: rebuilt models, then resume from the file
    resumed = training.train(step, state, steps=40, snapshot_fn=snap, checkpoint=ckpt, progress=False)
    assert resumed.steps == list(range(40))
    for k, v in G.state_dict().items():
        assert torch.equal(v, reference[k]), k
    # a finished run is loaded, not retrained
    G, state, step, snap = build(seed=5)
    again = training.train(step, state, steps=40, checkpoint=ckpt, progress=False)
    assert again.stopped == "loaded"
    assert all(torch.equal(v, reference[k]) for k, v in G.state_dict().items())


def test_seconds_budget_stops_early():
    G, state, step, _ = build()
    h = training.train(step, state, seconds=0.05, progress=False)
    assert h.stopped == "seconds" and 1 <= h.last_step


def test_nan_guard_names_step_loss_and_remedies():
    calls = []

    def step(i):
        calls.append(i)
        return {"d_loss": 1.0, "g_loss": float("nan") if i == 3 else 0.5}

    with pytest.raises(training.NonFiniteLossError, match=r"step 3: g_loss = nan.*learning rate"):
        training.train(step, {"m": nn.Linear(1, 1)}, steps=10, progress=False)
    assert calls == [0, 1, 2, 3]
    with pytest.raises(training.NonFiniteLossError, match="inf"):
        training.check_finite({"d_loss": float("inf")}, 0)


def test_bad_arguments():
    m = {"m": nn.Linear(1, 1)}
    ok = lambda i: {"l": 0.0}  # noqa: E731
    with pytest.raises(ValueError, match="budget"):
        training.train(ok, m)
    with pytest.raises(ValueError, match="steps"):
        training.train(ok, m, steps=-1)
    with pytest.raises(ValueError, match="seconds"):
        training.train(ok, m, seconds=0)
    with pytest.raises(TypeError, match="step_fn"):
        training.train("step", m, steps=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="state_dict"):
        training.train(ok, {"x": 3}, steps=1)
    with pytest.raises(ValueError, match="checkpoint path"):
        training.train(ok, m, steps=1, checkpoint_every=1)
    with pytest.raises(TypeError, match="dict of losses"):
        training.train(lambda i: 1.0, m, steps=1, progress=False)
    with pytest.raises(TypeError, match="not a number"):
        training.train(lambda i: {"l": "x"}, m, steps=1, progress=False)
    with pytest.raises(ValueError, match="scalar"):
        training.train(lambda i: {"l": torch.zeros(2)}, m, steps=1, progress=False)
    with pytest.raises(TypeError, match="tensor of images"):
        training.train(ok, m, steps=1, snapshot_fn=lambda: [1], progress=False)


def test_headless_progress_prints_a_few_lines(monkeypatch, capsys):
    monkeypatch.setenv(training.HEADLESS_ENV, "1")
    training.train(lambda i: {"l": float(i)}, {"m": nn.Linear(1, 1)}, steps=8)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("step")]
    assert 2 <= len(lines) <= 6 and "8/8" in lines[-1]


def test_load_or_train(tmp_path):
    G, state, step, snap = build()
    ckpt = tmp_path / "c.pt"
    with pytest.raises(CheckpointError, match="TRAIN = True"):
        training.load_or_train(lambda: None, state, ckpt, train=False)
    h = training.load_or_train(lambda: training.train(step, state, steps=5, checkpoint=ckpt, progress=False),
                               state, ckpt, train=True)
    trained = {k: v.clone() for k, v in G.state_dict().items()}
    G, state, step, snap = build(seed=9)
    loaded = training.load_or_train(lambda: pytest.fail("must not train"), state, ckpt, train=False)
    assert loaded.stopped == "loaded" and loaded.steps == h.steps
    assert all(torch.equal(v, trained[k]) for k, v in G.state_dict().items())


def test_checkpoint_path_and_rng_round_trip(tmp_path):
    cfg = config.Config("02_dcgan", "quick", 3, torch.device("cpu"), tmp_path, tmp_path / "r")
    assert training.checkpoint_path(cfg, "G").name == "02_dcgan_G_quick_seed3.pt"
    state = training.rng_state()
    a = (torch.rand(2), __import__("numpy").random.rand(), __import__("random").random())
    training.set_rng_state(state)
    b = (torch.rand(2), __import__("numpy").random.rand(), __import__("random").random())
    assert torch.equal(a[0], b[0]) and a[1:] == b[1:]


# ---- mutation survivors (issue 18)
def _full_state(state):
    """Every tensor the run changed: G, D, both optimisers (Adam moments, step counts) and the data order."""
    out = {}
    for name in ("G", "D", "opt_G", "opt_D", "data"):
        sd = state[name].state_dict()
        if name.startswith("opt"):
            for p, s in sd["state"].items():
                for k, v in s.items():
                    out[f"{name}.{p}.{k}"] = v.clone() if torch.is_tensor(v) else v
        else:
            for k, v in sd.items():
                out[f"{name}.{k}"] = v.clone() if torch.is_tensor(v) else v
    return out


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        same = torch.equal(a[k], b[k]) if torch.is_tensor(a[k]) else a[k] == b[k]
        assert same, k


class _Crash(Exception):
    pass


def test_resume_after_a_crash_between_checkpoints_equals_uninterrupted(tmp_path):
    G, state, step, snap = build()
    reference = training.train(step, state, steps=40, progress=False)
    expected = _full_state(state)

    ckpt = tmp_path / "run.pt"
    G, state, step, snap = build()

    def crashing(i):
        if i == 13:  # the process dies mid-run, 3 steps after the last periodic checkpoint (10)
            raise _Crash
        return step(i)

    with pytest.raises(_Crash):
        training.train(crashing, state, steps=40, checkpoint=ckpt, checkpoint_every=5, progress=False)
    saved = training.read_checkpoint(ckpt)
    assert saved["meta"]["step"] == 10 and saved["state"]["history"]["steps"] == list(range(10))

    G, state, step, snap = build()  # a fresh process
    seen = []
    resumed = training.train(lambda i: (seen.append(i), step(i))[1], state, steps=40, checkpoint=ckpt,
                             progress=False)
    assert seen == list(range(10, 40))  # it continued from the checkpoint, not from 0
    assert resumed.steps == list(range(40))
    assert resumed.losses == reference.losses
    _same(_full_state(state), expected)


def test_wall_time_continues_across_a_resume(tmp_path):
    import time

    ckpt, m = tmp_path / "t.pt", {"m": nn.Linear(1, 1)}
    first = training.train(lambda i: (time.sleep(0.05), {"l": 0.0})[1], m, steps=6, checkpoint=ckpt, progress=False)
    assert first.wall_time >= 0.3
    resumed = training.train(lambda i: {"l": 0.0}, m, steps=8, checkpoint=ckpt, progress=False)
    assert resumed.steps == list(range(8)) and resumed.wall_time >= first.wall_time


def test_resume_refuses_a_checkpoint_of_another_configuration(tmp_path):
    ckpt, m = tmp_path / "c.pt", {"m": nn.Linear(1, 1)}
    training.train(lambda i: {"l": 0.0}, m, steps=3, checkpoint=ckpt, meta={"lr": 1e-3}, progress=False)
    with pytest.raises(CheckpointError, match=r"lr is 0.001 in the file but 0.002 here"):
        training.train(lambda i: {"l": 0.0}, m, steps=5, checkpoint=ckpt, meta={"lr": 2e-3}, progress=False)
    with pytest.raises(CheckpointError, match=r"lr is 0.001 in the file but 0.002 here"):
        training.load_or_train(lambda: pytest.fail("must not train"), m, ckpt, train=False, expect={"lr": 2e-3})
    assert training.load_or_train(lambda: pytest.fail("no"), m, ckpt, train=False,
                                  expect={"lr": 1e-3}).steps == [0, 1, 2]


def test_resume_false_retrains_from_step_0_and_overwrites(tmp_path):
    ckpt, m = tmp_path / "c.pt", {"m": nn.Linear(1, 1)}
    training.train(lambda i: {"l": 1.0}, m, steps=4, checkpoint=ckpt, progress=False)
    seen = []
    h = training.train(lambda i: (seen.append(i), {"l": 2.0})[1], m, steps=4, checkpoint=ckpt, resume=False,
                       progress=False)
    assert seen == [0, 1, 2, 3] and h.stopped == "steps" and h.losses["l"] == [2.0] * 4
    assert training.read_checkpoint(ckpt)["state"]["history"]["losses"]["l"] == [2.0] * 4
