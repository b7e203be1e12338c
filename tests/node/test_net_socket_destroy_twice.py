"""Node's test-net-socket-destroy-twice.js: destroy inside 'error' is harmless."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_destroy_inside_error(common):
    server = net.createServer()

    def go():
        port = server.address().port
        server.close(lambda *_: attempt(port))

    def attempt(port):
        c = net.connect(port, "127.0.0.1")
        c.on("error", common.must_call(lambda err: c.destroy()))
        c.on("close", common.must_call())

    listen_local(server, go)
    net.run()
