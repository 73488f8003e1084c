"""Tests of gan_utils.metrics.two_sample: the classifier two-sample test (Lopez-Paz & Oquab 2017)."""
from __future__ import annotations

import math

import pytest
import torch

from gan_utils.data import load_mnist
from gan_utils.metrics import METRIC_KEYS, TwoSampleResult, evaluate, two_sample_test
from gan_utils.metrics.two_sample import MIN_PER_SIDE


@pytest.fixture(scope="module")
def real_sets():
    """Two disjoint sets of real digits with the same class mix (val and test are stratified).

    The bundled splits are stored class by class, so val is shuffled: a prefix val[:300] would hold
    only 0s, 1s and 2s, a different distribution that the test rightly tells apart.
    """
    val = load_mnist("val", source="bundled")[0]
    return val[torch.randperm(len(val), generator=torch.Generator().manual_seed(0))], load_mnist("test", source="bundled")[0]


def test_real_against_real_is_near_chance(real_sets):
    val, test = real_sets
    res = two_sample_test(val, test)
    assert isinstance(res, TwoSampleResult)
    assert res.n_real == res.n_fake == len(val) and res.folds == 2
    assert 0.45 < res.accuracy < 0.55          # chance: same distribution
    assert res.p_value > 0.01                  # no evidence of a difference
    # every image predicted once, by a classifier that never saw it: accuracy is the mean over folds
    assert len(res.fold_accuracies) == 2
    assert res.accuracy == pytest.approx(sum(res.fold_accuracies) / 2, abs=1e-3)


def test_real_against_noise_and_blur_is_told_apart(real_sets):
    val, test = real_sets
    g = torch.Generator().manual_seed(0)
    noise = two_sample_test(torch.rand(500, 1, 28, 28, generator=g) * 2 - 1, test, n=300)
    assert noise.accuracy == 1.0 and noise.p_value < 1e-20
    blurred = torch.nn.functional.interpolate(torch.nn.functional.avg_pool2d(val, 2), scale_factor=2,
                                              mode="bilinear", align_corners=False)
    assert two_sample_test(blurred, test, n=300).accuracy > 0.9   # subtler than noise, still visible


def test_held_out_accuracy_does_not_reward_memorising(real_sets):
    """A small set is easy to memorise; scoring on the training images would give > 0.6 here."""
    val, test = real_sets
    res = two_sample_test(val, test, n=100, epochs=20)
    assert 0.35 < res.accuracy < 0.65


def test_p_value_is_the_one_sided_normal_tail(real_sets):
    val, test = real_sets
    res = two_sample_test(val[:200], test, n=200)
    n_te = 2 * res.n_real
    z = (res.accuracy - 0.5) * math.sqrt(4 * n_te)
    assert res.p_value == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert set(res.as_dict()) == {"accuracy", "p_value", "n_real", "n_fake", "folds", "fold_accuracies"}


def test_deterministic_for_a_seed_and_global_rng_untouched(real_sets):
    val, test = real_sets
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    a = two_sample_test(val, test, n=200, seed=3)
    assert torch.equal(torch.random.get_rng_state(), before)
    b = two_sample_test(val, test, n=200, seed=3)
    c = two_sample_test(val, test, n=200, seed=4)
    assert a == b
    assert a.fold_accuracies != c.fold_accuracies      # another seed draws other images and folds


def test_default_real_set_is_the_test_split(real_sets):
    val, test = real_sets
    assert two_sample_test(val, n=200) == two_sample_test(val, test, n=200)


def test_uint8_pixels_are_accepted(real_sets):
    val, test = real_sets
    pixels = ((val[:300] + 1) * 127.5).round().to(torch.uint8)[:, 0]
    assert 0.4 < two_sample_test(pixels, test, n=300).accuracy < 0.6


def test_bad_inputs_are_refused(real_sets):
    val, test = real_sets
    with pytest.raises(ValueError, match="uint8"):
        two_sample_test(torch.rand(100, 1, 28, 28) * 255, test)
    with pytest.raises(ValueError, match="shape"):
        two_sample_test(val.reshape(-1, 784), test)
    with pytest.raises(ValueError, match="NaN"):
        two_sample_test(torch.full((50, 1, 28, 28), float("nan")), test)
    with pytest.raises(ValueError, match=f"at least {MIN_PER_SIDE}"):
        two_sample_test(val[:5], test)
    with pytest.raises(ValueError, match="folds"):
        two_sample_test(val, test, folds=1)
    with pytest.raises(ValueError, match="epochs"):
        two_sample_test(val, test, epochs=0)
    with pytest.raises(ValueError, match="n must be"):
        two_sample_test(val[:100], test, n=500)
    with pytest.raises(ValueError, match="too few"):
        two_sample_test(val[:30], test, folds=5)
    with pytest.raises(TypeError, match="torch.Tensor"):
        two_sample_test([[0.0]], test)


def test_evaluate_records_c2st(real_sets):
    val, test = real_sets
    res = evaluate(val[:300], parzen=False, memorise=False)
    assert "c2st" in METRIC_KEYS and 0.4 < res["c2st"] < 0.6
    assert res["c2st"] == pytest.approx(two_sample_test(val[:300], seed=0).accuracy)
    assert evaluate(val[:300], parzen=False, memorise=False, two_sample=False)["c2st"] is None
    own = evaluate(val[:300], real=test[:400], parzen=False, memorise=False)
    assert own["c2st"] == pytest.approx(two_sample_test(val[:300], test[:400], seed=0).accuracy)
