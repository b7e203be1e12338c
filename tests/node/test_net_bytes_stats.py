"""Node's test-net-bytes-stats.js: per-connection counters, reset on reconnect."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_counters_per_connection(common):
    seen = []
    server = net.createServer(lambda c: (c.resume(), c.on("end", lambda: (
        seen.append(("server read", c.bytesRead)), c.end()))))
    client = net.Socket()
    rounds = [0]

    def go():
        client.connect(server.address().port, "127.0.0.1")

    def on_connect():
        client.end(b"foo" * (rounds[0] + 1))

    def on_close(_):
        seen.append(("client wrote", client.bytesWritten))
        rounds[0] += 1
        if rounds[0] < 2:
            go()
        else:
            server.close()

    client.on("connect", on_connect)
    client.on("close", on_close)
    client.resume()
    listen_local(server, go)
    net.run()
    assert ("client wrote", 3) in seen and ("client wrote", 6) in seen
    assert ("server read", 3) in seen and ("server read", 6) in seen
