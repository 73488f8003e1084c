"""Tests for gan_utils.losses: values, stability on extreme logits, and bad inputs."""
from __future__ import annotations

import math

import pytest
import torch

from gan_utils import losses


def naive(real_p: torch.Tensor, fake_p: torch.Tensor) -> float:
    return float(-(torch.log(real_p).mean() + torch.log(1 - fake_p).mean()))


def test_d_loss_matches_the_probability_formula():
    r, f = torch.tensor([0.3, -1.2, 2.0]), torch.tensor([-0.5, 0.7])
    assert losses.d_loss(r, f).item() == pytest.approx(naive(torch.sigmoid(r), torch.sigmoid(f)), rel=1e-6)
    assert losses.value_function(r, f).item() == pytest.approx(-losses.d_loss(r, f).item())


def test_equilibrium_value_is_minus_log_4():
    zeros = torch.zeros(5)
    assert losses.value_function(zeros, zeros).item() == pytest.approx(-math.log(4))


def test_generator_losses():
    f = torch.tensor([-3.0, 0.0, 3.0])
    p = torch.sigmoid(f)
    assert losses.g_loss_saturating(f).item() == pytest.approx(torch.log(1 - p).mean().item(), rel=1e-6)
    assert losses.g_loss_nonsaturating(f).item() == pytest.approx(-torch.log(p).mean().item(), rel=1e-6)
    assert losses.g_loss_by_name("saturating") is losses.g_loss_saturating
    with pytest.raises(ValueError, match="nonsaturating"):
        losses.g_loss_by_name("wasserstein")


def test_stable_at_extreme_logits_and_saturation_visible():
    f = torch.tensor([-100.0, 100.0], requires_grad=True)
    for fn in (losses.g_loss_saturating, losses.g_loss_nonsaturating):
        out = fn(f)
        assert torch.isfinite(out)
        (g,) = torch.autograd.grad(out, f)
        assert torch.isfinite(g).all()
    # where D confidently rejects the fake (logit -100) the saturating loss has ~no gradient,
    # the non-saturating one has a gradient of magnitude ~1/N
    (g_sat,) = torch.autograd.grad(losses.g_loss_saturating(f), f)
    (g_ns,) = torch.autograd.grad(losses.g_loss_nonsaturating(f), f)
    assert abs(g_sat[0]) < 1e-20 and abs(g_ns[0]) == pytest.approx(0.5)
    assert torch.isfinite(losses.d_loss(torch.tensor([-100.0]), torch.tensor([100.0])))


def test_accepts_n_by_1_and_accuracy():
    r, f = torch.tensor([[1.0], [2.0]]), torch.tensor([[-1.0], [3.0]])
    assert losses.d_loss(r, f).item() == pytest.approx(losses.d_loss(r[:, 0], f[:, 0]).item())
    assert losses.d_accuracy(r, f) == pytest.approx(0.75)


@pytest.mark.parametrize("bad", [torch.zeros(4, 2), torch.zeros(2, 1, 1), torch.zeros(0), torch.zeros(3, 3)])
def test_wrong_shapes_are_refused(bad):
    with pytest.raises(ValueError, match="one logit per image"):
        losses.d_loss(bad, torch.zeros(3))
    with pytest.raises(ValueError, match="one logit per image"):
        losses.g_loss_nonsaturating(bad)


def test_wrong_types_are_refused():
    with pytest.raises(TypeError, match="torch.Tensor"):
        losses.g_loss_saturating([0.1, 0.2])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="floating point"):
        losses.d_loss(torch.tensor([1, 0]), torch.tensor([0.0]))


# ---- mutation survivors (issue 18)
GOOD = torch.zeros(4)


@pytest.mark.parametrize("call, name", [
    (lambda bad: losses.d_loss(bad, GOOD), "real_logits"),
    (lambda bad: losses.d_loss(GOOD, bad), "fake_logits"),
    (lambda bad: losses.d_accuracy(bad, GOOD), "real_logits"),
    (lambda bad: losses.d_accuracy(GOOD, bad), "fake_logits"),
    (lambda bad: losses.value_function(GOOD, bad), "fake_logits"),
    (lambda bad: losses.g_loss_saturating(bad), "fake_logits"),
    (lambda bad: losses.g_loss_nonsaturating(bad), "fake_logits"),
])
def test_errors_name_the_argument_that_was_wrong(call, name):
    with pytest.raises(TypeError, match=rf"^{name} must be a torch.Tensor of D's logits, got list$"):
        call([0.0, 1.0])
    with pytest.raises(TypeError, match=rf"^{name} must be floating point \(D's raw logits\), got torch.int64$"):
        call(torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match=rf"^{name} must have shape \(N,\) or \(N, 1\) with N > 0 .* got \(2, 2\)"):
        call(torch.zeros(2, 2))


def test_accuracy_threshold_logit_0_counts_as_fake():
    # D(x) = 0.5 exactly is "fake": wrong for a real image, right for a fake one
    assert losses.d_accuracy(torch.zeros(2), torch.zeros(2)) == 0.5
    assert losses.d_accuracy(torch.tensor([0.0, 1e-6, 3.0]), torch.tensor([-1e-6, 2.0])) == pytest.approx(3 / 5)
    assert losses.d_accuracy(torch.ones(1), torch.tensor([0.5, 1e-6, 0.0])) == pytest.approx(2 / 4)


def test_unknown_generator_loss_lists_the_choices():
    with pytest.raises(ValueError, match=r"^unknown generator loss 'minimax': choose one of nonsaturating, saturating$"):
        losses.g_loss_by_name("minimax")
