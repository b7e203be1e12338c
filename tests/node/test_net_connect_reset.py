"""Node's test-net-connect-reset.js."""
from __future__ import annotations

import pynet as net


def test_reset_unconnected_is_socket_closed(common):
    s = net.Socket()
    s.on("error", common.must_call(lambda err: check(err)))
    s.on("close", common.must_call())
    s.resetAndDestroy()
    net.run()


def check(err):
    assert err.code == "ERR_SOCKET_CLOSED" and str(err) == "Socket is closed"
