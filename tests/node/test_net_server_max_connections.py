"""Node's test-net-server-max-connections.js: 10 of 20 get data, the rest are closed."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_max_connections(common):
    served = []
    server = net.createServer(lambda c: (served.append(c), c.write(b"hello")))
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
        # The served ten stay open until all ten extra ones were dropped, so no
        # slot frees up early however slowly the machine accepts.
        if results.count(b"") == 10 and len(results) == 10:
            for c in served:
                c.end()
        if len(results) == 20:
            server.close()

    listen_local(server, go)
    net.run()
    assert results.count(b"hello") == 10 and results.count(b"") == 10
