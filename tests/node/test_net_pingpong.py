"""Node's test-net-pingpong.js: 1000 round trips on an allowHalfOpen server."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local

N = 1000


def test_ping_pong(common):
    def on_conn(sock):
        assert sock.server is server
        server.getConnections(common.must_call(lambda err, n: check_count(err, n)))
        sock.setEncoding("utf8")
        sock.setNoDelay()

        def on_data(data):
            assert data == "PING"
            assert sock.readable and sock.writable
            sock.write("PONG")

        def on_end():
            assert sock.writable is True and sock.readable is False
            sock.end()

        sock.on("data", on_data)
        sock.on("end", common.must_call(on_end))
        sock.on("close", common.must_call(lambda _: check_closed(sock)))

    server = net.createServer({"allowHalfOpen": True}, on_conn)
    count = [0]

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.setEncoding("utf8")
        c.on("connect", common.must_call(lambda: c.write("PING")))

        def on_data(data):
            assert data == "PONG"
            count[0] += 1
            if count[0] < N:
                c.write("PING")
            else:
                c.end()

        c.on("data", on_data)
        c.on("close", common.must_call(lambda _: server.close()))

    listen_local(server, go)
    net.run()
    assert count[0] == N


def check_count(err, n):
    assert err is None and n == 1


def check_closed(sock):
    assert not sock.readable and not sock.writable
