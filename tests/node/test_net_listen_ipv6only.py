"""Node's test-net-listen-ipv6only.js (connecting to 127.0.0.1 rather than 0.0.0.0)."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import have_ipv6


def test_ipv6_only_refuses_ipv4(common):
    if not have_ipv6():
        pytest.skip("this machine has no IPv6 loopback (::1)")
    server = net.createServer()

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("error", common.must_call(lambda err: (check(err), server.close())))

    server.listen({"host": "::", "port": 0, "ipv6Only": True}, go)
    net.run()


def check(err):
    assert err.code == "ECONNREFUSED"
