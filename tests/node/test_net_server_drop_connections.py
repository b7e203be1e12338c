"""Node's test-net-server-drop-connections.js: 'drop' carries both ends."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_drop_info(common):
    server = net.createServer(lambda c: None)
    server.maxConnections = 1
    keep = []

    def on_drop(info):
        assert info["localAddress"] == "127.0.0.1" and info["localPort"] == server.address().port
        assert info["remoteAddress"] == "127.0.0.1" and info["remoteFamily"] == "IPv4"
        assert isinstance(info["remotePort"], int)
        for c in keep:
            c.destroy()
        server.close()

    server.on("drop", common.must_call(on_drop))
    server.on("connection", lambda c: keep.append(c))

    def go():
        a = net.connect(server.address().port, "127.0.0.1")
        a.on("connect", lambda: keep.append(a) or net.connect(
            server.address().port, "127.0.0.1").on("error", lambda e: None))

    listen_local(server, go)
    net.run()
