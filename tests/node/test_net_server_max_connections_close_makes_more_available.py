"""Node's test-net-server-max-connections-close-makes-more-available.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_closing_frees_a_slot(common):
    accepted = []
    server = net.createServer(lambda c: (accepted.append(c), c.write(b"hi")))
    server.maxConnections = 1
    log = []

    def go():
        port = server.address().port
        first = net.connect(port, "127.0.0.1")
        first.once("data", lambda d: second_try(port, first))

    def second_try(port, first):
        refused = net.connect(port, "127.0.0.1")
        refused.on("data", common.must_not_call("data on a dropped connection"))
        refused.on("error", lambda e: None)
        # The slot is free once the server has seen the first connection close.
        refused.on("close", lambda _: (log.append("dropped"),
                                       accepted[0].once("close", lambda _: third(port)),
                                       first.destroy()))

    def third(port):
        c = net.connect(port, "127.0.0.1")
        c.once("data", common.must_call(lambda d: (log.append("served"), c.destroy(),
                                                   [a.destroy() for a in accepted],
                                                   server.close())))

    listen_local(server, go)
    net.run()
    assert log == ["dropped", "served"]
