"""Node's sequential/test-net-server-address.js (IPv6 parts need ::1 on this machine)."""
from __future__ import annotations

import pytest

import pynet as net


def test_ipv4(common):
    server = net.createServer()
    server.listen(0, "127.0.0.1", common.must_call(lambda: (check(server, "127.0.0.1", "IPv4"),
                                                             server.close())))
    net.run()


def test_ipv6_and_no_host(common):
    server = net.createServer()
    probe = net.createServer()
    ok = []
    probe.on("error", lambda e: ok.append(False))
    probe.listen(0, "::1", lambda: (ok.append(True), probe.close()))
    net.run()
    if ok != [True]:
        pytest.skip("this machine has no IPv6 loopback (::1)")
    server.listen(0, "::1", common.must_call(lambda: (check(server, "::1", "IPv6"),
                                                       server.close())))
    net.run()
    any_host = net.createServer()
    any_host.listen(0, common.must_call(lambda: (check(any_host, "::", "IPv6"),
                                                  any_host.close())))
    net.run()


def check(server, address, family):
    a = server.address()
    assert a["address"] == address and a["family"] == family and a["port"] > 0
