"""Node's sequential/test-net-connect-handle-econnrefused.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_not_connecting_in_the_error_handler(common):
    server = net.createServer()

    def go():
        port = server.address().port
        server.close(lambda *_: attempt(port))

    def attempt(port):
        c = net.connect(port, "127.0.0.1")
        c.on("error", common.must_call(lambda err: check(c)))

    listen_local(server, go)
    net.run()


def check(c):
    assert c.connecting is False
