"""Tests for gan_utils.lab, the entry point of `make lab`: the command it builds, and `make lab` serving."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from gan_utils import lab
from tests.lab_server import REPO, LabServer, free_port, private_env


def test_lab_command_serves_the_folder_with_this_python(tmp_path):
    cmd = lab.lab_command(tmp_path, as_root=False)
    assert cmd == [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={tmp_path.resolve()}"]


def test_lab_command_options(tmp_path):
    cmd = lab.lab_command(tmp_path, port=8899, token="abc", open_browser=False, as_root=True,
                          extra=["--ServerApp.ip=127.0.0.1"])
    assert cmd[4:] == ["--no-browser", "--ServerApp.port=8899", "--ServerApp.port_retries=0",
                       "--IdentityProvider.token=abc", "--allow-root", "--ServerApp.ip=127.0.0.1"]


def test_lab_command_adds_allow_root_only_for_root(tmp_path, monkeypatch):
    monkeypatch.setattr(lab, "running_as_root", lambda: True)
    assert "--allow-root" in lab.lab_command(tmp_path)
    monkeypatch.setattr(lab, "running_as_root", lambda: False)
    assert "--allow-root" not in lab.lab_command(tmp_path)


def test_running_as_root_follows_the_effective_uid(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert lab.running_as_root()
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert not lab.running_as_root()


@pytest.mark.parametrize("kwargs, message", [
    ({"port": 0}, "port must be an int in 1..65535"),
    ({"port": 70000}, "port must be an int in 1..65535"),
    ({"port": "8888"}, "port must be an int"),
    ({"token": ""}, "token must be a non-empty string"),
    ({"token": " abc"}, "without surrounding spaces"),
])
def test_lab_command_rejects_bad_options(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        lab.lab_command(tmp_path, **kwargs)


def test_lab_command_rejects_a_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="is not a folder: pass --root-dir"):
        lab.lab_command(tmp_path / "nope")


class Exec(Exception):
    """Raised by the fake os.execv so main() stops where it would become JupyterLab."""


def run_main(monkeypatch, argv, root: bool):
    monkeypatch.setattr(lab, "running_as_root", lambda: root)

    def fake_execv(path, args):
        raise Exec(path, args)

    monkeypatch.setattr(os, "execv", fake_execv)
    with pytest.raises(Exec) as info:
        lab.main(argv)
    return info.value.args[1]


def test_main_as_root_says_so_in_one_line_and_allows_root(monkeypatch, capsys, tmp_path):
    args = run_main(monkeypatch, ["--no-browser", "--port", "9001", "--token", "t", "--root-dir", str(tmp_path),
                                  "--", "--ServerApp.ip=127.0.0.1"], root=True)
    assert args[-2:] == ["--allow-root", "--ServerApp.ip=127.0.0.1"] and "--ServerApp.port=9001" in args
    assert capsys.readouterr().out == lab.ROOT_NOTE + "\n"


def test_main_as_a_user_is_silent_and_serves_notebooks(monkeypatch, capsys):
    args = run_main(monkeypatch, [], root=False)
    assert "--allow-root" not in args and f"--ServerApp.root_dir={REPO / 'notebooks'}" in args
    assert "--no-browser" not in args
    assert capsys.readouterr().out == ""


def test_main_rejects_a_bad_port(capsys):
    with pytest.raises(SystemExit) as info:
        lab.main(["--port", "eighty"])
    assert info.value.code == 2 and "--port takes a number, got 'eighty'" in capsys.readouterr().err


def make_is_set_up() -> bool:
    """True when `make` exists and the .venv set-up stamp is current (so `make lab` installs nothing)."""
    if shutil.which("make") is None:
        return False
    return subprocess.run(["make", "-q", ".venv/.gan-course-installed"], cwd=REPO).returncode == 0


@pytest.mark.skipif(not make_is_set_up(), reason="needs make and a current .venv (run `make venv` first)")
def test_make_lab_serves_the_notebooks_over_http(tmp_path):
    """The README's first command, as it runs on CI (as root there): the notebook list comes back."""
    port, token = free_port(), "make-lab-test-token"
    lab_args = f"--no-browser --port {port} --token {token} -- --ServerApp.ip=127.0.0.1"
    server = LabServer(["make", "--no-print-directory", "lab", f"LAB_ARGS={lab_args}"], port, token,
                       private_env(tmp_path), tmp_path / "lab.log")
    try:
        server.wait_ready()
        listing = server.api("contents")
        with pytest.raises(Exception, match="403|Forbidden"):   # the token is required
            import urllib.request
            urllib.request.urlopen(f"{server.url}/api/contents", timeout=10)
    finally:
        server.stop()
    names = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert names == sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb")) and names
    assert (lab.ROOT_NOTE in server.output()) == lab.running_as_root()
