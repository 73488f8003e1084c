"""Every interactive piece of every notebook, driven in a real browser (JupyterLab in Chromium).

For each notebook that calls ``explore(`` (found by reading the notebooks, not listed here): open
it in JupyterLab, run all cells at smoke scale, wait for the kernel to be idle, and check that no
cell has error output. Then, for each explorer (an output area holding a widget) and each of its
controls (button, toggle, slider, drop-down): interact the way a reader does (click, drag, select),
wait for the kernel to be idle and the image to be stable, and check that

* the widget rendered (no "Loading widget...", no "Error displaying widget") and no label is cut off;
* the figure *next to the controls* changed: its image bytes always, its title text (the figure's
  ``text/plain`` form, see ``gan_utils.widgets.figure_caption``) for at least one control;
* nothing went to the explorer's error area, and the browser console logged no error other than the
  Colab badge image, which cannot load offline.

Kernels are shut down between notebooks; one kernel runs at a time.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.lab_server import REPO

EXPLORE_CALL = re.compile(r"(?<!def )\bexplore\(")
SETTLE_S = 1.5          # an image counts as stable when it stayed the same this long with the kernel idle
CHANGE_TIMEOUT_S = 120  # under load a redraw (or "train 100 steps") can take a while
RUN_ALL_TIMEOUT_S = 900 if (os.environ.get("GAN_COURSE_BROWSER_SCALE") or "smoke") == "smoke" else 3600
ATTEMPTS = {"button": 1, "toggle": 1, "slider": 3, "dropdown": 1}  # a button or option must change it at once
ALLOWED_CONSOLE = ("colab.research.google.com/assets/colab-badge.svg",)
TIMES: dict[str, float] = {}


def interactive_notebooks(folder: Path = REPO / "notebooks") -> list[str]:
    """Notebooks with at least one code cell that calls ``explore(``."""
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any(c["cell_type"] == "code" and EXPLORE_CALL.search("".join(c["source"])) for c in cells):
            found.append(path.name)
    return found


NOTEBOOKS = interactive_notebooks()


def test_interactive_notebooks_are_discovered():
    assert {"00_introduction.ipynb", "01_minimax_gan.ipynb", "02_dcgan.ipynb", "03_cgan.ipynb"} <= set(NOTEBOOKS)
    assert EXPLORE_CALL.search("box = explore(draw, {})") and not EXPLORE_CALL.search("def explore(draw):")


# --- what the page tells us (JupyterLab's app object, exposed by --LabApp.expose_app_in_browser) ------

STATE_JS = """(name) => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== name || !panel.content.model) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (kernel && !kernel.__gcCounted) {          // count busy phases: an interaction has been handled once
    kernel.__gcCounted = true;                  // the kernel went busy and came back to idle
    window.__gcBusy = window.__gcBusy || 0;
    kernel.statusChanged.connect((_, status) => { if (status === 'busy') window.__gcBusy++; });
  }
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    const outs = [];
    if (cell.type === 'code') {
      for (let j = 0; j < cell.outputs.length; j++) {
        const o = cell.outputs.get(j);
        outs.push({type: o.type, mimes: Object.keys(o.data),
                   text: o.data['text/plain'] ? String(o.data['text/plain']) : null,
                   error: o.type === 'error' ? (o.toJSON().ename + ': ' + o.toJSON().evalue) : null});
      }
      panel.content.widgets[i].node.setAttribute('data-gc-cell', String(i));
    }
    cells.push({type: cell.type, count: cell.type === 'code' ? cell.executionCount : null,
                state: cell.type === 'code' ? cell.executionState : null, outputs: outs});
  }
  return {kernel: kernel ? kernel.status : 'none', busy: window.__gcBusy || 0, cells: cells};
}"""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def state(page, name: str) -> dict | None:
    return page.evaluate(STATE_JS, name)


def wait_for(predicate, timeout: float, what: str, poll: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def explorers(st: dict) -> list[tuple[int, int, int]]:
    """(cell, figure output, controls output) for every widget output preceded by an image output."""
    found = []
    for i, cell in enumerate(st["cells"]):
        figure = None
        for j, out in enumerate(cell["outputs"]):
            if WIDGET_MIME in out["mimes"]:
                assert figure is not None, f"cell {i}: controls without a figure above them"
                found.append((i, figure, j))
            elif "image/png" in out["mimes"]:
                figure = j
    return found


def output_child(page, cell: int, index: int):
    return page.locator(f'[data-gc-cell="{cell}"] .jp-Cell-outputArea > .jp-OutputArea-child').nth(index)


def image_src(page, cell: int, figure: int) -> str:
    return output_child(page, cell, figure).locator("img").first.get_attribute("src") or ""


def caption(page, name: str, cell: int, figure: int) -> str:
    return state(page, name)["cells"][cell]["outputs"][figure]["text"] or ""


def wait_settled(page, name: str, cell: int, figure: int, busy_before: int) -> bool:
    """After an interaction: wait until the kernel has been busy and is idle again, with the image
    unchanged for SETTLE_S (slider events can queue several redraws, so the first change is not the end).
    Returns False when the kernel never went busy (the interaction did not reach it)."""
    deadline = time.monotonic() + CHANGE_TIMEOUT_S
    last, since = image_src(page, cell, figure), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now, st = image_src(page, cell, figure), state(page, name)
        if now != last:
            last, since = now, time.monotonic()
        elif st["busy"] > busy_before and st["kernel"] == "idle" and time.monotonic() - since >= SETTLE_S:
            return True
    return False


CUT_OFF_JS = """(root) => Array.from(root.querySelectorAll('button, .widget-label'))
  .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.textContent.trim())"""


def controls(box) -> list[tuple[str, object]]:
    """(kind, locator) for each control of one explorer, in screen order."""
    found = [("button", b) for b in box.locator(".widget-button").all()]
    found += [("toggle", t) for t in box.locator(".widget-toggle-buttons").all()]
    found += [("slider", s) for s in box.locator(".widget-slider").all()]
    found += [("dropdown", d) for d in box.locator(".widget-dropdown").all()]
    return found


def interact(page, kind: str, control, attempt: int = 0) -> str:
    """Use one control as a reader would; return what was done.

    ``attempt`` > 0 picks another target (another slider position, toggle or option): a slider
    position can show the same view as the last one (00's page slider wraps around a short split).
    """
    if kind == "button":
        control.click()
        return f"clicked {control.inner_text().strip()!r}"
    if kind == "toggle":
        target = control.locator("button:not(.mod-active)").nth(attempt)
        label = target.inner_text().strip()
        target.click()
        return f"picked {label!r}"
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        track = control.locator(".noUi-target").first
        handle.scroll_into_view_if_needed()
        h, t = handle.bounding_box(), track.bounding_box()
        x0, y = h["x"] + h["width"] / 2, h["y"] + h["height"] / 2
        fraction = (0.8, 0.55, 0.3, 0.65)[attempt % 4]
        x1 = t["x"] + t["width"] * (fraction if x0 < t["x"] + t["width"] / 2 else 1 - fraction)
        page.mouse.move(x0, y)
        page.mouse.down()
        page.mouse.move(x1, y, steps=8)
        page.mouse.up()
        return f"dragged to {control.locator('.widget-readout').first.inner_text().strip()}"
    if kind == "dropdown":
        select = control.locator("select")
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("el => el.options[el.selectedIndex].text")
        choice = [o for o in options if o != current][attempt]
        select.select_option(label=choice)
        return f"selected {choice!r}"
    raise ValueError(kind)


def shut_down_kernels(server) -> None:
    for session in server.api("sessions"):
        server.api(f"sessions/{session['id']}", method="DELETE")
    wait_for(lambda: server.api("kernels") == [], 60, "the kernels to shut down", poll=0.5)


def save_screenshot(page, cell: int, folder: Path, stem: str, max_bytes: int = 150_000) -> Path:
    """The explorer's output area (figure and controls), cropped to its content, as a PNG of at most
    ``max_bytes`` (reduced to a palette if needed: digits and line plots survive that well)."""
    from io import BytesIO

    from PIL import Image, ImageChops

    area = page.locator(f'[data-gc-cell="{cell}"] .jp-Cell-outputArea').first
    area.scroll_into_view_if_needed()
    image = Image.open(BytesIO(area.screenshot(animations="disabled", caret="hide"))).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((image.width - 1, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    if box:
        image = image.crop((max(box[0] - 8, 0), max(box[1] - 8, 0),
                            min(box[2] + 8, image.width), min(box[3] + 8, image.height)))
    colours, png = 512, b""                               # 512: first try the full-colour PNG
    while not png or len(png) > max_bytes:
        buf = BytesIO()
        (image if colours > 256 else image.quantize(colours)).save(buf, format="PNG", optimize=True)
        png, colours = buf.getvalue(), colours // 2
        assert colours >= 8 or len(png) <= max_bytes, f"{stem}: screenshot stays above {max_bytes} bytes"
    path = folder / f"{stem}.png"
    path.write_bytes(png)
    return path


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_control_redraws_the_figure_beside_it(name, lab, playwright_chromium, screenshot_dir):
    server, _copies = lab
    start = time.monotonic()
    page = playwright_chromium.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.text} (at {m.location.get('url', '')})")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    problems: list[str] = []
    try:
        page.goto(f"{server.url}/lab/tree/{name}?token={server.token}&reset")
        wait_for(lambda: (st := state(page, name)) and st["kernel"] == "idle", 180, f"{name} to open with an idle kernel")
        print(f"{name}: open with an idle kernel after {time.monotonic() - start:.0f} s")
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

        def finished():
            st = state(page, name)
            code = [c for c in st["cells"] if c["type"] == "code"]
            errors = [o["error"] for c in code for o in c["outputs"] if o["type"] == "error"]
            done = all(c["count"] is not None and c["state"] != "running" for c in code)
            return st if st["kernel"] == "idle" and (done or errors) else None

        time.sleep(2)                       # let the first cell start before polling for "all done"
        st = wait_for(finished, RUN_ALL_TIMEOUT_S, f"all cells of {name} to run")
        errors = [f"cell {i}: {o['error']}" for i, c in enumerate(st["cells"]) for o in c["outputs"]
                  if o["type"] == "error"]
        assert not errors, f"{name}: cells have error output: {errors}"
        print(f"{name}: all cells ran after {time.monotonic() - start:.0f} s")
        found = explorers(st)
        assert found, f"{name} calls explore( but shows no controls after running (ipywidgets missing?)"

        for number, (cell, figure, widget) in enumerate(found):
            where = f"{name} explorer {number + 1} (cell {cell})"
            box = output_child(page, cell, widget)
            box.scroll_into_view_if_needed()
            try:
                box.locator(".widget-vbox").first.wait_for(state="visible", timeout=60_000)
            except Exception:
                problems.append(f"{where}: the controls did not render: {box.inner_text()[:200]!r}")
                continue
            text = box.inner_text()
            for bad in ("Loading widget", "Error displaying widget"):
                if bad in text:
                    problems.append(f"{where}: shows {bad!r}")
            cut = box.evaluate(CUT_OFF_JS)
            if cut:
                problems.append(f"{where}: labels cut off: {cut}")
            titles_changed = []
            for kind, control in controls(box):
                before_src, before_title = image_src(page, cell, figure), caption(page, name, cell, figure)
                tried = []
                for attempt in range(ATTEMPTS[kind]):
                    busy = state(page, name)["busy"]
                    tried.append(interact(page, kind, control, attempt))
                    if not wait_settled(page, name, cell, figure, busy):
                        problems.append(f"{where}: {kind} {tried[-1]}: the kernel did not handle it within "
                                        f"{CHANGE_TIMEOUT_S} s")
                    changed = image_src(page, cell, figure) != before_src
                    if changed:
                        break
                did = ", then ".join(tried)
                after_title = caption(page, name, cell, figure)
                if not changed:
                    problems.append(f"{where}: {kind} {did}: the figure next to the controls did not change")
                titles_changed.append(after_title != before_title)
                if not after_title.startswith("figure:"):
                    problems.append(f"{where}: the figure's text form is {after_title!r}, not its title")
                err = box.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
                if err.count():
                    problems.append(f"{where}: {kind} {did}: error under the controls: {err.first.inner_text()[:300]}")
                print(f"{where} [{time.monotonic() - start:.0f} s]: {kind} {did}: image {'changed' if changed else 'UNCHANGED'}, "
                      f"title {before_title!r} -> {after_title!r}")
            if titles_changed and not any(titles_changed):
                problems.append(f"{where}: no control changed the figure's title")
            if screenshot_dir is not None:
                stem = Path(name).stem + (f"-{number + 1}" if len(found) > 1 else "")
                path = save_screenshot(page, cell, screenshot_dir, stem)
                print(f"{where}: screenshot {path} ({path.stat().st_size // 1000} KB)")
        st = state(page, name)
        errors = [f"cell {i}: {o['error']}" for i, c in enumerate(st["cells"]) for o in c["outputs"]
                  if o["type"] == "error"]
        if errors:
            problems.append(f"{name}: error output after the interactions: {errors}")
    finally:
        page.close()
        shut_down_kernels(server)
        TIMES[name] = time.monotonic() - start
    unexpected = [c for c in console if not any(a in c for a in ALLOWED_CONSOLE)]
    if unexpected:
        problems.append(f"{name}: browser console errors: {unexpected}")
    assert not problems, "\n".join(problems)
