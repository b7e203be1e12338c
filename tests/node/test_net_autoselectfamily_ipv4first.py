"""Node's test-net-autoselectfamily-ipv4first.js: an A record first is tried first."""
from __future__ import annotations

import pynet as net

from .conftest import STALL_PROOF_MS, listen_local


def test_ipv4_first(common):
    server = net.createServer(lambda c: c.end())

    def lookup(host, opts, cb):
        cb(None, [{"address": "127.0.0.1", "family": 4}, {"address": "::1", "family": 6}])

    def go():
        port = server.address().port
        c = net.connect({"host": "example.org", "port": port, "lookup": lookup,
                         "autoSelectFamily": True,
                         "autoSelectFamilyAttemptTimeout": STALL_PROOF_MS})
        c.on("connect", common.must_call(lambda: check(c, port)))
        c.on("close", lambda _: server.close())
        c.resume()

    listen_local(server, go)
    net.run()


def check(c, port):
    assert c.autoSelectFamilyAttemptedAddresses == [f"127.0.0.1:{port}"]
