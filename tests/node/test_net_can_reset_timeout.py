"""Node's test-net-can-reset-timeout.js: writing inside 'timeout' works."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_write_in_timeout_handler(common):
    def on_conn(sock):
        sock.setTimeout(50)

        def on_timeout():
            sock.write(b"still here")
            sock.end()
        sock.once("timeout", common.must_call(on_timeout))
        sock.resume()

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("data", common.must_call_at_least(lambda d: None))
        c.on("end", common.must_call(lambda: (c.end(), server.close())))

    listen_local(server, go)
    net.run()
