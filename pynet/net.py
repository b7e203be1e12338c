"""The functions of Node's ``net`` module (spec: "net.createServer", "net.connect"...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._names import add_twins
from .events import once
from .server import Server
from .socket import Socket, _NormalizedArgs, normalize_args

__all__ = ["createServer", "createConnection", "connect", "connectAsync"]


def createServer(options: Any = None, connectionListener: Callable[..., Any] | None = None,
                 **kwargs: Any) -> Server:
    """Creates a TCP or IPC server (``net.createServer([options][, connectionListener])``)."""
    return Server(options, connectionListener, **kwargs)


def connect(*args: Any, **kwargs: Any) -> Socket:
    """Creates a Socket and starts connecting it (``net.connect``/``net.createConnection``).

    ``connect(port[, host][, connectListener])`` or ``connect(options[, connectListener])``.
    """
    opts, cb = normalize_args(args, kwargs)
    sock = Socket._for_connect(opts)
    try:
        if opts.get("timeout"):
            sock.setTimeout(opts["timeout"])
        return sock.connect(_NormalizedArgs(opts, cb))
    except BaseException:
        # The caller never gets this socket: free the idle timer it may hold (its
        # handle, if connect() made one, went with the error already).
        sock.setTimeout(0)
        raise


createConnection = connect


async def connectAsync(*args: Any, **kwargs: Any) -> Socket:
    """``connect(...)``, resolved with the Socket on 'connect'; raises the 'error' instead."""
    sock = connect(*args, **kwargs)
    await once(sock, "connect")
    return sock

add_twins(globals(), list(__all__))
