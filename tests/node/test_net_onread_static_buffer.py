"""Node's test-net-onread-static-buffer.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_static_buffer_no_data_events_and_false_pauses(common):
    payload = b"x" * 100
    buf = bytearray(32)
    calls = []

    server = net.createServer(lambda c: c.end(payload))

    def go():
        def callback(nread, b):
            assert b is buf
            calls.append(nread)
            if len(calls) == 1:
                net.setTimeout(lambda: (check_paused(c), c.resume()), 20)
                return False
            return None

        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "onread": {"buffer": buf, "callback": callback}})
        c.on("data", common.must_not_call("data"))
        c.on("close", common.must_call(lambda _: server.close()))

    listen_local(server, go)
    net.run()
    assert sum(calls) == len(payload) and max(calls) <= 32


def check_paused(c):
    assert c.isPaused() is False  # as in Node: returning False stops reading, not the stream
