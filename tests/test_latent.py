"""Tests for gan_utils.latent: linear and spherical paths between latent codes."""
from __future__ import annotations

import math

import pytest
import torch

from gan_utils.latent import METHODS, expected_norm, interpolate, lerp, slerp


def test_lerp_endpoints_and_midpoint():
    z0, z1 = torch.tensor([0.0, 2.0]), torch.tensor([4.0, -2.0])
    assert torch.equal(lerp(z0, z1, 0.0), z0)
    assert torch.equal(lerp(z0, z1, 1.0), z1)
    assert torch.allclose(lerp(z0, z1, 0.5), torch.tensor([2.0, 0.0]))


def test_lerp_with_a_vector_of_t_stacks_a_path_in_front():
    z0, z1 = torch.zeros(3, 5), torch.ones(3, 5)
    path = lerp(z0, z1, torch.tensor([0.0, 0.25, 1.0]))
    assert path.shape == (3, 3, 5)
    assert torch.allclose(path[1], torch.full((3, 5), 0.25))


def test_slerp_of_orthogonal_unit_vectors_follows_the_circle():
    e0, e1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    half = math.sqrt(0.5)
    assert torch.allclose(slerp(e0, e1, 0.5), torch.tensor([half, half]), atol=1e-6)
    third = slerp(e0, e1, 1 / 3)  # 30 degrees along the quarter circle
    assert torch.allclose(third, torch.tensor([math.cos(math.pi / 6), math.sin(math.pi / 6)]), atol=1e-6)


def test_slerp_hits_both_endpoints_and_keeps_the_norm_of_equal_norm_codes():
    g = torch.Generator().manual_seed(0)
    z0, z1 = torch.randn(4, 100, generator=g), torch.randn(4, 100, generator=g)
    z1 = z1 / z1.norm(dim=-1, keepdim=True) * z0.norm(dim=-1, keepdim=True)
    path = slerp(z0, z1, torch.linspace(0, 1, 9))
    assert path.shape == (9, 4, 100)
    assert torch.allclose(path[0], z0, atol=1e-5) and torch.allclose(path[-1], z1, atol=1e-5)
    norms = path.norm(dim=-1)  # (9, 4)
    assert torch.allclose(norms, z0.norm(dim=-1).expand(9, 4), rtol=1e-5)


def test_the_linear_midpoint_of_two_gaussian_codes_is_shorter_than_the_spherical_one():
    g = torch.Generator().manual_seed(1)
    z0, z1 = torch.randn(256, 100, generator=g), torch.randn(256, 100, generator=g)
    lin = lerp(z0, z1, 0.5).norm(dim=-1).mean()
    sph = slerp(z0, z1, 0.5).norm(dim=-1).mean()
    assert lin < 0.8 * sph  # about sqrt(50) ≈ 7.1 against about 10
    assert abs(float(sph) - expected_norm(100)) < 0.5


def test_slerp_of_parallel_codes_falls_back_to_the_straight_line():
    z0 = torch.tensor([1.0, 2.0, 3.0])
    z1 = 2 * z0
    out = slerp(z0, z1, torch.tensor([0.0, 0.5, 1.0]))
    assert torch.isfinite(out).all()
    assert torch.allclose(out, lerp(z0, z1, torch.tensor([0.0, 0.5, 1.0])))


def test_slerp_refuses_opposite_and_zero_codes():
    z0 = torch.tensor([1.0, 0.0])
    with pytest.raises(ValueError, match="opposite directions"):
        slerp(z0, -z0, 0.5)
    with pytest.raises(ValueError, match="non-zero"):
        slerp(z0, torch.zeros(2), 0.5)


@pytest.mark.parametrize("fn", [lerp, slerp])
def test_bad_inputs_are_refused_with_a_clear_message(fn):
    z = torch.randn(2, 8)
    with pytest.raises(ValueError, match="same shape"):
        fn(z, torch.randn(2, 9), 0.5)
    with pytest.raises(TypeError, match="torch.Tensor"):
        fn(z.numpy(), z, 0.5)
    with pytest.raises(TypeError, match="floating point"):
        fn(torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long), 0.5)
    with pytest.raises(ValueError, match="NaN or inf"):
        fn(torch.full((2, 8), float("nan")), z, 0.5)
    with pytest.raises(ValueError, match="1-D"):
        fn(z, z + 1, torch.zeros(2, 2))
    with pytest.raises(ValueError, match="z_dim"):
        fn(torch.tensor(1.0), torch.tensor(2.0), 0.5)


def test_interpolate_gives_n_codes_including_both_ends_for_each_method():
    g = torch.Generator().manual_seed(2)
    z0, z1 = torch.randn(100, generator=g), torch.randn(100, generator=g)
    for method in METHODS:
        path = interpolate(z0, z1, 7, method)
        assert path.shape == (7, 100)
        assert torch.allclose(path[0], z0, atol=1e-5) and torch.allclose(path[-1], z1, atol=1e-5)
    assert not torch.allclose(interpolate(z0, z1, 3, "linear")[1], interpolate(z0, z1, 3, "spherical")[1])


def test_interpolate_refuses_unknown_method_and_short_paths():
    z = torch.randn(4)
    with pytest.raises(ValueError, match="linear, spherical"):
        interpolate(z, z + 1, 5, "cubic")
    with pytest.raises(ValueError, match="n must be an int >= 2"):
        interpolate(z, z + 1, 1)
    with pytest.raises(ValueError, match="n must be an int >= 2"):
        interpolate(z, z + 1, 3.0)


def test_expected_norm_matches_sampling_and_refuses_bad_dimensions():
    assert expected_norm(1) == pytest.approx(math.sqrt(2 / math.pi))
    g = torch.Generator().manual_seed(3)
    assert torch.randn(20000, 100, generator=g).norm(dim=-1).mean().item() == pytest.approx(expected_norm(100),
                                                                                           rel=2e-3)
    assert expected_norm(100) < 10.0
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="z_dim"):
            expected_norm(bad)
