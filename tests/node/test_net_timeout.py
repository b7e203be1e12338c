"""Node's pummel/test-net-timeout.js: an idle server socket times out; activity resets it."""
from __future__ import annotations

import time

import pynet as net

from .conftest import listen_local


def test_idle_timeout_and_reset(common):
    marks = {}

    def on_conn(sock):
        sock.setTimeout(100)
        marks["start"] = time.monotonic()
        sock.on("data", lambda d: marks.__setitem__("last", time.monotonic()))
        sock.on("timeout", common.must_call(lambda: (marks.__setitem__(
            "timeout", time.monotonic()), sock.destroy(), server.close())))

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("error", lambda e: None)
        for i in range(3):
            net.setTimeout(lambda: c.write(b"x"), 50 * (i + 1))

    listen_local(server, go)
    net.run()
    # libuv timers count whole milliseconds of loop time: allow a little slack.
    assert marks["timeout"] - marks["last"] >= 0.08  # idle counted from the last byte
    assert marks["timeout"] - marks["start"] >= 0.18
