"""Start JupyterLab on the course notebooks: the one entry point of ``make lab`` and the browser tests.

    python -m gan_utils.lab [--no-browser] [--port P] [--token T] [--root-dir DIR] [-- JUPYTER ARGS...]

``make lab`` runs it with ``LAB_ARGS`` (``make lab LAB_ARGS="--no-browser --port 8899"``), and
``tests/browser/`` starts the same command with a free loopback port, a token and private
config/runtime directories, so the README's first command is itself under test.

JupyterLab refuses to start as root ("Running as root is not recommended. Use --allow-root to
bypass.") and exits 1, which is the common case on CI machines, containers and cloud VMs. When the
user is root this command adds ``--allow-root`` and prints one line saying so; everywhere else it
starts JupyterLab exactly as ``jupyter lab notebooks/`` would.

Used by `make lab` (the README's first command) and `tests/browser/`; tested in `tests/test_lab.py`.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from .config import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"
ROOT_NOTE = "gan-course: running as root, so JupyterLab is started with --allow-root (it refuses root otherwise)"


def running_as_root() -> bool:
    """True when the effective user is root (always False on Windows, which has no uid 0)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(root_dir: Path | str = NOTEBOOKS, *, port: int | None = None, token: str | None = None,
                open_browser: bool = True, as_root: bool | None = None,
                extra: Sequence[str] = ()) -> list[str]:
    """The argv that starts JupyterLab serving ``root_dir`` with this interpreter.

    ``port`` fixes the port (and turns off JupyterLab's silent retry on the next port, so a
    caller that asked for a port gets it or a clear failure); ``token`` fixes the login token;
    ``as_root`` (default: :func:`running_as_root`) adds ``--allow-root``. ``extra`` arguments
    are passed to JupyterLab unchanged, after the others.
    """
    root = Path(root_dir)
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder: pass --root-dir with the folder of notebooks to serve")
    if port is not None and not (isinstance(port, int) and 0 < port < 65536):
        raise ValueError(f"port must be an int in 1..65535, got {port!r}")
    if token is not None and (not isinstance(token, str) or not token or token.strip() != token):
        raise ValueError(f"token must be a non-empty string without surrounding spaces, got {token!r}")
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root.resolve()}"]
    if not open_browser:
        cmd.append("--no-browser")
    if port is not None:
        cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if running_as_root() if as_root is None else as_root:
        cmd.append("--allow-root")
    return cmd + list(extra)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port takes a number, got {text!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"--port must be in 1..65535, got {port}")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, print the root note if it applies, and replace this process by JupyterLab."""
    parser = argparse.ArgumentParser(prog="python -m gan_utils.lab", description=__doc__.split("\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    parser.add_argument("--port", type=_port, help="serve on this port (fail if it is taken)")
    parser.add_argument("--token", help="the login token (default: JupyterLab makes one and prints the URL)")
    parser.add_argument("--root-dir", type=Path, default=NOTEBOOKS, help="folder to serve (default: notebooks/)")
    parser.add_argument("jupyter_args", nargs="*", help="after --: passed to JupyterLab unchanged")
    args = parser.parse_args(argv)
    try:
        cmd = lab_command(args.root_dir, port=args.port, token=args.token, open_browser=not args.no_browser,
                          extra=args.jupyter_args)
    except ValueError as e:
        parser.error(str(e))
    if "--allow-root" in cmd[:len(cmd) - len(args.jupyter_args)]:
        print(ROOT_NOTE, flush=True)
    sys.stdout.flush()
    if os.name != "posix":       # pragma: no cover - Windows has no exec that keeps the console
        return subprocess.call(cmd)
    os.execv(cmd[0], cmd)        # become JupyterLab: Ctrl-C and kill reach it directly
    raise AssertionError("os.execv returned")  # pragma: no cover - execv only returns by raising


if __name__ == "__main__":
    sys.exit(main())
