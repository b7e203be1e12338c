"""Node's test-net-socket-tos.js (v25): setTypeOfService / getTypeOfService."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.xfail(strict=True, reason="missing: socket.setTypeOfService()/getTypeOfService() "
                   "(Node 24+)")
def test_type_of_service(common):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", lambda: (c.setTypeOfService(0x10), check(c), c.destroy(),
                                 server.close()))

    listen_local(server, go)
    net.run()


def check(c):
    assert c.getTypeOfService() == 0x10
