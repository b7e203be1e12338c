"""Node's test-net-connect-immediate-destroy.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_destroy_right_after_connect(common):
    server = net.createServer()

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", common.must_not_call("connect"))
        c.on("error", common.must_not_call("error"))
        c.on("close", common.must_call(lambda _: server.close()))
        c.destroy()

    listen_local(server, go)
    net.run()
