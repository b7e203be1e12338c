"""Node's test-net-socket-byteswritten.js: corked 'one' + 'twø' is 7 bytes before connect."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_corked_bytes_before_connect(common):
    server = net.createServer(lambda c: (c.resume(), c.on("end", lambda: (c.end(),
                                                                         server.close()))))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.cork()
        c.write("one")
        c.write("tw\u00f8")
        assert c.bytesWritten == 7
        c.uncork()
        c.end()
        c.on("close", common.must_call(lambda _: check(c)))

    listen_local(server, go)
    net.run()


def check(c):
    assert c.bytesWritten == 7
