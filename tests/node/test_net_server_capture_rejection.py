"""Node's test-net-server-capture-rejection.js: an async handler's failure becomes 'error'."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.xfail(strict=True, reason="missing: captureRejections (a coroutine listener's "
                   "exception routed to the emitter's 'error')")
def test_async_connection_handler_failure_goes_to_error(common):
    async def on_conn(sock):
        raise RuntimeError("kaboom")

    server = net.createServer({"captureRejections": True}, on_conn)
    seen = []

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("close", lambda _: server.close())
        c.resume()

    server.on("connection", lambda s: s.on("error", seen.append))
    listen_local(server, go)
    net.run()
    assert seen and str(seen[0]) == "kaboom"
