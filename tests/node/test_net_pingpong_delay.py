"""Node's pummel/test-net-pingpong-delay.js: readyState through a delayed exchange."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_ready_states(common):
    states = []

    def on_conn(sock):
        sock.on("data", lambda d: (states.append(("data", sock.readyState)),
                                   net.setTimeout(lambda: sock.write(b"PONG"), 1)))
        sock.on("end", common.must_call(lambda: (states.append(("end", sock.readyState)),
                                                  sock.end())))
        sock.on("close", common.must_call(lambda _: states.append(("close", sock.readyState))))

    server = net.createServer({"allowHalfOpen": True}, on_conn)
    n = [0]

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", lambda: c.write(b"PING"))

        def on_data(d):
            n[0] += 1
            if n[0] < 20:
                c.write(b"PING")
            else:
                c.end()
        c.on("data", on_data)
        c.on("close", lambda _: server.close())

    listen_local(server, go)
    net.run()
    assert all(s == "open" for kind, s in states if kind == "data")
    assert ("end", "writeOnly") in states and ("close", "closed") in states
