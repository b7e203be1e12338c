"""Node's test-net-server-keepalive.js / -nodelay.js: options reach the accepted socket."""
from __future__ import annotations

import socket

import pynet as net

from .conftest import listen_local


def test_keepalive_and_nodelay_options(common):
    seen = {}

    def on_conn(sock):
        fd = sock._handle.fileno()
        s = socket.socket(fileno=socket.dup(fd))
        try:
            seen["keepalive"] = s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
            seen["nodelay"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            seen["idle"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE)
        finally:
            s.close()
        sock.end()
        server.close()

    server = net.createServer({"keepAlive": True, "keepAliveInitialDelay": 5000,
                               "noDelay": True}, common.must_call(on_conn))
    listen_local(server, lambda: net.connect(server.address().port, "127.0.0.1").resume())
    net.run()
    assert seen["keepalive"] and seen["nodelay"] and seen["idle"] == 5
