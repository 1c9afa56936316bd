"""A Jupyter server extension: kernel messages reach the page without Nagle's delay.

Everything a kernel sends to the page (a slider's new picture, the "idle" status that lets
the page send the next slider value) travels over one websocket per kernel, and
jupyter_server leaves Nagle's algorithm on for it. A small message written while the
previous one is still unacknowledged then waits for that acknowledgement, which the
browser's TCP delays by up to 40 ms. During a drag every picture arrived about 40 ms late,
and the page could send a new value only every 50 ms or so.

This extension turns Nagle off (``TCP_NODELAY``) on kernel websockets. It is enabled in
every Jupyter server of an environment the course package is installed in
(``jupyter-config/jupyter_server_config.d/nbsupport.json``, installed under
``etc/jupyter``); ``jupyter server extension list`` shows it. A server configured with
its own kernel websocket connection class keeps that class.
"""
from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayKernelConnection"]


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection, with ``TCP_NODELAY`` on its socket.

    Examples
    --------
    In a server's configuration (the extension does this for the default class)::

        c.ServerApp.kernel_websocket_connection_class = "nbsupport.server.NoDelayKernelConnection"
    """

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "nbsupport.server"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Use :class:`NoDelayKernelConnection` unless the server names a class of its own."""
    settings = serverapp.web_app.settings
    if settings.get("kernel_websocket_connection_class") is ZMQChannelsWebsocketConnection:
        settings["kernel_websocket_connection_class"] = NoDelayKernelConnection
        serverapp.log.info("nbsupport: kernel websockets send without Nagle's delay (TCP_NODELAY)")
    else:
        serverapp.log.info("nbsupport: the server's own kernel websocket connection class is kept")
