"""Node's test-net-connect-options-allowhalfopen.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_client_stays_writable_after_the_server_fin(common):
    got = []

    def on_conn(c):
        c.end()  # the server half-closes first
        c.on("data", got.append)
        c.on("end", common.must_call(lambda: server.close()))

    server = net.createServer(on_conn)

    def go():
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "allowHalfOpen": True})

        def on_end():
            assert c.readable is False and c.writable is True
            c.write(b"still ")
            c.end(b"writing")

        c.on("end", common.must_call(on_end))
        c.resume()

    listen_local(server, go)
    net.run()
    assert b"".join(got) == b"still writing"
