"""Node's test-net-reuseport.js (v25): reusePort lets two servers share a port."""
from __future__ import annotations

import pytest

import pynet as net


@pytest.mark.xfail(strict=True, reason="missing: the listen() reusePort option "
                   "(Node 22.12+, UV_TCP_REUSEPORT needs libuv 1.49; this libuv is 1.44)")
def test_two_servers_share_a_port():
    a = net.createServer()
    outcome = []

    def go():
        b = net.createServer()
        b.on("error", lambda e: (outcome.append(e.code), a.close()))
        b.listen({"port": a.address().port, "host": "127.0.0.1", "reusePort": True},
                 lambda: (outcome.append("shared"), b.close(), a.close()))

    a.listen({"port": 0, "host": "127.0.0.1", "reusePort": True}, go)
    net.run()
    assert outcome == ["shared"]
