"""Node's test-net-listen-ipv6only.js (connecting to 127.0.0.1 rather than 0.0.0.0)."""
from __future__ import annotations

import pytest

import pynet as net


def have_ipv6() -> bool:
    probe = net.createServer()
    ok = []
    probe.on("error", lambda e: ok.append(False))
    probe.listen(0, "::1", lambda: (ok.append(True), probe.close()))
    net.run()
    return ok == [True]


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
