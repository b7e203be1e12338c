"""Node's test-net-during-close.js: addresses of a connecting client never throw."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_addresses_while_closing(common):
    server = net.createServer(lambda c: c.destroy())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        server.close()
        c.remoteAddress
        c.remoteFamily
        c.remotePort
        c.on("close", common.must_call())
        c.on("error", lambda e: None)
        c.resume()

    listen_local(server, go)
    net.run()
