"""Node's test-net-local-address-port.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_accepted_socket_local_side_matches_the_server(common):
    def on_conn(sock):
        assert sock.localAddress == "127.0.0.1"
        assert sock.localPort == server.address().port
        assert sock.localFamily == "IPv4"
        sock.end()
        server.close()

    server = net.createServer(common.must_call(on_conn))
    listen_local(server, lambda: net.connect(server.address().port, "127.0.0.1").resume())
    net.run()
