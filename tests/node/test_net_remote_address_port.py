"""Node's test-net-remote-address-port.js and test-net-remote-address.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_remote_address_before_during_after(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        assert c.remoteAddress is None and c.remotePort is None and c.remoteFamily is None

        def on_connect():
            assert c.remoteAddress == "127.0.0.1" and c.remoteFamily == "IPv4"
            assert c.remotePort == server.address().port

        def on_close(_):
            assert c.remoteAddress == "127.0.0.1"  # read before: kept after close
            server.close()

        c.on("connect", common.must_call(on_connect))
        c.on("close", common.must_call(on_close))
        c.resume()

    listen_local(server, go)
    net.run()
