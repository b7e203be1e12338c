"""Node's test-net-write-after-close.js: writing to a peer that is gone calls back with an error."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_write_to_a_closed_peer(common):
    served = []

    def on_conn(sock):
        served.append(sock)
        sock.resume()
        sock.on("error", common.must_not_call("server socket error"))

    server = net.createServer(on_conn)

    def go():
        def on_connect():
            # end() closes both sides (allowHalfOpen is false): by the client's
            # 'end' the server socket has ended too, so its write must fail.
            def on_end():
                served[0].write(b"test", common.must_call(lambda err: (check(err),
                                                                       server.close())))
            c.on("end", common.must_call(on_end))
            c.end()

        c = net.connect(server.address().port, "127.0.0.1", on_connect)

    listen_local(server, go)
    net.run()


def check(err):
    # Node 20 says exactly this (writeAfterFIN).
    assert err.code == "EPIPE" and str(err) == "This socket has been ended by the other party"
