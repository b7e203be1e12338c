"""Node's test-net-connect-buffer.js and -buffer2.js."""
from __future__ import annotations

import pynet as net

from .conftest import collecting_server, listen_local


def test_pending_bytes_states_and_hwm_0(common):
    got = []

    server = collecting_server(got)

    def go():
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "highWaterMark": 0})
        assert c.pending is True and c.connecting is True and c.readyState == "opening"
        assert c.write("h\u00e9llo") is False  # high-water mark 0: always False
        assert c.bytesWritten == 6  # bytes, not characters
        c.on("connect", common.must_call(lambda: check_open(c)))
        c.on("close", common.must_call(lambda _: check_closed(c)))
        c.end()

    listen_local(server, go)
    net.run()
    assert b"".join(got) == "h\u00e9llo".encode()


def check_open(c):
    assert c.pending is False and c.connecting is False


def check_closed(c):
    assert c.pending is True
