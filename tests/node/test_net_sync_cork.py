"""Node's test-net-sync-cork.js: corked 2-byte writes never say false."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_cork_uncork_loop(common):
    server = net.createServer(lambda c: (c.resume(), c.on("end", lambda: (c.end(),
                                                                         server.close()))))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            for _ in range(100):
                c.cork()
                assert c.write(b"hi") is True
                assert c.write(b"hi") is True
                c.uncork()
            c.end()

        c.on("connect", common.must_call(on_connect))

    listen_local(server, go)
    net.run()
