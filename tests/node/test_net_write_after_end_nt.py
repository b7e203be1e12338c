"""Node's test-net-write-after-end-nt.js: write in 'end' after both ends: EPIPE, error next tick."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_write_after_end_is_epipe(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        order = []

        def on_end():
            c.end()  # both sides done now
            ret = c.write(b"hello", common.must_call(lambda err: (order.append("cb"),
                                                                   check(err))))
            assert ret is False
            net.nextTick(lambda: order.append("tick"))

        c.on("end", common.must_call(on_end))
        c.on("error", common.must_call(lambda err: (order.append("error"), check(err))))
        c.on("close", lambda _: (server.close(), check_order(order)))
        c.resume()

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code == "EPIPE" and str(err) == "This socket has been ended by the other party"


def check_order(order):
    assert order[0] == "tick" or order.index("cb") < order.index("error")
