"""Node's test-net-bytes-read.js: bytesRead grows with each 'data' and is 1 MiB at the end."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_bytes_read(common):
    size = 1 << 20
    server = net.createServer(lambda c: c.end(b"x" * size))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        last = [0]

        def on_data(d):
            assert c.bytesRead > last[0]
            last[0] = c.bytesRead

        c.on("data", on_data)
        c.on("end", common.must_call(lambda: check(c, size)))
        c.on("close", common.must_call(lambda _: (check(c, size), server.close())))

    listen_local(server, go)
    net.run()


def check(c, size):
    assert c.bytesRead == size
