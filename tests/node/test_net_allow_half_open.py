"""Node's test-net-allow-half-open.js: not destroyed synchronously at 'end'/'finish'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_default_client_shuts_down_properly(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        assert c.allowHalfOpen is False
        c.on("end", common.must_call(lambda: check_alive(c)))
        c.on("finish", common.must_call(lambda: check_alive(c)))
        c.on("close", common.must_call(lambda _: server.close()))
        c.resume()

    listen_local(server, go)
    net.run()


def check_alive(c):
    assert c.destroyed is False
