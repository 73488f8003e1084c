"""Interactive explorers that degrade to a static figure where no widget frontend exists.

Each explorer is a thin wrapper over a *pure* drawing function ``draw(**values)``
that returns a matplotlib Figure; pytest calls that function directly. The
wrapper:

1. always draws the figure once with the default values and displays it, so a
   notebook opened on GitHub, executed headless, or run without ipywidgets still
   shows a picture;
2. then, where ipywidgets is installed and a kernel runs, shows the controls;
   moving them redraws into an output area under the controls.

Controls are described with small dataclasses (:class:`Slider`, :class:`Choice`)
so this module, not each notebook, deals with ipywidgets. Buttons that change
state (``step D``, ``step G`` in 01_minimax_gan) are :class:`Action` objects: a
function run on click, followed by a redraw.

Taught in 01_minimax_gan §"Look" (the GAN-Lab-style toy); used by 02 (latent
slider), 03 (label picker), 04, 05, 06 and 07.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Slider:
    """A numeric slider from ``low`` to ``high`` in steps of ``step``, starting at ``value``."""

    low: float
    high: float
    value: float
    step: float = 0.01
    label: str | None = None

    def __post_init__(self) -> None:
        if not (self.low <= self.value <= self.high) or self.step <= 0:
            raise ValueError(f"Slider needs low <= value <= high and step > 0, got {self}")


@dataclass(frozen=True)
class Choice:
    """A drop-down / toggle among ``options`` starting at ``value``."""

    options: Sequence[Any]
    value: Any
    label: str | None = None

    def __post_init__(self) -> None:
        if self.value not in list(self.options):
            raise ValueError(f"Choice value {self.value!r} is not among the options {list(self.options)}")


@dataclass(frozen=True)
class Action:
    """A button labelled ``label`` that runs ``fn()`` and then redraws."""

    label: str
    fn: Callable[[], Any] = field(compare=False)


def defaults(controls: Mapping[str, Slider | Choice]) -> dict[str, Any]:
    """The starting value of every control."""
    return {name: c.value for name, c in controls.items()}


def _display(obj: Any) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is not None:
        display(obj)


def widgets_available() -> bool:
    """True when ipywidgets can be imported and we run inside an IPython kernel."""
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _make_widget(name: str, c: Slider | Choice):
    import ipywidgets as W

    label = c.label or name
    if isinstance(c, Slider):
        is_int = all(float(v).is_integer() for v in (c.low, c.high, c.value, c.step))
        cls = W.IntSlider if is_int else W.FloatSlider
        cast = int if is_int else float
        return cls(min=cast(c.low), max=cast(c.high), step=cast(c.step), value=cast(c.value),
                   description=label, continuous_update=False)
    if len(c.options) <= 10:
        return W.ToggleButtons(options=list(c.options), value=c.value, description=label)
    return W.Dropdown(options=list(c.options), value=c.value, description=label)


def explore(draw: Callable[..., Figure], controls: Mapping[str, Slider | Choice] | None = None,
            actions: Sequence[Action] = (), static: bool = True) -> Any:
    """Show ``draw(**values)`` with controls; return the ipywidgets box (or ``None`` without widgets).

    The default-valued figure is drawn first (``static=True``) so every reader sees
    a result even where widgets cannot render.
    """
    controls = dict(controls or {})
    values = defaults(controls)
    if static:
        fig = draw(**values)
        if not isinstance(fig, Figure):
            raise TypeError(f"draw() must return a matplotlib Figure, got {type(fig).__name__}")
        _display(fig)
        plt.close(fig)
    if not widgets_available():
        if controls or actions:
            print("(interactive controls need ipywidgets in a running Jupyter kernel; showing the default view)")
        return None
    import ipywidgets as W

    out = W.Output()
    ctl = {name: _make_widget(name, c) for name, c in controls.items()}

    def redraw(*_: Any) -> None:
        with out:
            out.clear_output(wait=True)
            fig = draw(**{n: w.value for n, w in ctl.items()})
            _display(fig)
            plt.close(fig)

    for w in ctl.values():
        w.observe(redraw, names="value")
    buttons = []
    for a in actions:
        b = W.Button(description=a.label)

        def on_click(_: Any, fn: Callable[[], Any] = a.fn) -> None:
            fn()
            redraw()

        b.on_click(on_click)
        buttons.append(b)
    box = W.VBox(([W.HBox(buttons)] if buttons else []) + [*ctl.values(), out])
    _display(box)
    return box
