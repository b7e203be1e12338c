"""Node's test-net-write-connect-write.js."""
from __future__ import annotations

import pynet as net

from .conftest import collecting_server, listen_local


def test_writes_before_and_at_connect_arrive_in_order(common):
    got = []

    server = collecting_server(got)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.write(b"before ")
        c.on("connect", common.must_call(lambda: c.end(b"after")))

    listen_local(server, go)
    net.run()
    assert b"".join(got) == b"before after"
