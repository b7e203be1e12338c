"""Node's test-net-server-blocklist.js (v25): the server drops blocked peers."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_server_drops_blocked_peer(common):
    bl = net.BlockList()
    bl.addAddress("127.0.0.2")
    server = net.createServer({"blockList": bl}, common.must_not_call("connection"))

    def go():
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "localAddress": "127.0.0.2"})
        c.on("error", lambda e: None)
        c.on("close", common.must_call(lambda _: server.close()))
        c.resume()

    listen_local(server, go)
    net.run()
