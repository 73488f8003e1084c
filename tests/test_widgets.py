"""Tests for gan_utils.widgets: controls, and graceful degradation without a frontend."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from gan_utils import widgets  # noqa: E402


def draw(a: float = 0.0, colour: str = "red"):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, a], color=colour)
    return fig


def test_controls_validate_and_give_defaults():
    controls = {"a": widgets.Slider(0, 2, 1, 0.5), "colour": widgets.Choice(["red", "blue"], "blue")}
    assert widgets.defaults(controls) == {"a": 1, "colour": "blue"}
    with pytest.raises(ValueError, match="low <= value <= high"):
        widgets.Slider(0, 1, 2)
    with pytest.raises(ValueError, match="step > 0"):
        widgets.Slider(0, 1, 0.5, step=0)
    with pytest.raises(ValueError, match="not among the options"):
        widgets.Choice([1, 2], 3)


def test_explore_without_frontend_draws_default_and_says_so(capsys):
    seen = []

    def recording_draw(**values):
        seen.append(values)
        return draw(**values)

    out = widgets.explore(recording_draw, {"a": widgets.Slider(0, 2, 1.5)}, [widgets.Action("go", lambda: None)])
    assert out is None and seen == [{"a": 1.5}]
    assert "ipywidgets" in capsys.readouterr().out
    assert not widgets.widgets_available()  # plain pytest has no kernel


def test_explore_requires_a_figure():
    with pytest.raises(TypeError, match="matplotlib Figure"):
        widgets.explore(lambda: None)


def test_widget_construction_when_available(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setattr(widgets, "widgets_available", lambda: True)
    clicks = []
    box = widgets.explore(draw, {"a": widgets.Slider(0, 4, 2, 1), "colour": widgets.Choice(["red", "blue"], "red")},
                          [widgets.Action("click", lambda: clicks.append(1))], static=False)
    buttons, slider, choice, _out = box.children
    assert type(slider).__name__ == "IntSlider" and slider.value == 2
    assert type(choice).__name__ == "ToggleButtons"
    buttons.children[0].click()
    slider.value = 3
    assert clicks == [1]
