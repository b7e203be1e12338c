"""Node's test-net-throttle.js: write past false; a pausing reader still gets everything."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_throttle(common):
    n = 500_000
    chunk = b"C" * n
    received = [0]

    def on_conn(sock):
        total = 0
        while sock.write(chunk):
            total += n
        total += n
        sock.write(chunk)
        total += n
        assert sock.writableLength <= total
        state["total"] = total
        sock.end()

    server = net.createServer(on_conn)
    state = {}

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_data(d):
            received[0] += len(d)
            c.pause()
            net.setTimeout(c.resume, 1)

        c.on("data", on_data)
        c.on("end", common.must_call(lambda: server.close()))

    listen_local(server, go)
    net.run()
    assert received[0] == state["total"]
