"""Node's test-net-buffersize.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_buffer_size_grows_while_connecting_and_is_0_at_finish(common):
    server = net.createServer(lambda c: c.resume())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        for i in range(1, 6):
            c.write(b"a")
            assert c.bufferSize == i
        c.on("finish", common.must_call(lambda: check_zero(c)))
        c.on("close", lambda _: server.close())
        c.end()

    listen_local(server, go)
    net.run()


def check_zero(c):
    assert c.bufferSize == 0
