"""Node's test-net-socket-destroy-send.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_destroy_returns_self_and_later_writes_fail_quietly(common):
    server = net.createServer(lambda c: c.resume())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            assert c.destroy() is c
            assert c.destroy() is c
            c.write(b"x", common.must_call(lambda err: check(err)))
            server.close()

        c.on("connect", common.must_call(on_connect))
        c.on("error", common.must_not_call("error"))

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code == "ERR_STREAM_DESTROYED"
    assert str(err) == "Cannot call write after a stream was destroyed"
