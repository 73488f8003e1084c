"""Interactive explorers that degrade to a static figure where no widget frontend exists.

Each explorer is a thin wrapper over a *pure* drawing function ``draw(**values)``
that returns a matplotlib Figure; pytest calls that function directly. The
wrapper keeps **one** figure on screen:

1. it draws the figure once with the default values and displays it with a
   display id, so a notebook opened on GitHub, executed headless, or run without
   ipywidgets still shows a picture;
2. where ipywidgets is installed and a kernel runs, it shows the controls under
   that figure; every change of a control (and every button press) redraws and
   *replaces that same figure in place* through its display handle
   (``display(..., display_id=True)`` then ``handle.update(...)``), so the picture
   next to the controls is always the live one. Errors and anything an action
   prints appear in a small output area under the controls.

The figure's text form (what a text-only viewer shows, and what the browser tests
read) is its title(s), e.g. ``figure: pair 1, spherical path | t = 0.50``, see
:func:`figure_caption`. Opened without a kernel, the controls' saved text form is
:data:`CONTROLS_TEXT` rather than ipywidgets' ``VBox(children=...`` repr.

Controls are described with small dataclasses (:class:`Slider`, :class:`Choice`)
so this module, not each notebook, deals with ipywidgets. Buttons that change
state (``step D``, ``step G`` in 01_minimax_gan) are :class:`Action` objects: a
function run on click, followed by a redraw. Labels are sized to their text
(``width: auto``), so none is cut off.

Taught in 01_minimax_gan §"Look" (the GAN-Lab-style toy); used by 00 (data
browser), 02 (latent walk), 03 (label picker), 04, 05, 06 and 07. Tested without a
frontend in ``tests/test_widgets.py`` and in a real browser in ``tests/browser/``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

#: The plain-text form of the controls, shown where a saved notebook has no widget state.
CONTROLS_TEXT = "interactive controls: run the notebook to use them"


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


def figure_caption(fig: Figure) -> str:
    """The figure's titles as one line: ``"figure: <suptitle> | <axes titles...>"``.

    This is the figure's ``text/plain`` form in the notebook: a text-only viewer shows
    it instead of ``<Figure size 400x400 with 2 Axes>``, and the browser tests read it to
    check that the figure next to the controls changed.
    """
    titles = []
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        titles.append(fig._suptitle.get_text())
    for ax in fig.axes:
        titles += [t for t in (ax.get_title(loc) for loc in ("left", "center", "right")) if t]
    return "figure: " + (" | ".join(titles) if titles else "(untitled)")


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _bundle(fig: Figure) -> tuple[dict, dict]:
    """The figure rendered the way the shell renders figures (PNG inline), captioned by its titles."""
    data, metadata = _shell().display_formatter.format(fig)
    return {**data, "text/plain": figure_caption(fig)}, metadata


def _show_figure(fig: Figure, handle: Any = None) -> Any:
    """Display ``fig`` (or replace what ``handle`` shows with it) and close it; return the handle.

    Outside IPython nothing is displayed and ``None`` is returned.
    """
    try:
        if _shell() is None:
            return None
        from IPython.display import display

        data, metadata = _bundle(fig)
        if handle is None:
            return display(data, metadata=metadata, raw=True, display_id=True)
        handle.update(data, metadata=metadata, raw=True)
        return handle
    finally:
        plt.close(fig)


def _reserve_place() -> Any:
    """An empty output with a display id, for a figure that appears at the first interaction."""
    if _shell() is None:
        return None
    from IPython.display import display

    return display({"text/plain": ""}, raw=True, display_id=True)


def _display(obj: Any) -> None:
    if _shell() is not None:
        from IPython.display import display

        display(obj)


def widgets_available() -> bool:
    """True when ipywidgets can be imported and we run inside an IPython kernel."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    shell = _shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


@lru_cache(maxsize=None)
def _controls_class() -> type:
    """A VBox whose text form is :data:`CONTROLS_TEXT` (ipywidgets imported only when needed)."""
    import ipywidgets as W

    class ExplorerControls(W.VBox):
        """The controls of one explorer; saved notebooks show :data:`CONTROLS_TEXT` for it."""

        def __repr__(self) -> str:
            return CONTROLS_TEXT

    return ExplorerControls


def _make_widget(name: str, c: Slider | Choice):
    import ipywidgets as W

    label = c.label or name
    style = {"description_width": "initial"}            # the label's full text, not a fixed 80 px
    if isinstance(c, Slider):
        is_int = all(float(v).is_integer() for v in (c.low, c.high, c.value, c.step))
        cls = W.IntSlider if is_int else W.FloatSlider
        cast = int if is_int else float
        return cls(min=cast(c.low), max=cast(c.high), step=cast(c.step), value=cast(c.value),
                   description=label, continuous_update=False, style=style)
    if len(c.options) <= 10:
        return W.ToggleButtons(options=list(c.options), value=c.value, description=label,
                               style={**style, "button_width": "auto"})
    return W.Dropdown(options=list(c.options), value=c.value, description=label, style=style)


def _checked(fig: Any) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"draw() must return a matplotlib Figure, got {type(fig).__name__}")
    return fig


def explore(draw: Callable[..., Figure], controls: Mapping[str, Slider | Choice] | None = None,
            actions: Sequence[Action] = (), static: bool = True) -> Any:
    """Show ``draw(**values)`` with controls; return the controls box (or ``None`` without widgets).

    The default-valued figure is drawn and displayed first (``static=True``) so every
    reader sees a result even where widgets cannot render; each interaction then
    replaces *that* figure in place. With ``static=False`` the figure first appears at
    the first interaction, in the same place rules afterwards.
    """
    controls = dict(controls or {})
    values = defaults(controls)
    handle = None
    if static:
        handle = _show_figure(_checked(draw(**values)))
    if not widgets_available():
        if controls or actions:
            print("(interactive controls need ipywidgets in a running Jupyter kernel; showing the default view)")
        return None
    import ipywidgets as W

    if handle is None:                                    # static=False: keep the figure's place above the controls
        handle = _reserve_place()
    out = W.Output()                                      # tracebacks and prints of actions
    ctl = {name: _make_widget(name, c) for name, c in controls.items()}

    def run(step: Callable[[], Any] | None = None) -> None:
        """Run a button's ``step`` (if any), redraw, and replace the figure shown above."""
        nonlocal handle
        fig = None
        with out:                                         # in a kernel, an error shows its traceback here
            out.clear_output()
            if step is not None:
                step()
            fig = _checked(draw(**{n: w.value for n, w in ctl.items()}))
        if fig is not None:
            handle = _show_figure(fig, handle)

    for w in ctl.values():
        w.observe(lambda _change: run(), names="value")
    buttons = []
    for a in actions:
        b = W.Button(description=a.label, layout=W.Layout(width="auto"))
        b.on_click(lambda _button, fn=a.fn: run(fn))
        buttons.append(b)
    box = _controls_class()(([W.HBox(buttons)] if buttons else []) + [*ctl.values(), out])
    _display(box)
    return box
