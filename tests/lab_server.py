"""Start and stop a private JupyterLab for tests: a free loopback port, a token, private directories.

Used by tests/test_lab.py (``make lab`` itself) and tests/browser/ (the browser suite). The server
runs in its own process group so stopping it also stops make, the shell and the kernels under it.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_env(tmp: Path, **extra: str) -> dict[str, str]:
    """os.environ with Jupyter's and IPython's config, data and runtime folders moved under ``tmp``
    (nobody's own settings, workspaces or kernels leak in, and nothing is written into theirs).

    ``PYTHONPATH`` points at this checkout, so kernels import this ``gan_utils`` even when the
    environment's editable install points elsewhere.
    """
    dirs = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython"}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
               OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    for var, sub in dirs.items():
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / sub)
    env.update(extra)
    return env


class LabServer:
    """``cmd`` (a command that starts JupyterLab on ``port`` with ``token``), run until :meth:`stop`."""

    def __init__(self, cmd: Sequence[str], port: int, token: str, env: dict[str, str], log: Path,
                 cwd: Path = REPO):
        self.port, self.token, self.log = port, token, log
        self.url = f"http://127.0.0.1:{port}"
        self._log_file = open(log, "wb")
        self.proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def api(self, path: str, method: str = "GET", body: dict | None = None, timeout: float = 10) -> object:
        """Call the server's REST API with the token; return the decoded JSON (None for an empty body)."""
        req = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def wait_ready(self, timeout: float = 180) -> None:
        """Wait until the contents API answers; fail with the server's log if it exits or takes too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.output()}")
            try:
                self.api("contents", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.5)
        raise TimeoutError(f"JupyterLab did not answer on {self.url} within {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM the whole process group (server, make, kernels), then SIGKILL what is left."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        try:                                   # kernels run in the same group; make sure none outlives us
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log_file.close()
        return self.proc.returncode
