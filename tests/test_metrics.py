"""Tests of gan_utils.metrics: each metric against a case whose answer is known, plus bad inputs."""
from __future__ import annotations

import hashlib
import json
import math
import pickle

import numpy as np
import pytest
import torch
from scipy import stats

from gan_utils.data import from_uint8, grid25, load_mnist, ring8, to_uint8
from gan_utils.metrics import (
    DEFAULT_SIGMAS, FEATURE_DIM, JUDGE_SHA256, METRIC_KEYS, Judge, JudgeError, class_histogram, class_kl,
    classes_covered, conditional_accuracy, count_modes, error_on_fake, error_on_real, error_ratio, evaluate,
    feature_statistics, fid, frechet_distance, frechet_distance_features, gam_battle, histogram_from_probs,
    judge_confidence, judge_features, judge_outputs, judge_path, judge_probs, judge_score, load_judge,
    memorisation, parzen_log_density, parzen_log_likelihood, precision_recall, precision_recall_features,
    reference_features, score_from_probs, train_judge,
)
from gan_utils.metrics._inputs import as_images
from gan_utils.metrics.evaluate import _reference_outputs
from gan_utils.metrics.reference import benchmark, fd_bias, markdown_table, reference_sets


@pytest.fixture(scope="module")
def test_set():
    return load_mnist("test", source="bundled")


@pytest.fixture(scope="module")
def train_set():
    return load_mnist("train", source="bundled")


@pytest.fixture(scope="module")
def val_images():
    return load_mnist("val", source="bundled")[0]


def _some(images, n, seed=0):
    """n images drawn at random (the bundled splits are sorted by class)."""
    return images[torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))[:n]]


# ----------------------------------------------------------------------------- inputs
def test_uint8_images_are_converted_explicitly(test_set):
    x = test_set[0][:20]
    pixels = to_uint8(x)  # (20, 28, 28) uint8
    back = as_images(pixels)
    assert back.shape == (20, 1, 28, 28) and back.dtype == torch.float32
    assert torch.allclose(back, x, atol=1 / 255)
    assert torch.equal(as_images(torch.from_numpy(pixels)), back)


@pytest.mark.parametrize("bad, error, words", [
    (torch.rand(10, 784), ValueError, "shape"),
    (torch.rand(10, 3, 28, 28), ValueError, "shape"),
    (torch.rand(10, 1, 28, 28) * 255, ValueError, "[0, 255]"),
    (torch.rand(10, 1, 28, 28) * 3 - 1.5, ValueError, "[-1, 1]"),
    (torch.randint(0, 255, (10, 28, 28)), TypeError, "uint8"),
    (torch.full((10, 1, 28, 28), float("nan")), ValueError, "NaN"),
    ([[0.0]], TypeError, "torch.Tensor"),
])
def test_bad_images_are_refused_clearly(bad, error, words):
    with pytest.raises(error, match=None) as info:
        as_images(bad)
    assert words in str(info.value)


def test_round_off_is_clamped_without_touching_the_input():
    x = -torch.ones(3, 1, 28, 28)
    x[0, 0, 0, 0] = 1 + 5e-5  # tanh round-off
    assert as_images(x).max() == 1.0 and x[0, 0, 0, 0] > 1


def test_images_in_zero_one_warn():
    with pytest.warns(UserWarning, match=r"\[0, 1\]"):
        as_images(torch.rand(20, 1, 28, 28))


# ----------------------------------------------------------------------------- judge
def test_judge_loads_checked_and_cached():
    judge = load_judge()
    assert isinstance(judge, Judge) and not judge.training
    assert load_judge() is judge
    x = torch.rand(5, 1, 28, 28) * 2 - 1
    assert judge.features(x).shape == (5, FEATURE_DIM)
    assert judge.logits(x).shape == (5, 10)
    assert torch.allclose(judge.probs(x).sum(1), torch.ones(5))
    assert len(JUDGE_SHA256) == 64 and judge_path().stat().st_size < 1_000_000


def test_judge_accuracy_on_bundled_test(test_set):
    x, y = test_set
    acc = (judge_probs(x).argmax(1) == y.numpy()).mean()
    assert acc >= 0.98
    assert abs(acc - load_judge().meta["test_accuracy"]) < 1e-6
    assert conditional_accuracy(x, y) == pytest.approx(acc)
    assert conditional_accuracy(x, (y + 1) % 10) < 0.05


def test_judge_outputs_agree_and_batch(test_set):
    x = torch.cat([test_set[0], test_set[0]])[:1500]
    f, p = judge_outputs(x)  # more than one batch of 1,000
    assert f.shape == (1500, FEATURE_DIM) and p.shape == (1500, 10)
    with torch.no_grad():
        direct = load_judge().features(x[:7]).double().numpy()
    np.testing.assert_allclose(f[:7], direct, rtol=1e-5, atol=1e-5)
    pixels = to_uint8(x[:7])
    np.testing.assert_array_equal(judge_features(pixels), judge_features(from_uint8(pixels)))


def test_missing_judge_says_how_to_rebuild(tmp_path):
    with pytest.raises(JudgeError, match="train-judge"):
        load_judge(tmp_path / "nope.pt")


def test_corrupt_judge_is_refused(tmp_path):
    bad = tmp_path / "judge.pt"
    good = judge_path().read_bytes()
    bad.write_bytes(good[:-100] + b"x" * 100)
    with pytest.raises(JudgeError, match="corrupt.*train-judge"):
        load_judge(bad)
    with pytest.raises(JudgeError, match="could not be read"):  # checksum skipped: the loader still fails
        load_judge(bad, expected_sha256=None)


def test_changed_but_loadable_judge_is_refused_by_its_checksum(tmp_path):
    # A well-formed judge file with one weight changed: only the sha256 check can notice it.
    blob = torch.load(judge_path(), map_location="cpu", weights_only=True)
    first = next(iter(blob["state_dict"]))
    blob["state_dict"][first] = blob["state_dict"][first] + 0.5
    changed = tmp_path / "judge.pt"
    torch.save(blob, changed)
    assert isinstance(load_judge(changed, expected_sha256=None), Judge)  # it is loadable ...
    with pytest.raises(JudgeError, match="corrupt or were changed: sha256"):  # ... and still refused
        load_judge(changed)


class _Evil:
    """Unpickling this calls open(marker, "w"): the marker file appears iff the payload ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_malicious_or_foreign_judge_file_is_refused(tmp_path):
    evil, marker = tmp_path / "evil.pt", tmp_path / "payload-ran"
    torch.save({"state_dict": _Evil(marker)}, evil)
    assert not marker.exists()
    with pytest.raises(JudgeError, match="could not be read"):
        load_judge(evil, expected_sha256=None)
    assert not marker.exists(), "load_judge unpickled arbitrary code (weights_only must stay True)"
    wrong = tmp_path / "wrong.pt"
    torch.save({"state_dict": {"w": torch.zeros(3)}}, wrong)
    with pytest.raises(JudgeError, match="could not be read"):
        load_judge(wrong, expected_sha256=None)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(evil, weights_only=True)


def test_train_judge_writes_a_loadable_file(tmp_path):
    threads = torch.get_num_threads()
    meta = train_judge(tmp_path / "j.pt", epochs=1, n_train=256, verbose=False)
    assert torch.get_num_threads() == threads
    judge = load_judge(tmp_path / "j.pt", expected_sha256=meta["sha256"])
    assert judge.meta["epochs"] == 1 and judge.meta["seed"] == 0
    from gan_utils.metrics.judge import accuracy

    x_test, y_test = load_mnist("test", source="bundled")
    assert meta["test_accuracy"] == judge.meta["test_accuracy"] == accuracy(judge, x_test, y_test)
    assert meta["sha256"] == hashlib.sha256((tmp_path / "j.pt").read_bytes()).hexdigest()
    assert not (tmp_path / "j.tmp").exists()


# ----------------------------------------------------------------------------- Fréchet distance
def _random_cov(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T / d + 0.1 * np.eye(d)


def _psd_sqrt(s):
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def test_frechet_matches_closed_forms():
    assert frechet_distance([1.0], [[4.0]], [3.0], [[9.0]]) == pytest.approx((1 - 3) ** 2 + (2 - 3) ** 2)
    rng = np.random.default_rng(0)
    d = 6
    m1, m2, s1, s2 = rng.normal(size=d), rng.normal(size=d), _random_cov(rng, d), _random_cov(rng, d)
    r = _psd_sqrt(s1)  # Tr (S1 S2)^1/2 = Tr (S1^1/2 S2 S1^1/2)^1/2, by an independent route
    expected = ((m1 - m2) ** 2).sum() + np.trace(s1 + s2) - 2 * np.trace(_psd_sqrt(r @ s2 @ r))
    assert frechet_distance(m1, s1, m2, s2) == pytest.approx(expected, rel=1e-8)
    assert frechet_distance(m1, s1, m1, s1) == pytest.approx(0, abs=1e-8)


def test_frechet_of_gaussian_samples_approaches_closed_form():
    rng = np.random.default_rng(1)
    m1, m2 = np.zeros(3), np.array([1.0, 0.0, -1.0])
    s1, s2 = np.diag([1.0, 2.0, 0.5]), np.diag([2.0, 1.0, 0.5])
    expected = 2.0 + (1 + 2 - 2 * math.sqrt(2)) * 2
    fd = frechet_distance_features(rng.multivariate_normal(m1, s1, 20000), rng.multivariate_normal(m2, s2, 20000))
    assert fd == pytest.approx(expected, abs=0.05)


def test_frechet_of_a_set_with_itself_is_zero_and_order_free():
    f = np.random.default_rng(2).normal(size=(300, 64))
    assert abs(frechet_distance_features(f, f)) < 1e-6
    g = np.random.default_rng(3).normal(size=(300, 64)) + 0.3
    assert frechet_distance_features(f, g) == pytest.approx(frechet_distance_features(f[::-1], g[::-1]), rel=1e-9)


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")  # scipy notes the singular product
def test_frechet_survives_a_singular_covariance():
    s = np.diag([1.0, 2.0])
    assert frechet_distance([1.0, 1.0], np.zeros((2, 2)), [0.0, 0.0], s) == pytest.approx(2.0 + 3.0, abs=1e-4)


def test_frechet_refuses_bad_input():
    with pytest.raises(ValueError, match="imaginary"):
        frechet_distance([0, 0], np.diag([1.0, -1.0]), [0, 0], np.eye(2))
    with pytest.raises(ValueError, match="shapes"):
        frechet_distance([0, 0], np.eye(2), [0, 0, 0], np.eye(3))
    with pytest.raises(ValueError, match="at least d \\+ 1 = 65"):
        feature_statistics(np.zeros((64, 64)))
    with pytest.raises(ValueError, match="65"):
        fid(torch.zeros(10, 1, 28, 28))


def test_fid_on_images(test_set, val_images):
    x = test_set[0]
    assert abs(fid(x)) < 1e-6  # default reference is the bundled test split itself
    real_vs_real = fid(val_images)
    noise = torch.rand(500, 1, 28, 28) * 2 - 1
    assert 0 < real_vs_real < fid(noise)
    assert fid(val_images, real=x) == pytest.approx(real_vs_real, rel=1e-9)


# ----------------------------------------------------------------------------- judge score and classes
def test_score_and_histogram_from_probs():
    one_hot = np.eye(10)[np.arange(100) % 10]
    assert score_from_probs(one_hot) == pytest.approx(10.0)
    assert score_from_probs(np.full((50, 10), 0.1)) == pytest.approx(1.0)
    assert score_from_probs(np.eye(10)[np.zeros(30, int)]) == pytest.approx(1.0)
    h = histogram_from_probs(one_hot[:13])
    assert h.sum() == pytest.approx(1) and h[0] == pytest.approx(2 / 13)
    assert class_kl(np.full(10, 0.1)) == pytest.approx(0)
    assert class_kl(np.eye(10)[3]) == pytest.approx(math.log(10))
    assert classes_covered(np.array([0.5, 0.48, 0.015, 0.005] + [0] * 6)) == 2
    with pytest.raises(ValueError, match="softmax"):
        score_from_probs(np.ones((5, 10)))
    with pytest.raises(ValueError, match="summing to 1"):
        class_kl([0.5, 0.2])


def test_classes_on_real_and_collapsed_images(test_set, train_set):
    x, y = test_set
    assert judge_score(x) > 8.5 and judge_confidence(x) > 0.95
    assert classes_covered(class_histogram(x)) == 10
    ones = train_set[0][train_set[1] == 1][:200]
    hist = class_histogram(ones)
    assert hist[1] > 0.95 and classes_covered(hist) == 1 and judge_score(ones) < 1.3
    with pytest.raises(ValueError, match="labels"):
        conditional_accuracy(x[:10], y[:9])
    with pytest.raises(ValueError, match="0..9"):
        conditional_accuracy(x[:10], torch.full((10,), 10))


# ----------------------------------------------------------------------------- Parzen window
def test_parzen_density_matches_brute_force():
    rng = np.random.default_rng(4)
    centres, x, sigma = rng.normal(size=(50, 3)), rng.normal(size=(7, 3)), 0.7
    brute = [math.log(np.mean([stats.multivariate_normal(c, sigma ** 2 * np.eye(3)).pdf(p) for c in centres]))
             for p in x]
    np.testing.assert_allclose(parzen_log_density(centres, x, sigma), brute, rtol=1e-10)


def test_parzen_density_matches_analytic_gaussian():
    # Gaussian kernels on samples of N(0, 1) estimate N(0, 1 + sigma^2) exactly in expectation.
    rng = np.random.default_rng(5)
    centres, sigma = rng.normal(size=(40000, 1)), 0.3
    x = np.linspace(-2, 2, 9)[:, None]
    expected = stats.norm(0, math.sqrt(1 + sigma ** 2)).logpdf(x[:, 0])
    np.testing.assert_allclose(parzen_log_density(centres, x, sigma), expected, atol=0.03)


def test_parzen_protocol_on_images(train_set, val_images, test_set):
    centres, val, test = _some(train_set[0], 400), _some(val_images, 60), _some(test_set[0], 80)
    res = parzen_log_likelihood(centres, val, test)
    flat = lambda t: ((t.reshape(len(t), -1).double() + 1) / 2).numpy()  # noqa: E731
    val_scores = [parzen_log_density(flat(centres), flat(val), s).mean() for s in DEFAULT_SIGMAS]
    best = DEFAULT_SIGMAS[int(np.argmax(val_scores))]
    ll = parzen_log_density(flat(centres), flat(test), best)
    assert res.sigma == best and res.n_centres == 400 and res.n_test == 80
    assert res.mean == pytest.approx(ll.mean(), rel=1e-9)
    assert res.sem == pytest.approx(ll.std() / math.sqrt(80), rel=1e-9)
    np.testing.assert_allclose(res.val_scores, val_scores, rtol=1e-9)
    noise = parzen_log_likelihood(torch.rand(400, 1, 28, 28) * 2 - 1, val, test)
    assert noise.mean < res.mean
    assert "nats" in str(res)


def test_parzen_refuses_bad_input(val_images):
    with pytest.raises(ValueError, match="sigmas"):
        parzen_log_likelihood(val_images[:10], val_images[:5], val_images[:5], sigmas=[0.1, -1])
    with pytest.raises(ValueError, match="uint8"):
        parzen_log_likelihood(torch.rand(10, 1, 28, 28) * 255, val_images[:5], val_images[:5])
    with pytest.raises(ValueError, match="columns"):
        parzen_log_density(np.zeros((5, 2)), np.zeros((3, 3)), 0.1)


# ----------------------------------------------------------------------------- precision / recall
def test_precision_recall_identical_disjoint_and_dropped_mode():
    rng = np.random.default_rng(6)
    a = rng.normal(size=(400, 8))
    assert precision_recall_features(a, a) == (1.0, 1.0)
    assert precision_recall_features(a + 100, a) == (0.0, 0.0)
    real = np.concatenate([rng.normal(size=(500, 2)), rng.normal(size=(500, 2)) + 50])
    fake = rng.normal(size=(1000, 2))  # covers one of the two clusters only
    p, r = precision_recall_features(fake, real)
    assert p > 0.9 and 0.4 < r < 0.55


def test_precision_recall_on_images(test_set, val_images):
    p, r = precision_recall(test_set[0])
    assert p == 1.0 and r == 1.0
    p, r = precision_recall(val_images)
    assert 0.6 < p <= 1 and 0.6 < r <= 1
    p, r = precision_recall(torch.rand(300, 1, 28, 28) * 2 - 1)
    assert p < 0.1
    with pytest.raises(ValueError, match="k must"):
        precision_recall_features(np.zeros((5, 2)), np.zeros((5, 2)), k=0)
    with pytest.raises(ValueError, match="at least 4"):
        precision_recall_features(np.zeros((3, 2)), np.zeros((5, 2)))


# ----------------------------------------------------------------------------- mode counting
def test_mode_counting_ring_and_grid():
    g = torch.Generator().manual_seed(0)
    ring = ring8()
    perfect = count_modes(ring.sample(4000, g), ring)
    assert perfect.modes_captured == 8 and perfect.n_modes == 8
    assert perfect.high_quality_percent == pytest.approx(100 * (1 - math.exp(-4.5)), abs=1.0)  # 2-D: P(r<=3s)
    collapsed = ring.means[2] + 0.01 * torch.randn(500, 2, generator=g)
    res = count_modes(collapsed, ring)
    assert res.modes_captured == 1 and res.counts[2] == sum(res.counts) and "1/8" in str(res)
    far = count_modes(torch.full((100, 2), 10.0), ring)
    assert far.modes_captured == 0 and far.high_quality_percent == 0
    grid = grid25()
    assert count_modes(grid.sample(5000, g), grid).modes_captured == 25
    explicit = count_modes(collapsed, means=ring.means, std=0.01)
    assert explicit == res


def test_mode_counting_refuses_bad_input():
    ring = ring8()
    with pytest.raises(ValueError, match="either"):
        count_modes(torch.zeros(5, 2))
    with pytest.raises(ValueError, match="either"):
        count_modes(torch.zeros(5, 2), ring, means=ring.means, std=0.1)
    with pytest.raises(ValueError, match="std"):
        count_modes(torch.zeros(5, 2), means=ring.means)
    with pytest.raises(ValueError, match="columns"):
        count_modes(torch.zeros(5, 3), ring)


# ----------------------------------------------------------------------------- GAM
def _pixel_D(x):
    return (x[:, 0, 14, 14] + x[:, 0, 12, 15]).unsqueeze(1)  # "ink in the middle means real"


def _noise_G(seed):
    g = torch.Generator().manual_seed(seed)
    return lambda n: torch.rand(n, 1, 28, 28, generator=g) * 2 - 1


def test_gam_identical_models_tie(test_set):
    # same D, noise generators differing only in seed: here both fool the other's D on exactly
    # 977 of 2,000 samples, so the battle is an exact tie (and r_test is exactly 1)
    res = gam_battle(_noise_G(1), _pixel_D, _noise_G(2), _pixel_D, test_set[0], n_samples=2000)
    assert res.r_test == 1.0 and res.valid
    assert res.errors["D1_on_G2"] == res.errors["D2_on_G1"] == 977 / 2000
    assert res.r_sample == 1.0 and res.winner == "tie"
    assert 0.4 < res.errors["D1_on_G2"] < 0.6


def _darkness_D(x):
    return (-x.mean(dim=(1, 2, 3)) - 0.74).unsqueeze(1)  # "mostly background means real": median real digit at 0


def test_gam_better_generator_wins(test_set, train_set):
    real_G = lambda n: train_set[0][torch.randperm(len(train_set[0]))[:n]]  # noqa: E731  (outputs real digits)
    res = gam_battle(real_G, _darkness_D, _noise_G(3), _darkness_D, test_set[0], n_samples=1000)
    # D1 is never fooled by G2's noise (too bright); D2 takes about half of G1's real digits for real.
    assert res.valid and 0.3 < res.errors["D2_on_G1"] < 0.7 and res.errors["D1_on_G2"] == 0
    assert res.r_sample == 0 and res.winner == "M1"
    swapped = gam_battle(_noise_G(3), _darkness_D, real_G, _darkness_D, test_set[0], n_samples=1000)
    assert swapped.r_sample == math.inf and swapped.winner == "M2"


def test_gam_zero_rules_and_bad_callables(test_set):
    assert error_ratio(0, 0) == 1.0 and error_ratio(0.2, 0) == math.inf and error_ratio(0.2, 0.4) == 0.5
    always_real = lambda x: torch.ones(len(x), 1)  # noqa: E731
    assert error_on_real(always_real, test_set[0][:10]) == 0.0
    assert error_on_fake(always_real, test_set[0][:10]) == 1.0
    with pytest.raises(ValueError, match="one logit"):
        gam_battle(_noise_G(0), lambda x: torch.zeros(len(x), 2), _noise_G(1), _pixel_D, test_set[0][:10], 10)
    with pytest.raises(ValueError, match="n images"):
        gam_battle(lambda n: torch.zeros(3, 1, 28, 28), _pixel_D, _noise_G(1), _pixel_D, test_set[0][:10], 10)
    with pytest.raises(ValueError, match="\\[-1, 1\\]"):
        gam_battle(lambda n: torch.full((n, 1, 28, 28), 5.0), _pixel_D, _noise_G(1), _pixel_D,
                   test_set[0][:10], 10)


# ----------------------------------------------------------------------------- memorisation
def test_memorisation_copies_fresh_and_noise(train_set, val_images, test_set):
    train = train_set[0]
    copies = memorisation(train[100:300])
    assert copies.median_ratio < 0.01 and copies.frac_closer == 1.0
    np.testing.assert_array_equal(copies.nearest_index, np.arange(100, 300))
    fresh = memorisation(val_images, train, test_set[0])
    assert 0.85 < fresh.median_ratio < 1.15 and fresh.frac_closer < 0.05
    noise = memorisation(torch.rand(100, 1, 28, 28) * 2 - 1)
    assert noise.median_ratio > 1.5 and noise.frac_closer == 0
    assert set(copies.as_dict()) == {"median_ratio", "frac_closer", "threshold", "sample_median", "real_median"}
    with pytest.raises(ValueError, match="copies of train"):
        memorisation(val_images[:10], train, train[:50])
    with pytest.raises(ValueError, match="shape"):
        memorisation(torch.zeros(10, 784))


# ----------------------------------------------------------------------------- evaluate
def test_evaluate_returns_the_scoreboard_set(val_images):
    timings: dict = {}
    res = evaluate(_some(val_images, 300), labels=torch.zeros(300, dtype=torch.long), timings=timings)
    assert list(res) == list(METRIC_KEYS)
    json.dumps(res)  # JSON-friendly
    assert res["n_samples"] == 300 and res["fd"] > 0 and res["judge_score"] > 7
    assert res["classes_covered"] == 10 and len(res["histogram"]) == 10
    assert 0.5 < res["precision"] <= 1 and 0.5 < res["recall"] <= 1
    assert res["parzen_sigma"] in DEFAULT_SIGMAS and math.isfinite(res["parzen_ll"])
    assert 0.8 < res["mem_median_ratio"] < 1.2
    assert res["cond_accuracy"] == pytest.approx(res["histogram"][0], abs=0.02)
    assert set(timings) == {"judge", "fd", "classes", "precision_recall", "parzen", "memorisation", "c2st"}


def test_evaluate_options_caching_and_uint8(val_images, test_set):
    x = _some(val_images, 200)
    before = _reference_outputs.cache_info().hits
    fast = evaluate(x, parzen=False, memorise=False)
    assert _reference_outputs.cache_info().hits > before  # reference features are not recomputed
    assert fast["parzen_ll"] is None and fast["mem_median_ratio"] is None and fast["cond_accuracy"] is None
    as_pixels = evaluate(to_uint8(x), parzen=False, memorise=False)
    assert as_pixels["fd"] == pytest.approx(fast["fd"], rel=0.05)
    own = evaluate(x, real=test_set[0][:500], parzen=False, memorise=False)
    assert own["fd"] != fast["fd"]
    np.testing.assert_allclose(reference_features("test"), judge_features(test_set[0]))


def test_evaluate_refuses_bad_input(val_images):
    with pytest.raises(ValueError, match="uint8"):
        evaluate(torch.rand(100, 1, 28, 28) * 255)
    with pytest.raises(ValueError, match="at least 65"):
        evaluate(val_images[:20])
    with pytest.raises(ValueError, match="shape"):
        evaluate(val_images.reshape(-1, 784))
    with pytest.raises(ValueError, match="labels"):
        evaluate(val_images[:100], labels=torch.zeros(99, dtype=torch.long))


# ----------------------------------------------------------------------------- reference tools
def test_reference_helpers():
    sets = reference_sets()
    assert all(v.shape[1:] == (1, 28, 28) and v.min() >= -1 and v.max() <= 1 for v in sets.values())
    row = dict.fromkeys(METRIC_KEYS, 1.0) | {"parzen_ll": None}
    table = markdown_table({"a": row, "b": row})
    assert table.count("\n") == 13 and "n/a" in table
    rng = np.random.default_rng(0)
    bias = fd_bias(sizes=(100, 200, 400), draws=2, train_features=rng.normal(size=(400, 8)),
                   test_features=rng.normal(size=(300, 8)))
    assert bias.count("±") == 4 and bias.count("n/a") == 1 and "300 test" in bias
    values = [float(line.split("|")[3].split("±")[0]) for line in bias.splitlines()[2:4]]
    assert values[0] > values[1] > 0  # the bias shrinks as n grows
    res = benchmark(n=100, repeats=1)
    assert res["n"] == 100 and res["median_warm_total"] > 0


# ----------------------------------------------------------------------------- beside_references
def test_reference_points_are_ceiling_and_floor():
    from gan_utils.metrics import reference_points
    pts = reference_points()
    real, noise = pts["real (val vs test)"], pts["uniform noise"]
    assert real["n_samples"] == noise["n_samples"] == 999
    assert real["fd"] < 10 < 1000 < noise["fd"]              # real data near 0, noise far away
    assert real["recall"] > 0.8 and noise["recall"] < 0.05
    assert real["classes_covered"] == 10 and noise["classes_covered"] <= 2
    assert noise["confidence"] > 0.9                        # the trap the table's last column warns about
    pts["uniform noise"]["fd"] = -1.0                       # a copy: the cache is not mutated
    assert reference_points()["uniform noise"]["fd"] > 1000


def test_beside_references_table():
    from gan_utils.metrics import beside_references, reference_points
    model = {"fd": 181.24, "precision": 0.5912, "recall": 0.25, "judge_score": 7.5, "confidence": 0.86,
             "classes_covered": 10}
    text = beside_references({"01 GAN": model}, keys=("fd", "precision", "classes_covered"))
    lines = text.splitlines()
    assert lines[0].split()[:5] == ["metric", "01", "GAN", "real", "(val"]
    fd_row = next(line for line in lines if line.startswith("Fréchet distance"))
    real_fd = reference_points()["real (val vs test)"]["fd"]
    assert fd_row.split()[2:4] == ["181.2", f"{real_fd:.1f}"]
    assert "lower is better" in fd_row
    assert next(line for line in lines if line.startswith("classes")).split()[5] == "10"
    assert not any(line.startswith("recall") for line in lines)          # only the keys asked for
    missing = beside_references({"m": {"fd": None}}, keys=("fd", "cond_accuracy"))
    assert "n/a" in next(line for line in missing.splitlines() if line.startswith("Fréchet"))
    assert "999 held-out real digits" in lines[-1]


@pytest.mark.parametrize("scores, keys, match", [
    ({}, ("fd",), "non-empty dict"),
    ([("a", {})], ("fd",), "non-empty dict"),
    ({"a": 3.0}, ("fd",), "must be a dict of metrics"),
    ({"a": {}}, ("fid",), "unknown metric"),
    ({"a": {}}, (), "unknown metric"),
])
def test_beside_references_bad_input(scores, keys, match):
    from gan_utils.metrics import beside_references
    with pytest.raises(ValueError, match=match):
        beside_references(scores, keys=keys)


# ---- mutation survivors (issue 18)
def _line(*xs):
    """Points on the x-axis of the plane, (n, 2) float32 (integer coordinates keep distances exact)."""
    return np.array([[x, 0.0] for x in xs], np.float32)


def test_kth_neighbour_radius_is_the_kth_other_point():
    from gan_utils.metrics.knn import kth_neighbour_radius

    x = torch.from_numpy(_line(0, 1, 3, 6, 10))
    assert kth_neighbour_radius(x, 1).tolist() == [1, 1, 2, 3, 4]
    assert kth_neighbour_radius(x, 2).tolist() == [3, 2, 3, 4, 7]


def test_precision_recall_counts_points_on_the_radius_as_inside():
    real = _line(0, 1, 3, 6, 10)  # 1-NN radii 1, 1, 2, 3, 4
    # -1 lies exactly on the ball of 0 (radius 1); 100 is far from everything.
    assert precision_recall_features(_line(-1, 100), real, k=1).precision == 0.5
    assert precision_recall_features(_line(-1.01, 100), real, k=1).precision == 0.0
    # with k = 2 the radii are 3, 2, 3, 4, 7: -3 is on the ball of 0, 17 on the ball of 10
    assert precision_recall_features(_line(-3, 17, 50), real, k=2).precision == pytest.approx(2 / 3)
    # recall: the real points inside the fakes' balls (fake 1-NN radii: 0 -> 1, 1 -> 1)
    assert precision_recall_features(_line(0, 1), real, k=1).recall == pytest.approx(2 / 5)


def test_precision_recall_cuts_the_larger_set_to_the_smaller(test_set, val_images):
    from gan_utils.metrics.knn import match_sizes

    fake = _some(val_images, 150)
    f, r = judge_features(fake), judge_features(test_set[0])
    cut = precision_recall_features(*match_sizes(f, r, 0))
    assert precision_recall(fake, test_set[0]) == cut
    uncut = precision_recall(fake, test_set[0], equal_size=False)
    assert uncut == precision_recall_features(f, r) and uncut != cut
    a, b = match_sizes(f, r, 0)
    assert a is f and len(b) == 150 and (np.diff([np.flatnonzero((r == row).all(1))[0] for row in b]) > 0).all()
    assert not np.array_equal(match_sizes(f, r, 1)[1], b)  # the seed picks the subset


def test_mode_counting_uses_each_modes_own_std_and_min_count():
    means = [[0.0, 0.0], [10.0, 0.0]]
    x = torch.tensor([[0.5, 0.0], [12.0, 0.0], [0.2, 0.0], [0.1, 0.0], [0.0, 0.25]])
    res = count_modes(x, means=means, std=[0.1, 1.0])  # quality radii 0.3 and 3.0
    assert res.counts == (3, 1) and res.modes_captured == 2 and res.high_quality_percent == pytest.approx(80.0)
    assert count_modes(x, means=means, std=[0.1, 1.0], min_count=2).modes_captured == 1
    assert count_modes(x, means=means, std=[0.1, 1.0], min_count=3).modes_captured == 1
    assert count_modes(x, means=means, std=[0.1, 1.0], min_count=4).modes_captured == 0
    assert count_modes(x, means=means, std=0.1).counts == (3, 0)  # one number is every mode's std
    with pytest.raises(ValueError, match="min_count"):
        count_modes(x, means=means, std=0.1, min_count=0)


def test_evaluate_parzen_sigma_is_chosen_on_val_and_scored_on_test(val_images):
    from gan_utils.metrics.evaluate import _bundled

    x = _some(val_images, 100)
    res = evaluate(x, memorise=False)
    direct = parzen_log_likelihood(x, _bundled("val"), _bundled("test"))
    assert (res["parzen_ll"], res["parzen_sem"], res["parzen_sigma"]) == (direct.mean, direct.sem, direct.sigma)
    on_test = parzen_log_likelihood(x, _bundled("test"), _bundled("test"))
    assert (on_test.mean, on_test.sigma) != (direct.mean, direct.sigma)  # the choice of split matters here


def test_evaluate_cond_accuracy_compares_with_the_asked_labels():
    x, y = load_mnist("val", source="bundled")
    keep = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))[:200]
    x, y = x[keep], y[keep]
    _, probs = judge_outputs(x)
    res = evaluate(x, labels=y, parzen=False, memorise=False)
    assert res["cond_accuracy"] == float((probs.argmax(1) == y.numpy()).mean()) and res["cond_accuracy"] > 0.9
    wrong = evaluate(x, labels=(y + 1) % 10, parzen=False, memorise=False)
    assert wrong["cond_accuracy"] < 0.1


def test_evaluate_memorisation_uses_the_given_train_and_held_out(val_images, test_set):
    train, held_out = val_images[:300], test_set[0][:200]
    res = evaluate(train[:100], parzen=False, train=train, held_out=held_out)  # copies of the given train set
    mem = memorisation(train[:100], train, held_out)
    assert res["mem_median_ratio"] == mem.median_ratio == 0.0 and res["mem_frac_closer"] == 1.0
    default = evaluate(train[:100], parzen=False)  # val images are not in the bundled train split
    assert default["mem_median_ratio"] > 0.5


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")
def test_frechet_fallback_adds_eps_to_both_covariances_when_the_root_is_not_finite():
    from scipy import linalg

    s1, s2 = np.diag([1.0, 0.0]), np.array([[0.0, 1.0], [1.0, 0.0]])  # S1 S2 = [[0, 1], [0, 0]] has no root
    assert not np.isfinite(linalg.sqrtm(s1 @ s2)).all()
    # (S1 + I)(S2 + I) = [[2, 2], [1, 1]] has eigenvalues 3 and 0: Tr sqrt = sqrt(3)
    assert frechet_distance([0.0, 0.0], s1, [0.0, 0.0], s2, eps=1.0) == pytest.approx(1 - 2 * math.sqrt(3))
    assert frechet_distance([1.0, 0.0], s1, [0.0, 0.0], s2, eps=1.0) == pytest.approx(2 - 2 * math.sqrt(3))


def test_gam_exact_tie_is_a_tie_and_unequal_test_errors_are_not_valid(test_set):
    x = test_set[0]
    same = gam_battle(_noise_G(4), _pixel_D, _noise_G(4), _pixel_D, x, n_samples=500)
    assert same.r_sample == 1.0 and same.winner == "tie" and same.r_test == 1.0 and same.valid
    always_real = lambda images: torch.ones(len(images), 1)  # noqa: E731  never errs on real images
    lopsided = gam_battle(_noise_G(4), always_real, _noise_G(5), _pixel_D, x, n_samples=500)
    assert lopsided.errors["D1_test"] == 0 and lopsided.errors["D2_test"] > 0
    assert lopsided.r_test == 0 and not lopsided.valid
    assert lopsided.errors["D1_on_G2"] == 1.0 and lopsided.winner == "M2"  # D1 takes all of G2's noise for real
