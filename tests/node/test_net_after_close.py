"""Node's test-net-after-close.js: methods are harmless after 'close'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_after_close_nothing_throws(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_close(_):
            assert c._handle is None
            c.setNoDelay()
            c.setKeepAlive(True, 100)
            c.pause()
            c.resume()
            assert c.bufferSize == 0
            assert c.address() == {}
            c.remoteAddress
            c.remotePort
            server.close()

        c.on("close", common.must_call(on_close))
        c.resume()

    listen_local(server, go)
    net.run()
