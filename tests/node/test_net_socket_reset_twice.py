"""Node's test-net-socket-reset-twice.js: resetAndDestroy inside 'error'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_reset_in_error_handler(common):
    server = net.createServer()

    def go():
        port = server.address().port
        server.close(lambda *_: attempt(port))

    def attempt(port):
        c = net.connect(port, "127.0.0.1")
        c.on("error", common.must_call(lambda err: c.resetAndDestroy()))
        c.on("close", common.must_call())

    listen_local(server, go)
    net.run()
