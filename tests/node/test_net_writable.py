"""Node's test-net-writable.js: still writable at 'end'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_writable_at_end(common):
    server = net.createServer(lambda c: (c.end(), c.resume()))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_end():
            assert c.writable is True
            c.write(b"ok")
            server.close()

        c.on("end", common.must_call(on_end))
        c.resume()

    listen_local(server, go)
    net.run()
