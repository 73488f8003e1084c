"""Tests for gan_utils.widgets: controls, one figure updated in place, and degradation without a frontend.

``frontend`` stands in for a notebook: it records every output the explorer displays and applies
display-id updates to them, the way JupyterLab does; the real browser check is in tests/browser/.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from gan_utils import widgets  # noqa: E402


def draw(a: float = 0.0, colour: str = "red"):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, a], color=colour)
    ax.set_title(f"a = {a}, {colour}")
    return fig


class Handle:
    def __init__(self, frontend: "Frontend", index: int):
        self.frontend, self.index = frontend, index

    def update(self, obj, **kwargs):
        self.frontend.outputs[self.index] = obj
        self.frontend.updates.append(self.index)


class Frontend:
    """A notebook's output list: display() appends, a display handle's update() replaces in place."""

    def __init__(self):
        from IPython.core.formatters import DisplayFormatter

        self.outputs: list = []
        self.updates: list[int] = []
        self.kernel = object()                   # what widgets_available() looks for
        self.display_formatter = DisplayFormatter()

    def display(self, *objs, display_id=None, **kwargs):
        self.outputs += objs
        return Handle(self, len(self.outputs) - 1) if display_id else None

    def text(self, i: int) -> str:
        """The text form of output i, as a text-only viewer (or the browser test) reads it."""
        obj = self.outputs[i]
        if isinstance(obj, dict):
            return obj["text/plain"]
        bundle = getattr(obj, "_repr_mimebundle_", None)
        return bundle()["text/plain"] if bundle else repr(obj)

    def figures(self) -> list[int]:
        return [i for i, o in enumerate(self.outputs) if self.text(i).startswith("figure:")
                or type(o).__name__ == "Figure"]


@pytest.fixture
def frontend(monkeypatch):
    pytest.importorskip("ipywidgets")
    import IPython
    import IPython.display

    fe = Frontend()
    monkeypatch.setattr(IPython, "get_ipython", lambda: fe)
    monkeypatch.setattr(IPython.display, "display", fe.display)
    return fe


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

    open_before = plt.get_fignums()
    out = widgets.explore(recording_draw, {"a": widgets.Slider(0, 2, 1.5)}, [widgets.Action("go", lambda: None)])
    assert out is None and seen == [{"a": 1.5}]
    assert "ipywidgets" in capsys.readouterr().out
    assert not widgets.widgets_available()  # plain pytest has no kernel
    assert plt.get_fignums() == open_before  # the figure is closed once shown


def test_explore_requires_a_figure():
    with pytest.raises(TypeError, match="matplotlib Figure"):
        widgets.explore(lambda: None)


def test_figure_caption_lists_suptitle_then_axes_titles():
    fig, (left, right) = plt.subplots(1, 2)
    fig.suptitle("DCGAN G")
    left.set_title("pair 1")
    right.set_title("t = 0.50")
    right.set_title("spherical", loc="right")
    assert widgets.figure_caption(fig) == "figure: DCGAN G | pair 1 | t = 0.50 | spherical"
    assert widgets.figure_caption(plt.figure()) == "figure: (untitled)"
    plt.close("all")


def test_one_figure_above_the_controls_is_updated_in_place(frontend):
    state = {"steps": 0}

    def stepped_draw(a=0.0, colour="red"):
        fig = draw(a, colour)
        fig.suptitle(f"after {state['steps']} steps")
        return fig

    open_before = plt.get_fignums()
    box = widgets.explore(stepped_draw, {"a": widgets.Slider(0, 4, 2, 1), "colour": widgets.Choice(["red", "blue"], "red")},
                          [widgets.Action("step", lambda: state.update(steps=state["steps"] + 1))])
    assert frontend.outputs[1] is box and frontend.figures() == [0]
    assert frontend.text(0) == "figure: after 0 steps | a = 2, red"
    buttons, slider, choice, _errors = box.children
    slider.value = 3
    assert frontend.figures() == [0] and frontend.text(0) == "figure: after 0 steps | a = 3, red"
    choice.value = "blue"
    buttons.children[0].click()
    assert frontend.text(0) == "figure: after 1 steps | a = 3, blue"   # the action ran before the redraw
    assert len(frontend.outputs) == 2 and frontend.updates == [0, 0, 0]
    assert plt.get_fignums() == open_before


def test_static_false_keeps_the_place_above_the_controls(frontend):
    box = widgets.explore(draw, {"a": widgets.Slider(0, 4, 2, 1)}, static=False)
    assert frontend.text(0) == "" and frontend.outputs[1] is box
    box.children[0].value = 4
    assert frontend.text(0) == "figure: a = 4, red" and len(frontend.outputs) == 2


def test_saved_controls_read_as_a_hint_not_a_widget_repr(frontend):
    box = widgets.explore(draw, {"a": widgets.Slider(0, 4, 2, 1)})
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == widgets.CONTROLS_TEXT == "interactive controls: run the notebook to use them"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == box.model_id


def test_widgets_are_sized_to_their_labels(frontend):
    box = widgets.explore(lambda a, colour, n: draw(a, colour),
                          {"a": widgets.Slider(0, 4, 2, 1, label="a long slider label"),
                                 "colour": widgets.Choice(["red", "with gradient arrows"], "red"),
                                 "n": widgets.Choice(list(range(12)), 3)},
                          [widgets.Action("train 100 steps", lambda: None)])
    buttons, slider, toggles, dropdown, _errors = box.children
    assert type(slider).__name__ == "IntSlider" and slider.value == 2 and slider.description == "a long slider label"
    assert type(toggles).__name__ == "ToggleButtons" and type(dropdown).__name__ == "Dropdown"
    assert buttons.children[0].layout.width == "auto"
    assert toggles.style.button_width == "auto"
    assert {w.style.description_width for w in (slider, toggles, dropdown)} == {"initial"}


def test_a_failing_draw_or_action_leaves_the_figure(frontend):
    """A draw that returns no Figure raises; a failing action skips the redraw (ipywidgets logs its error)."""
    calls = {"n": 0}

    def flaky(a=0.0):
        calls["n"] += 1
        if calls["n"] > 1:
            return None
        return draw(a)

    box = widgets.explore(flaky, {"a": widgets.Slider(0, 4, 2, 1)},
                          [widgets.Action("boom", lambda: 1 / 0)])
    with pytest.raises(TypeError, match="matplotlib Figure"):
        box.children[1].value = 3
    box.children[0].children[0].click()
    assert calls["n"] == 2                    # no redraw after the failed action
    assert frontend.text(0) == "figure: a = 2, red" and frontend.updates == []


def test_a_notebook_executed_headless_saves_the_figure_caption_and_the_controls_hint(tmp_path):
    """What a committed notebook keeps (no widget state): the figure with its title as text, then the hint."""
    pytest.importorskip("ipywidgets")
    nbclient = pytest.importorskip("nbclient")
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "from gan_utils.widgets import Action, Slider, explore\n"
        "def draw(a=1):\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.set_title(f'a = {a}')\n"
        "    return fig\n"
        "box = explore(draw, {'a': Slider(0, 2, 1, 1)}, [Action('go', lambda: None)])")])
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    figure, controls = nb.cells[0].outputs
    assert figure.output_type == "display_data" and "image/png" in figure.data
    assert figure.data["text/plain"] == "figure: a = 1"
    assert "application/vnd.jupyter.widget-view+json" in controls.data
    assert controls.data["text/plain"] == widgets.CONTROLS_TEXT
