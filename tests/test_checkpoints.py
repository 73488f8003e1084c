"""Tests for gan_utils.checkpoints: round trip, metadata, and every bad file."""
from __future__ import annotations

import os
import pickle

import pytest
import torch
from torch import nn

from gan_utils import checkpoints as ck


def model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))


def test_round_trip_with_metadata(tmp_path):
    G, opt = model(), None
    G2 = model()
    with torch.no_grad():
        G2[0].weight.add_(1.0)
    opt = torch.optim.Adam(G.parameters(), 1e-3)
    G(torch.randn(2, 3)).sum().backward()
    opt.step()
    p = ck.save_checkpoint(tmp_path / "sub" / "c.pt", {"G": G, "opt_G": opt}, meta={"notebook": "02_dcgan", "step": 5})
    assert p.exists() and not list(tmp_path.glob("**/*.partial"))
    opt2 = torch.optim.Adam(G2.parameters(), 1e-3)
    payload = ck.load_checkpoint(p, {"G": G2, "opt_G": opt2}, expect={"notebook": "02_dcgan"})
    assert all(torch.equal(a, b) for a, b in zip(G.parameters(), G2.parameters()))
    assert payload["meta"]["step"] == 5 and "torch" in payload["meta"]["versions"]
    assert opt2.state_dict()["state"].keys() == opt.state_dict()["state"].keys()


def test_missing_file(tmp_path):
    with pytest.raises(ck.CheckpointError, match="no checkpoint"):
        ck.load_checkpoint(tmp_path / "nope.pt", {"G": model()})


def test_corrupt_file(tmp_path):
    p = tmp_path / "c.pt"
    ck.save_checkpoint(p, {"G": model()})
    p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
    with pytest.raises(ck.CheckpointError, match="corrupt"):
        ck.load_checkpoint(p, {"G": model()})
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(ck.CheckpointError, match="corrupt"):
        ck.read_checkpoint(tmp_path / "junk.pt")


def test_not_a_course_checkpoint(tmp_path):
    p = tmp_path / "plain.pt"
    torch.save(model().state_dict(), p)
    with pytest.raises(ck.CheckpointError, match="not a gan-course checkpoint"):
        ck.read_checkpoint(p)


def test_mismatched_architecture_and_metadata(tmp_path):
    p = ck.save_checkpoint(tmp_path / "c.pt", {"G": model()}, meta={"notebook": "01_minimax_gan"})
    with pytest.raises(ck.CheckpointError, match="does not fit"):
        ck.load_checkpoint(p, {"G": nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))})
    with pytest.raises(ck.CheckpointError, match="notebook"):
        ck.load_checkpoint(p, {"G": model()}, expect={"notebook": "02_dcgan"})
    with pytest.raises(ck.CheckpointError, match="no entry"):
        ck.load_checkpoint(p, {"D": model()})


class Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_malicious_pickle_is_refused(tmp_path):
    p = tmp_path / "evil.pt"
    torch.save({"format": ck.FORMAT, "meta": {}, "state": {"G": Boom()}, "extra": {}}, p)
    with pytest.raises(ck.CheckpointError, match="refused by the safe loader"):
        ck.load_checkpoint(p, {"G": model()})
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ck.CheckpointError):
        ck.read_checkpoint(raw)


def test_save_bad_inputs_leave_nothing(tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        ck.save_checkpoint(tmp_path / "c.pt", {})
    with pytest.raises(TypeError, match="state_dict"):
        ck.save_checkpoint(tmp_path / "c.pt", {"G": 3})  # type: ignore[dict-item]
    assert not list(tmp_path.iterdir())


def test_failed_save_leaves_no_partial_file(tmp_path, monkeypatch):
    def broken_save(obj, f):
        with open(f, "wb") as fh:
            fh.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        ck.save_checkpoint(tmp_path / "c.pt", {"G": model()})
    assert not list(tmp_path.iterdir())
