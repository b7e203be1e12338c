"""Node's sequential/test-net-localport.js: the server sees the client's localPort."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_local_port_is_the_remote_port_seen_by_the_server(common):
    seen = {}

    def on_conn(c):
        seen["remote"] = c.remotePort
        c.end()
        server.close()

    server = net.createServer(common.must_call(on_conn))

    def go():
        c = net.connect({"host": "127.0.0.1", "port": server.address().port})
        c.on("connect", common.must_call(lambda: seen.__setitem__("local", c.localPort)))
        c.resume()

    listen_local(server, go)
    net.run()
    assert seen["local"] == seen["remote"]
