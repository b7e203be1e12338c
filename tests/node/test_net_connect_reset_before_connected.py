"""Node's test-net-connect-reset-before-connected.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_reset_while_connecting_is_quiet(common):
    server = net.createServer(lambda s: (s.on("error", lambda e: None), s.resume()))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.resetAndDestroy()
        c.on("error", common.must_not_call("error"))
        c.on("close", common.must_call(lambda _: server.close()))

    listen_local(server, go)
    net.run()
