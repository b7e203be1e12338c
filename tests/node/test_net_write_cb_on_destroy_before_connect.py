"""Node's test-net-write-cb-on-destroy-before-connect.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_pending_write_fails_when_destroyed_before_connect(common):
    server = net.createServer()

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.write(b"hello", common.must_call(lambda err: check(err)))
        c.destroy()
        c.on("close", common.must_call(lambda _: server.close()))

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code == "ERR_SOCKET_CLOSED_BEFORE_CONNECTION"
    assert str(err) == "Socket closed before the connection was established"
