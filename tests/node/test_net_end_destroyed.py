"""Node's test-net-end-destroyed.js: not destroyed yet at 'end'."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_not_destroyed_at_end(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("end", common.must_call(lambda: (check(c), server.close())))
        c.resume()

    listen_local(server, go)
    net.run()


def check(c):
    assert c.destroyed is False
