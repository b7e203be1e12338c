"""Node's test-net-settimeout.js: setTimeout(0) cancels."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_timeout_cancelled(common):
    server = net.createServer(lambda c: c.resume())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        cb = common.must_not_call("timeout")
        c.setTimeout(30, cb)
        c.setTimeout(0, cb)
        net.setTimeout(lambda: (c.destroy(), server.close()), 80)

    listen_local(server, go)
    net.run()
