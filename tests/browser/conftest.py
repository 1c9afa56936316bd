"""Servers and a headless Chromium for the browser tests.

JupyterLab (and Voila) are started on 127.0.0.1 with a token, on a copy of
``notebooks/`` so that nothing the browser does can touch the committed notebooks,
with fresh settings and workspace folders (no news pop-up, no restored tabs).
Every process started here is stopped at the end of the session.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TOKEN = "nbsupport-browser-test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BIN = Path(sys.executable).parent
LAB_DRIVER = Path(__file__).with_name("lab_driver.js")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory) -> Path:
    """A private copy of notebooks/ (with its data folder) for the servers."""
    target = tmp_path_factory.mktemp("served") / "notebooks"
    shutil.copytree(NOTEBOOKS, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def lab_environment(base: Path) -> dict:
    """Environment with fresh JupyterLab settings under ``base``: no news, no update checks,
    no old tabs, every cell rendered."""
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Render every cell: with JupyterLab's default windowing, cells far off screen are not in
    # the page, and once here Run All left the last cells of 06 unrun (seen once in four runs).
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ)
    env.update(JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               OPENBLAS_NUM_THREADS="1", PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    env.pop("MPLBACKEND", None)
    return env


def start_lab(root_dir: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """JupyterLab on 127.0.0.1 serving ``root_dir``, its application exposed to the page
    (``window.jupyterapp``, read by lab_driver.js); returns the process and its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={root_dir}", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/api/status?token={TOKEN}", process, timeout=300)
    except Exception:
        stop(process)
        raise
    return process, url


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    return lab_environment(tmp_path_factory.mktemp("jupyter"))


@pytest.fixture(scope="session")
def lab_url(served_notebooks, server_env):
    process, url = start_lab(served_notebooks, server_env)
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python3 tasks.py test-browser`, which installs it")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
