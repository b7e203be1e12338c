"""Node's test-net-connect-call-socket-connect.js: net.connect goes through Socket.connect."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_connect_uses_socket_connect(common, monkeypatch):
    original = net.Socket.connect
    calls = []

    def patched(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(net.Socket, "connect", patched)
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("close", lambda _: server.close())
        c.resume()

    listen_local(server, go)
    net.run()
    assert len(calls) == 1
