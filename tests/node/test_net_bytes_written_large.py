"""Node's test-net-bytes-written-large.js: a 10 MB write counts at once."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.parametrize("kind", ["buffer", "string", "writev"])
def test_large_write_counts_immediately(common, kind):
    size = 10 * 1024 * 1024
    server = net.createServer(lambda c: (c.resume(), c.on("end", lambda: (c.end(),
                                                                         server.close()))))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            if kind == "buffer":
                c.write(b"x" * size)
            elif kind == "string":
                c.write("x" * size)
            else:
                c.cork()
                c.write(b"x" * (size // 2))
                c.write(b"x" * (size // 2))
                c.uncork()
            assert c.bytesWritten == size
            c.end()

        c.on("connect", common.must_call(on_connect))
        c.on("close", common.must_call(lambda _: check(c, size)))

    listen_local(server, go)
    net.run()


def check(c, size):
    assert c.bytesWritten == size
