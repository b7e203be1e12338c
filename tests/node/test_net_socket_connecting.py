"""Node's test-net-socket-connecting.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_connecting_until_connect(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        assert c.connecting is True
        c.on("connect", common.must_call(lambda: (check(c), c.destroy(), server.close())))

    listen_local(server, go)
    net.run()


def check(c):
    assert c.connecting is False
