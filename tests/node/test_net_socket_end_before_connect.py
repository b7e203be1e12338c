"""Node's test-net-socket-end-before-connect.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_end_while_connecting_still_closes(common):
    server = net.createServer(lambda c: c.resume())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.end()
        c.on("close", common.must_call(lambda _: server.close()))
        c.resume()

    listen_local(server, go)
    net.run()
