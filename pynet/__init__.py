"""pynet: Node.js's ``net`` module for Python, on libuv.

    import pynet as net

    server = net.createServer(lambda c: c.end('goodbye\\n'))
    server.listen(8124, lambda: print('bound', server.address()))
    net.run()
"""

from __future__ import annotations

from . import errors, stream
from ._connect import (
    getDefaultAutoSelectFamily,
    getDefaultAutoSelectFamilyAttemptTimeout,
    setDefaultAutoSelectFamily,
    setDefaultAutoSelectFamilyAttemptTimeout,
)
from ._ip import isIP, isIPv4, isIPv6
from ._loop import nextTick, queueMicrotask, run
from ._names import add_twins
from .abort import AbortController, AbortSignal
from .blocklist import BlockList
from .errors import AbortError, AggregateError, NodeError
from .events import EventEmitter, once
from .net import connect, connectAsync, createConnection, createServer
from .server import Server
from .socket import Socket
from .socketaddress import SocketAddress
from .timers import (
    Immediate,
    Timeout,
    clearImmediate,
    clearInterval,
    clearTimeout,
    setImmediate,
    setInterval,
    setTimeout,
)

__version__ = "0.1.0"

__all__ = [
    "createServer", "createConnection", "connect", "connectAsync", "Server", "Socket", "BlockList",
    "SocketAddress",
    "isIP", "isIPv4", "isIPv6", "getDefaultAutoSelectFamily", "setDefaultAutoSelectFamily",
    "getDefaultAutoSelectFamilyAttemptTimeout", "setDefaultAutoSelectFamilyAttemptTimeout",
    "run", "nextTick", "queueMicrotask", "setTimeout", "clearTimeout", "setInterval",
    "clearInterval", "setImmediate", "clearImmediate", "Timeout", "Immediate",
    "EventEmitter", "once", "errors", "AbortController", "AbortSignal", "NodeError",
    "AbortError", "AggregateError", "stream",
]
__all__ += add_twins(globals(), list(__all__))
