"""Node's test-net-error-twice.js: writes to a reset peer give exactly one 'error'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_one_error_for_many_failed_writes(common):
    errors_seen = []

    def on_conn(c):
        c.on("error", errors_seen.append)

        def pump():
            while c.write(b"x" * 65536):
                pass
        c.on("drain", pump)
        pump()
        c.on("close", common.must_call(lambda _: server.close()))

    server = net.createServer(on_conn)

    def go():
        client = net.connect(server.address().port, "127.0.0.1")
        client.once("data", lambda d: client.resetAndDestroy())

    listen_local(server, go)
    net.run()
    assert len(errors_seen) == 1
    assert errors_seen[0].code in ("ECONNRESET", "EPIPE")
