"""Node's test-net-listen-error.js: binding a non-local address fails asynchronously.

No packet is sent: bind() fails on this machine because the address is not local.
"""
from __future__ import annotations

import pynet as net


def test_listen_on_a_foreign_address_is_an_error_event(common):
    server = net.createServer()

    def on_error(err):
        assert err.code in ("EADDRNOTAVAIL", "EACCES")
        assert err.syscall == "listen"
        assert err.address == "1.1.1.1" and err.port == 1

    server.on("error", common.must_call(on_error))
    server.listen(1, "1.1.1.1", common.must_not_call("listening"))
    net.run()
