"""nbsupport.server: kernel websockets without Nagle's delay, enabled where the package is."""
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("jupyter_server")
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection  # noqa: E402

from nbsupport import server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class _Handler:
    def __init__(self):
        self.nodelay = None

    def set_nodelay(self, value):
        self.nodelay = value


def test_a_kernel_connection_turns_nagle_off_before_it_connects(monkeypatch):
    seen = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect",
                        lambda self: seen.append(self.websocket_handler.nodelay) or "connected")
    connection = server.NoDelayKernelConnection.__new__(server.NoDelayKernelConnection)
    connection._trait_values["websocket_handler"] = _Handler()
    assert connection.connect() == "connected"
    assert seen == [True]


def _app(connection_class):
    log = SimpleNamespace(info=lambda *args: None)
    return SimpleNamespace(web_app=SimpleNamespace(
        settings={"kernel_websocket_connection_class": connection_class}), log=log)


def test_the_extension_replaces_the_default_connection_class():
    app = _app(ZMQChannelsWebsocketConnection)
    server._load_jupyter_server_extension(app)
    assert app.web_app.settings["kernel_websocket_connection_class"] is server.NoDelayKernelConnection


def test_the_extension_keeps_a_connection_class_the_server_names():
    class Custom(ZMQChannelsWebsocketConnection):
        pass

    app = _app(Custom)
    server._load_jupyter_server_extension(app)
    assert app.web_app.settings["kernel_websocket_connection_class"] is Custom


def test_the_package_installs_the_config_that_enables_the_extension():
    """pyproject.toml installs jupyter-config/... under etc/jupyter (a wheel), and
    ``tasks.py setup`` copies it into .venv (an editable install leaves data files out)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    import tasks

    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["data-files"]
    assert data_files["etc/jupyter/jupyter_server_config.d"] == [tasks.SERVER_CONFIG.as_posix()]
    config = json.loads((ROOT / tasks.SERVER_CONFIG).read_text(encoding="utf-8"))
    assert config["ServerApp"]["jpserver_extensions"] == {"nbsupport.server": True}


def test_setup_enables_the_extension_in_a_venv(tmp_path):
    import tasks

    target = tasks.enable_server_extension(tmp_path)
    assert target == tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "nbsupport.json"
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        (ROOT / tasks.SERVER_CONFIG).read_text(encoding="utf-8"))


def test_jupyter_servers_of_this_environment_load_the_extension():
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists() or not (Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d"
                                    / "nbsupport.json").exists():
        pytest.skip("not the course's .venv (python3 tasks.py setup enables the extension there)")
    listed = subprocess.run([str(jupyter), "server", "extension", "list"], capture_output=True,
                            text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)  # no colours
    assert re.search(r"nbsupport\.server\s+enabled", text), text
    assert re.search(r"nbsupport\.server\s+OK", text), text
