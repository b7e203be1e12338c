"""Node's pummel/test-net-timeout.js: an idle server socket times out; activity resets it."""
from __future__ import annotations

import time

import pynet as net

from .conftest import listen_local

IDLE_MS = 300  # long against scheduler hiccups on a loaded CI machine
GAP_MS = 100  # the client writes every GAP_MS: each write must push the timeout back


def test_idle_timeout_and_reset(common):
    marks: dict[str, float] = {}
    received = bytearray()

    def on_conn(sock):
        sock.setTimeout(IDLE_MS)

        def on_data(d):
            received.extend(d)
            marks["last"] = time.monotonic()

        sock.on("data", on_data)
        sock.on("timeout", common.must_call(lambda: (marks.__setitem__(
            "timeout", time.monotonic()), sock.destroy(), server.close())))

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("error", lambda e: None)

        def write_later(left):
            if left:
                c.write(b"x")
                net.setTimeout(write_later, GAP_MS, left - 1)

        # Writes 1..4 span 3 * GAP_MS + ... > IDLE_MS: without the reset the
        # timeout would destroy the socket before the last byte arrived.
        c.on("connect", lambda: net.setTimeout(write_later, GAP_MS, 4))

    listen_local(server, go)
    net.run()
    assert bytes(received) == b"xxxx"  # every write landed before the timeout
    # Idle is counted from the last byte (libuv timers count whole ms of loop time).
    assert marks["timeout"] - marks["last"] >= (IDLE_MS - 20) / 1000
