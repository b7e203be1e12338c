"""Node's test-net-connect-reset-after-destroy.js and test-net-socket-reset-send.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_reset_returns_self_peer_sees_econnreset_writes_fail(common):
    def on_conn(sock):
        sock.on("error", common.must_call(lambda err: check_reset(err)))
        sock.on("close", common.must_call(lambda _: server.close()))
        sock.resume()

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            assert c.resetAndDestroy().destroy() is c
            c.write(b"x", common.must_call(lambda err: check_destroyed(err)))

        c.on("connect", common.must_call(on_connect))
        c.on("error", common.must_not_call("error"))

    listen_local(server, go)
    net.run()


def check_reset(err):
    assert err.code == "ECONNRESET" and str(err) == "read ECONNRESET"


def check_destroyed(err):
    assert err.code == "ERR_STREAM_DESTROYED"
