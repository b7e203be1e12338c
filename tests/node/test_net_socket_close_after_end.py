"""Node's test-net-socket-close-after-end.js: 'close' only after 'end', even when read late."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_close_waits_for_end_even_when_read_late(common):
    order = []

    def on_conn(sock):
        sock.once("readable", lambda: net.setTimeout(lambda: (order.append("read"),
                                                               sock.read()), 100))
        sock.on("end", lambda: order.append("end"))
        sock.on("close", common.must_call(lambda _: (order.append("close"), server.close())))
        sock.end(b"foo")

    server = net.createServer(common.must_call(on_conn))

    def go():
        c = net.createConnection(server.address().port, "127.0.0.1", lambda: c.end(b"foo"))
        c.resume()

    listen_local(server, go)
    net.run()
    assert order == ["read", "end", "close"]
