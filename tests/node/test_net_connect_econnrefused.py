"""Node's sequential/test-net-connect-econnrefused.js (reduced): refused connects leak nothing."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_refused_storm_leaks_nothing(common):
    server = net.createServer()
    errors_seen = [0]

    def go():
        port = server.address().port
        server.close(lambda *_: [attempt(port) for _ in range(50)])

    def attempt(port):
        c = net.connect(port, "127.0.0.1")
        c.on("error", lambda err: errors_seen.__setitem__(0, errors_seen[0] + 1))

    listen_local(server, go)
    net.run()
    assert errors_seen[0] == 50
    # The autouse no_leaks fixture checks that no handle or fd is left.
