"""Node's test-net-listening.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_listening_flag_follows_the_server(common):
    server = net.createServer()
    assert server.listening is False

    def on_listen():
        assert server.listening is True
        server.close(common.must_call(lambda *_: closed()))

    def closed():
        assert server.listening is False

    listen_local(server, common.must_call(on_listen))
    net.run()
