"""Node's test-net-connect-reset-until-connected.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_reset_after_connect_resets_the_server_side(common):
    def on_conn(sock):
        sock.on("error", common.must_call(lambda err: check(err)))
        sock.on("close", common.must_call(lambda _: server.close()))
        sock.resume()

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", lambda: c.resetAndDestroy())
        c.on("close", common.must_call())

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code == "ECONNRESET"
