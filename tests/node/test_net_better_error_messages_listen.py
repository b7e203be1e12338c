"""Node's test-net-better-error-messages-listen.js: the listen error names address and port."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_listen_error_carries_address_port_and_syscall(common):
    holder = net.createServer()

    def held():
        port = holder.address().port
        server = net.createServer()

        def on_error(err):
            assert err.syscall == "listen" and err.address == "127.0.0.1" and err.port == port
            assert str(err) == f"listen EADDRINUSE: address already in use 127.0.0.1:{port}"
            holder.close()

        server.on("error", common.must_call(on_error))
        server.listen(port, "127.0.0.1")

    listen_local(holder, held)
    net.run()
