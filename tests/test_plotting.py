"""Tests for gan_utils.plotting: every figure function, and bad inputs."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gan_utils import plotting  # noqa: E402
from gan_utils.training import History  # noqa: E402


def history() -> History:
    h = History(steps=list(range(100)), losses={"d_loss": list(np.linspace(1.4, 1.0, 100)), "g_loss": [0.7] * 100})
    h.snapshots = [(s, torch.rand(10, 1, 28, 28) * 2 - 1) for s in (0, 50, 100)]
    return h


def test_image_grid_layout_and_range():
    g = plotting.image_grid(torch.full((12, 1, 28, 28), -1.0), nrow=5, padding=2)
    assert g.shape == (3 * 30 + 2, 5 * 30 + 2) and g.min() == 0.0 and g.max() == 1.0  # black digits, white padding
    g8 = plotting.image_grid(np.full((3, 28, 28), 255, dtype=np.uint8), nrow=3)
    assert g8.shape == (32, 92) and np.allclose(g8, 1.0)


def test_image_inputs_are_checked():
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        plotting.image_grid(torch.full((2, 1, 28, 28), 255.0))
    with pytest.raises(ValueError, match="shape"):
        plotting.image_grid(torch.zeros(2, 2, 28, 28))
    with pytest.raises(ValueError, match="N > 0"):
        plotting.image_grid(torch.zeros(0, 1, 28, 28))
    with pytest.raises(TypeError, match="tensor or array"):
        plotting.image_grid([[0.0]])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nrow"):
        plotting.image_grid(torch.zeros(2, 1, 28, 28), nrow=0)


def test_figures_return_figures_when_not_shown():
    x = torch.rand(20, 1, 28, 28) * 2 - 1
    assert isinstance(plotting.show_images(x, nrow=10, title="t", show=False), Figure)
    assert isinstance(plotting.show_rows([x[:5], x[5:10]], ["a", "b"], show=False), Figure)
    assert isinstance(plotting.plot_losses(history(), reference={"log 4": float(np.log(4))}, show=False), Figure)
    fig = plotting.plot_snapshots(history(), n=4, show=False)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    ring = torch.randn(50, 2)
    fig = plotting.plot_2d(ring, real=ring + 1, critic=lambda p: p[:, 0], title="toy", show=False)
    assert isinstance(fig, Figure) and len(fig.axes) == 2  # scatter + colour bar


def test_show_true_returns_none_and_closes():
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    assert plotting.show_images(torch.zeros(3, 1, 28, 28)) is None
    assert len(plt.get_fignums()) == before


def test_plot_bad_inputs():
    with pytest.raises(ValueError, match="no losses"):
        plotting.plot_losses(History(), show=False)
    with pytest.raises(ValueError, match="snapshots"):
        plotting.plot_snapshots(History(), show=False)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plotting.plot_2d(torch.zeros(5, 3), show=False)
    with pytest.raises(ValueError, match="one label per row"):
        plotting.show_rows([torch.zeros(2, 1, 28, 28)], ["a", "b"], show=False)


def test_smooth():
    assert np.allclose(plotting.smooth([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5])
    assert np.allclose(plotting.smooth([5.0], 10), [5.0])


def test_snapshot_rows_are_evenly_spaced_in_steps():
    # snapshots every 100 steps plus a last one at 1000 and an early burst: rows follow the steps
    steps = [0, 10, 20, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
    assert plotting.snapshot_rows(steps, 5) == [0, 5, 8, 10, 13]        # steps 0, 250->200 (tie: earlier), 500, 750->700, 1000
    assert plotting.snapshot_rows(steps, 1) == [0]
    assert plotting.snapshot_rows([0, 5, 6], 8) == [0, 1, 2]            # fewer snapshots than rows: all, once each
    for bad, rows in (([], 4), ([0, 1], 0)):
        with pytest.raises(ValueError):
            plotting.snapshot_rows(bad, rows)


def test_plot_snapshots_title_names_the_model():
    fig = plotting.plot_snapshots(history(), n=4, title="02 DCGAN: the same z", show=False)
    assert fig._suptitle.get_text() == "02 DCGAN: the same z"
    assert plotting.plot_snapshots(history(), n=4, show=False)._suptitle.get_text() == "the same z over training"


def test_plot_losses_keys_picks_the_series_and_rejects_unknown_ones():
    h = history()
    h.losses["D(G(z))"] = [0.5] * 100
    fig = plotting.plot_losses(h, keys=("d_loss", "g_loss"), show=False)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["d_loss", "g_loss"]
    assert len(plotting.plot_losses(h, show=False).axes[0].get_lines()) == 3   # default: every series
    with pytest.raises(ValueError, match="D\\(x\\)"):
        plotting.plot_losses(h, keys=("D(x)",), show=False)
    with pytest.raises(ValueError, match="no series"):
        plotting.plot_losses(h, keys=(), show=False)


def test_plot_snapshots_until_keeps_only_the_early_rows():
    h = history()                                   # snapshots at steps 0, 50, 100
    fig = plotting.plot_snapshots(h, n=4, until=60, show=False)
    assert [ax.get_ylabel() for ax in fig.axes] == ["step 0", "step 50"]
    assert len(plotting.plot_snapshots(h, n=4, until=100, show=False).axes) == 3
    with pytest.raises(ValueError, match="first is at step 0"):
        plotting.plot_snapshots(h, until=-1, show=False)


def test_plot_2d_draws_modes_on_top_and_real_data_over_samples():
    pts, real = torch.randn(50, 2), torch.randn(40, 2)
    modes = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    fig = plotting.plot_2d(pts, real=real, modes=modes, real_on_top=True, critic=lambda p: p[:, 0],
                           critic_cmap="Greys", show=False)
    ax = fig.axes[0]
    by_label = {c.get_label(): c for c in ax.collections if c.get_label() in ("generated", "real", "mode centres")}
    assert np.allclose(by_label["mode centres"].get_offsets(), modes.numpy())
    assert by_label["real"].get_zorder() > by_label["mode centres"].get_zorder() > by_label["generated"].get_zorder()
    assert ax.collections[0].get_cmap().name == "Greys"               # the contour's colour map
    default = plotting.plot_2d(pts, real=real, show=False).axes[0]   # default: samples over the data
    z = {c.get_label(): c.get_zorder() for c in default.collections}
    assert z["generated"] > z["real"] and "mode centres" not in z
    with pytest.raises(ValueError, match="modes must be"):
        plotting.plot_2d(pts, modes=torch.zeros(3), show=False)


def test_plot_losses_can_name_reference_lines_in_the_legend():
    refs = {"log 4": float(np.log(4)), "log 2": float(np.log(2))}
    ax = plotting.plot_losses(history(), reference=refs, reference_in_legend=True, show=False).axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["d_loss", "g_loss", "log 4", "log 2"]
    assert not ax.texts                                               # no annotation left to be covered
    ax = plotting.plot_losses(history(), reference=refs, show=False).axes[0]
    assert [t.get_text() for t in ax.texts] == ["log 4", "log 2"]    # default: names written on the lines


# ---- mutation survivors (issue 18)
def test_plot_losses_draws_the_smoothed_curves_with_the_window_asked_for():
    h = history()
    h.losses["d_loss"] = [float(i % 2) for i in range(100)]  # 0, 1, 0, 1, ...: smoothing shows
    fig = plotting.plot_losses(h, window=4, show=False)
    ax = fig.axes[0]
    d_line = [ln for ln in ax.lines if ln.get_label() == "d_loss"][0]
    np.testing.assert_allclose(d_line.get_ydata(), plotting.smooth(h.losses["d_loss"], 4))
    np.testing.assert_allclose(d_line.get_ydata()[3:], 0.5)
    assert list(d_line.get_xdata()) == h.steps and "over 4 steps" in ax.get_title()
    default = plotting.plot_losses(h, show=False).axes[0]  # default window: 100 steps // 50 = 2
    assert "over 2 steps" in default.get_title()
    np.testing.assert_allclose(default.lines[0].get_ydata(), plotting.smooth(h.losses["d_loss"], 2))


def test_smooth_is_a_trailing_moving_average():
    np.testing.assert_allclose(plotting.smooth([0, 3, 6, 9, 12], 3), [0, 1.5, 3, 6, 9])
    np.testing.assert_allclose(plotting.smooth([2, 4], 1), [2, 4])
    assert len(plotting.smooth([], 5)) == 0
