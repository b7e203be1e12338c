"""Node's test-net-eaddrinuse.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_eaddrinuse_message(common):
    a = net.createServer()

    def held():
        b = net.createServer()
        b.on("error", common.must_call(lambda err: (
            assert_in("EADDRINUSE", str(err)), a.close())))
        b.listen(a.address().port, "127.0.0.1")

    listen_local(a, held)
    net.run()


def assert_in(needle, hay):
    assert needle in hay
