"""Node's pummel/test-net-many-clients.js (reduced): 50 clients x 3 connections get 40 KB each."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_many_clients(common):
    body = b"x" * 40_000
    server = net.createServer(lambda c: c.end(body))
    done = [0]

    def client(left):
        c = net.connect(server.address().port, "127.0.0.1")
        got = []
        c.on("data", got.append)

        def on_close(had_error):
            assert had_error is False and b"".join(got) == body
            done[0] += 1
            if left > 1:
                client(left - 1)
            elif done[0] == 150:
                server.close()

        c.on("close", on_close)

    listen_local(server, lambda: [client(3) for _ in range(50)])
    net.run()
    assert done[0] == 150
