"""The GAN losses of Goodfellow et al. (2014), computed on logits.

D outputs a logit ``a``; its probability that the input is real is ``D = σ(a)``.
Working on logits keeps every log finite: ``log σ(a) = -softplus(-a)`` and
``log(1 - σ(a)) = -softplus(a)``.

* Discriminator (maximises V, so minimises its negative):
  ``d_loss = -E[log D(x)] - E[log(1 - D(G(z)))] = E[softplus(-a_real)] + E[softplus(a_fake)]``
* Generator, the game as written (minimax, "saturating"):
  ``g_loss = E[log(1 - D(G(z)))] = -E[softplus(a_fake)]``
  Its gradient vanishes when D confidently rejects fakes (a_fake → -∞).
* Generator, the paper's practical fix (non-saturating):
  ``g_loss = -E[log D(G(z))] = E[softplus(-a_fake)]``

Taught in 01_minimax_gan §3 (value function) and §6 (saturating vs non-saturating);
imported from 02_dcgan on.
"""
from __future__ import annotations


import torch.nn.functional as F
from torch import Tensor


def _check_logits(name: str, logits: Tensor) -> Tensor:
    if not isinstance(logits, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of D's logits, got {type(logits).__name__}")
    if not logits.is_floating_point():
        raise TypeError(f"{name} must be floating point (D's raw logits), got {logits.dtype}")
    if logits.dim() == 2 and logits.shape[1] == 1:
        logits = logits[:, 0]
    if logits.dim() != 1 or logits.numel() == 0:
        raise ValueError(
            f"{name} must have shape (N,) or (N, 1) with N > 0 — one logit per image — got "
            f"{tuple(logits.shape)}. Did D forget to flatten its output (e.g. .view(-1))?"
        )
    return logits


def d_loss(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """Discriminator loss ``-E[log D(x)] - E[log(1 - D(G(z)))]`` from logits.

    Its minimum over D is ``2 log 2 - 2 JSD(p_data || p_g)`` (01_minimax_gan §3),
    i.e. ``log 4 ≈ 1.386`` at the equilibrium p_g = p_data.
    """
    r = _check_logits("real_logits", real_logits)
    f = _check_logits("fake_logits", fake_logits)
    return F.softplus(-r).mean() + F.softplus(f).mean()


def g_loss_saturating(fake_logits: Tensor) -> Tensor:
    """Minimax generator loss ``E[log(1 - D(G(z)))] = -E[softplus(a)]`` (saturates when D wins)."""
    return -F.softplus(_check_logits("fake_logits", fake_logits)).mean()


def g_loss_nonsaturating(fake_logits: Tensor) -> Tensor:
    """Non-saturating generator loss ``-E[log D(G(z))] = E[softplus(-a)]`` (the paper's fix)."""
    return F.softplus(-_check_logits("fake_logits", fake_logits)).mean()


def value_function(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """The GAN value ``V(D, G) = E[log D(x)] + E[log(1 - D(G(z)))] = -d_loss``; ``-log 4`` at equilibrium."""
    return -d_loss(real_logits, fake_logits)


def d_accuracy(real_logits: Tensor, fake_logits: Tensor) -> float:
    """Fraction of images D classifies correctly at threshold ``D = 0.5`` (logit 0)."""
    r = _check_logits("real_logits", real_logits)
    f = _check_logits("fake_logits", fake_logits)
    correct = (r > 0).sum() + (f <= 0).sum()
    return float(correct) / float(r.numel() + f.numel())


G_LOSSES = {"nonsaturating": g_loss_nonsaturating, "saturating": g_loss_saturating}


def g_loss_by_name(name: str):
    """Look up a generator loss by name: 'nonsaturating' or 'saturating'."""
    if name not in G_LOSSES:
        raise ValueError(f"unknown generator loss {name!r}: choose one of {', '.join(G_LOSSES)}")
    return G_LOSSES[name]


__all__ = ["d_loss", "g_loss_saturating", "g_loss_nonsaturating", "value_function", "d_accuracy",
           "g_loss_by_name", "G_LOSSES"]

