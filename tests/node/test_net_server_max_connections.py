"""Node's test-net-server-max-connections.js: 10 of 20 get data, the rest are closed."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_max_connections(common):
    server = net.createServer(lambda c: c.write(b"hello"))
    server.maxConnections = 10
    results = []

    def go():
        for _ in range(20):
            c = net.connect(server.address().port, "127.0.0.1")
            got = []
            c.on("data", got.append)
            c.on("error", lambda e: None)
            c.on("close", lambda _, got=got: done(got))

    def done(got):
        results.append(b"".join(got))
        if len(results) == 20:
            server.close()

    listen_local(server, go)
    server.on("connection", lambda c: net.setTimeout(c.end, 50))
    net.run()
    assert results.count(b"hello") == 10 and results.count(b"") == 10
