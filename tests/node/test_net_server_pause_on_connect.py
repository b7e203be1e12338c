"""Node's test-net-server-pause-on-connect.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_pause_on_connect(common):
    state = {"resumed": False}

    def on_conn(sock):
        sock.on("data", common.must_call(lambda d: check(state, sock, d)))
        net.setTimeout(lambda: (assert_zero(sock), state.__setitem__("resumed", True),
                                sock.resume()), 50)

    server = net.createServer({"pauseOnConnect": True}, on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.end(b"hello")
        c.on("close", lambda _: server.close())
        c.resume()

    listen_local(server, go)
    net.run()


def assert_zero(sock):
    assert sock.bytesRead == 0


def check(state, sock, d):
    assert state["resumed"] and d == b"hello"
    sock.end()
