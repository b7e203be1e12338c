"""Node's test-net-socket-timeout-unref.js: unref'd sockets with timeouts let run() end."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_unrefd_sockets_with_timeouts(common):
    server = net.createServer(lambda c: c.unref())
    clients = []

    def go():
        server.unref()
        for _ in range(3):
            c = net.connect(server.address().port, "127.0.0.1")
            c.setTimeout(1000 * 60)
            c.unref()
            clients.append(c)

    listen_local(server, go)
    net.run()  # ends although the timeouts are far away
    for c in clients:
        c.destroy()
    server.close()
    net.run()
