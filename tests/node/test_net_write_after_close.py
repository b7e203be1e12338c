"""Node's test-net-write-after-close.js: writing to a peer that is gone calls back with an error."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_write_to_a_closed_peer(common):
    def on_conn(sock):
        sock.resetAndDestroy()

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("error", lambda err: None)

        def on_end_or_error(*_):
            if c.destroyed:
                return
            c.write(b"x" * 100000, common.must_call(lambda err: check(err)))

        c.on("error", lambda e: None)
        c.on("close", lambda _: server.close())
        net.setTimeout(on_end_or_error, 50)
        c.resume()

    listen_local(server, go)
    net.run()


def check(err):
    assert err is not None
