"""Node's test-net-write-slow.js: ten 200 KB writes to a slow reader all flush."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_big_writes_to_a_slow_reader(common):
    size = 200 * 1024
    received = [0]

    def on_conn(sock):
        sock.setNoDelay()
        sock.on("data", lambda d: (received.__setitem__(0, received[0] + len(d)), sock.pause(),
                                   net.setTimeout(sock.resume, 1)))
        sock.on("end", lambda: (sock.end(), server.close()))

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        for _ in range(10):
            c.write(b"x" * size, common.must_call(lambda err: check(err)))
        c.end()

    listen_local(server, go)
    net.run()
    assert received[0] == 10 * size


def check(err):
    assert err is None
