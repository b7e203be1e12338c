"""Node's test-net-server-call-listen-multiple-times.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors

from .conftest import listen_local


def test_listen_after_eaddrinuse_again_after_close_and_not_while_listening(common):
    holder = net.createServer()

    def held():
        port = holder.address().port
        server = net.createServer()

        def on_error(err):
            assert err.code == "EADDRINUSE"
            server.listen(0, "127.0.0.1", common.must_call(listening))

        def listening():
            with pytest.raises(errors.ERR_SERVER_ALREADY_LISTEN):
                server.listen(0, "127.0.0.1")
            server.close(common.must_call(lambda *_: server.listen(
                0, "127.0.0.1", common.must_call(lambda: (server.close(), holder.close())))))

        server.once("error", common.must_call(on_error))
        server.listen(port, "127.0.0.1")

    listen_local(holder, held)
    net.run()
