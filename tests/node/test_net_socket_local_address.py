"""Node's test-net-socket-local-address.js: localPort is the server's remotePort, every time."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_local_port_across_reconnects(common):
    seen = []
    server = net.createServer(lambda c: (seen.append(("server", c.remotePort)), c.end()))
    client = net.Socket()
    rounds = [0]

    def connect():
        assert client.connect(server.address().port, "127.0.0.1") is client

    def on_connect():
        seen.append(("client", client.localPort))

    def on_close(_):
        rounds[0] += 1
        if rounds[0] < 3:
            connect()
        else:
            server.close()

    client.on("connect", on_connect)
    client.on("close", on_close)
    client.resume()
    listen_local(server, connect)
    net.run()
    clients = [p for who, p in seen if who == "client"]
    servers = [p for who, p in seen if who == "server"]
    assert len(clients) == 3 and sorted(clients) == sorted(servers)
