"""Node's test-net-client-bind-twice.js: a client localPort held by a server is EADDRINUSE."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_local_port_in_use(common):
    server = net.createServer()

    def go():
        port = server.address().port
        c = net.connect({"host": "127.0.0.1", "port": port, "localAddress": "127.0.0.1",
                         "localPort": port})
        c.on("error", common.must_call(lambda err: (check(err), server.close())))

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code == "EADDRINUSE"
