"""Node's test-net-stream.js: pause() returns the socket; one error for the writer."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_destroyed_paused_reader_errors_the_writer_once(common):
    errors_seen = []

    def on_conn(sock):
        def pump():
            while sock.write(b"x" * 65536):
                pass
        sock.on("error", errors_seen.append)
        sock.on("drain", pump)
        pump()
        sock.on("close", lambda _: server.close())

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        assert c.pause() is c
        net.setTimeout(c.destroy, 50)

    listen_local(server, go)
    net.run()
    assert len(errors_seen) == 1
