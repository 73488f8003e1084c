"""Fixtures of the browser suite: a private JupyterLab on temporary notebook copies, and Chromium.

* Chromium is Debian's ``chromium`` package (``apt-get install -y chromium``), driven by Playwright
  for Python with ``executable_path``; nothing is downloaded (no ``playwright install``). Set
  ``GAN_COURSE_CHROMIUM`` for another path. Without it every test here is skipped with the way to
  enable it.
* JupyterLab starts through ``python -m gan_utils.lab`` (the entry point of ``make lab``) on a free
  loopback port with a token, private Jupyter/IPython config, data and runtime folders, and kernels
  at smoke scale (``GAN_COURSE_SCALE=smoke``) writing results to a temporary folder. It serves
  *copies* of the notebooks and autosave is off, so no committed notebook is ever written.
* ``--screenshots DIR`` (``make screenshots``) writes one PNG per explorer into DIR.
* ``GAN_COURSE_BROWSER_SCALE`` (default ``smoke``) sets the kernels' scale, and
  ``GAN_COURSE_BROWSER_RESULTS`` names a results folder copied in as the kernels' starting results:
  ``make screenshots`` passes ``quick`` and ``results/execute-quick`` so the notebooks load the
  checkpoints ``make execute`` saved instead of training, and the pictures show trained models.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from pathlib import Path

import pytest

from tests.lab_server import REPO, LabServer, free_port, private_env

DEFAULT_CHROMIUM = "/usr/bin/chromium"
ENABLE_HINT = ("install Debian's Chromium (sudo apt-get install -y chromium) or point GAN_COURSE_CHROMIUM at a "
               "Chromium binary, install the test extra (Playwright), then run make test-browser")
# Flags for a headless Chromium that may run as root in a container, with nothing phoning home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# JupyterLab user settings for the test server: every cell rendered (no windowing, so widgets below the
# fold exist), no autosave, no news or update checks (they need a network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def pytest_addoption(parser) -> None:
    parser.addoption("--screenshots", metavar="DIR", default=None,
                     help="write one PNG per explorer into DIR (make screenshots uses docs/img)")


def chromium_path() -> str:
    return os.environ.get("GAN_COURSE_CHROMIUM") or DEFAULT_CHROMIUM


@pytest.fixture(scope="session")
def screenshot_dir(request) -> Path | None:
    folder = request.config.getoption("--screenshots")
    if folder is None:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def playwright_chromium(tmp_path_factory):
    """A persistent Chromium context with a fresh user-data-dir; skipped (with the fix) when unavailable."""
    exe = chromium_path()
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        pytest.skip(f"browser tests skipped: no Chromium at {exe}; {ENABLE_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(f"browser tests skipped: Playwright for Python is not installed; {ENABLE_HINT}")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=exe, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


def write_lab_settings(config_dir: Path) -> None:
    for rel, settings in LAB_SETTINGS.items():
        path = config_dir / "lab" / "user-settings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings), encoding="utf-8")


@pytest.fixture(scope="session")
def lab(tmp_path_factory, playwright_chromium):
    """JupyterLab (via gan_utils.lab) serving copies of the notebooks; yields (server, copy folder)."""
    tmp = tmp_path_factory.mktemp("lab")
    copies = tmp / "notebooks"
    copies.mkdir()
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        shutil.copy2(nb, copies / nb.name)
    scale = os.environ.get("GAN_COURSE_BROWSER_SCALE") or "smoke"
    seed = os.environ.get("GAN_COURSE_BROWSER_RESULTS")
    if seed and Path(seed).is_dir():
        shutil.copytree(seed, tmp / "results")
    elif seed:
        print(f"browser tests: no {seed}; the notebooks train at scale={scale} (run make execute first to reuse its runs)")
    env = private_env(tmp, GAN_COURSE_SCALE=scale, GAN_COURSE_HEADLESS="1", GAN_COURSE_RESULTS=str(tmp / "results"))
    write_lab_settings(Path(env["JUPYTER_CONFIG_DIR"]))
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "gan_utils.lab", "--no-browser", "--port", str(port), "--token", token,
           "--root-dir", str(copies), "--",
           "--ServerApp.ip=127.0.0.1",
           "--LabApp.expose_app_in_browser=True",     # the tests read kernel status and output models
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    server = LabServer(cmd, port, token, env, tmp / "lab.log")
    try:
        server.wait_ready()
        yield server, copies
    finally:
        server.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.browser.test_explorers import TIMES

    if TIMES:
        terminalreporter.write_line("browser suite wall time per notebook: " + ", ".join(
            f"{name} {seconds:.0f} s" for name, seconds in TIMES.items()))
