"""Node's test-net-server-reset.js: the server resets two clients."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_server_resets_both(common):
    accepted = []

    def on_conn(sock):
        accepted.append(sock)
        if len(accepted) == 2:
            for s in accepted:
                s.resetAndDestroy()
            server.close()

    server = net.createServer(on_conn)

    def go():
        for _ in range(2):
            c = net.connect(server.address().port, "127.0.0.1")
            c.on("error", common.must_call(lambda err: check(err)))
            c.resume()

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code == "ECONNRESET"
