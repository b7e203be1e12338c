"""Node's test-net-server-try-ports.js: EADDRINUSE, then port 0 works."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_second_server_falls_back_to_port_0(common):
    first = net.createServer()

    def held():
        second = net.createServer()

        def on_error(err):
            assert err.code == "EADDRINUSE"
            second.listen(0, "127.0.0.1", common.must_call(
                lambda: (second.close(), first.close())))

        second.once("error", common.must_call(on_error))
        second.listen(first.address().port, "127.0.0.1")

    listen_local(first, held)
    net.run()
