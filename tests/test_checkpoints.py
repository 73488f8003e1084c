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


# ---- mutation survivors (issue 18)
class _Marker:
    """Unpickling this calls open(marker, "w"): the marker file appears iff the payload ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_malicious_checkpoint_never_runs_its_payload(tmp_path):
    p, marker = tmp_path / "evil.pt", tmp_path / "payload-ran"
    torch.save({"format": ck.FORMAT, "meta": {}, "state": {"G": _Marker(marker)}, "extra": {}}, p)
    with pytest.raises(ck.CheckpointError, match=r"^evil.pt was refused by the safe loader \(weights_only=True\): "
                       r"it contains objects other than tensors and plain data, which could run code. Do not load it.$"):
        ck.read_checkpoint(p)
    assert not marker.exists()


def test_torch_load_is_asked_for_weights_only_on_the_cpu(tmp_path, monkeypatch):
    # torch < 2.6 (allowed by pyproject) defaults to weights_only=False: the loader must say True itself.
    p = ck.save_checkpoint(tmp_path / "c.pt", {"G": model()})
    seen = []
    real = torch.load
    monkeypatch.setattr(torch, "load", lambda *a, **kw: (seen.append(kw), real(*a, **kw))[1])
    ck.read_checkpoint(p)
    assert seen == [{"map_location": "cpu", "weights_only": True}]


def test_save_creates_missing_folders_and_keeps_extra(tmp_path, monkeypatch):
    written = []
    real = torch.save
    monkeypatch.setattr(torch, "save", lambda obj, f: (written.append(str(f)), real(obj, f))[1])
    p = ck.save_checkpoint(tmp_path / "a" / "b" / "c.pt", {"G": model()}, meta={"k": 1}, extra={"rng": [1, 2]})
    assert p == tmp_path / "a" / "b" / "c.pt" and written == [str(tmp_path / "a" / "b" / "c.pt.partial")]
    payload = ck.read_checkpoint(p)
    assert payload["extra"] == {"rng": [1, 2]} and payload["meta"]["k"] == 1 and payload["format"] == ck.FORMAT
    assert sorted(payload) == ["extra", "format", "meta", "state"]


def test_error_messages_in_full(tmp_path):
    with pytest.raises(ValueError, match=r"^save_checkpoint needs at least one object to save, e.g. "
                                         r"\{'G': G, 'D': D\}$"):
        ck.save_checkpoint(tmp_path / "c.pt", {})
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ck.CheckpointError, match=r"^bad.pt is corrupt or not a PyTorch checkpoint \((\w+)\)\. Delete "
                       r"it and train again \(training.load_or_train will do so when asked to retrain\).$") as e:
        ck.read_checkpoint(bad)
    assert "NoneType" not in str(e.value)
    p = ck.save_checkpoint(tmp_path / "c.pt", {"G": model()}, meta={"notebook": "02_dcgan"})
    with pytest.raises(ck.CheckpointError, match=r"^c.pt does not match this run: notebook is '02_dcgan' in the file "
                       r"but '03_cgan' here. Delete the checkpoint \(or set TRAIN = True\) to train afresh.$"):
        ck.load_checkpoint(p, expect={"notebook": "03_cgan"})
    with pytest.raises(ck.CheckpointError, match=r"^c.pt: the saved 'G' does not fit the Sequential built here "
                       r"\(Error\(s\) in loading state_dict for Sequential:\)\. Was the architecture changed since it "
                       r"was saved\? Retrain, or restore the architecture.$"):
        ck.load_checkpoint(p, {"G": nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 1))})

    class Silent:  # a load_state_dict that fails without a message: the type names it
        def load_state_dict(self, state):
            raise KeyError()

    with pytest.raises(ck.CheckpointError, match=r"^c.pt: the saved 'G' does not fit the Silent built here \(KeyError\)"):
        ck.load_checkpoint(p, {"G": Silent()})


def test_a_checkpoint_without_meta_fails_expectations_clearly(tmp_path):
    p = tmp_path / "old.pt"
    torch.save({"format": ck.FORMAT, "state": {"G": model().state_dict()}}, p)
    with pytest.raises(ck.CheckpointError, match="notebook is None in the file but '02_dcgan' here"):
        ck.load_checkpoint(p, {"G": model()}, expect={"notebook": "02_dcgan"})
