"""Node's async-hooks/test-net-get-connections.js: getConnections on a server never listened."""
from __future__ import annotations

import pynet as net


def test_get_connections_without_listening(common):
    server = net.createServer()
    server.getConnections(common.must_call(lambda err, n: check(err, n)))
    net.run()


def check(err, n):
    assert err is None and n == 0
