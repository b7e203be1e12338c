"""Node's test-net-reconnect.js: one Socket reconnects 50 times from 'close'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_reconnect_50_times(common):
    server = net.createServer(lambda c: c.end(b"hello"))
    client = net.Socket()
    count = [0]

    def on_close(_):
        count[0] += 1
        if count[0] < 50:
            client.connect(server.address().port, "127.0.0.1")
        else:
            server.close()

    client.on("close", on_close)
    client.on("data", common.must_call(lambda d: None, n=50))
    listen_local(server, lambda: client.connect(server.address().port, "127.0.0.1"))
    net.run()
