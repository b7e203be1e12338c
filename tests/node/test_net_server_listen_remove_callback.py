"""Node's test-net-server-listen-remove-callback.js: the listen callback is a once-listener."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_listen_callback_does_not_stay_attached(common):
    server = net.createServer()

    def first():
        assert server.listenerCount("listening") == 0
        server.close(lambda *_: server.listen(0, "127.0.0.1", common.must_call(second)))

    def second():
        assert server.listenerCount("listening") == 0
        server.close()

    server.on("close", common.must_call(n=2))
    listen_local(server, common.must_call(first))
    net.run()
