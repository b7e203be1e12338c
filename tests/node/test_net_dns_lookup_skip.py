"""Node's test-net-dns-lookup-skip.js: an IP literal host does no lookup."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_no_lookup_for_ip_literals(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("lookup", common.must_not_call("lookup"))
        c.on("close", lambda _: server.close())
        c.resume()

    listen_local(server, go)
    net.run()
