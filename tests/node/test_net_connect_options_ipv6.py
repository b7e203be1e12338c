"""Node's test-net-connect-options-ipv6.js: family 6 reaches the lookup; ::1 with allowHalfOpen."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import have_ipv6


def test_family_6(common):
    if not have_ipv6():
        pytest.skip("this machine has no IPv6 loopback (::1)")

    def on_conn(c):
        c.end(b"hi")
        c.resume()
        c.on("end", lambda: server.close())

    server = net.createServer(on_conn)

    def lookup(host, opts, cb):
        assert opts["family"] == 6
        cb(None, "::1", 6)

    def go():
        c = net.connect({"host": "ip6.example", "port": server.address().port, "family": 6,
                         "lookup": common.must_call(lookup), "allowHalfOpen": True,
                         "autoSelectFamily": False})
        c.on("end", common.must_call(lambda: (check(c), c.end())))
        c.resume()

    server.listen(0, "::1", go)
    net.run()


def check(c):
    assert c.remoteFamily == "IPv6" and c.writable
