"""Node's test-net-binary.js: all 256 byte values round-trip as latin1."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_latin1_round_trip(common):
    text = "".join(chr(i) for i in range(256))
    got = []

    def on_conn(c):
        c.setEncoding("latin1")
        c.on("data", lambda d: c.write(d, "latin1"))
        c.on("end", lambda: c.end())

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.setEncoding("latin1")
        c.on("data", got.append)
        c.on("close", lambda _: server.close())
        c.end(text, "latin1")

    listen_local(server, go)
    net.run()
    assert "".join(got) == text
