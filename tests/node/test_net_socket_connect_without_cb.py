"""Node's test-net-socket-connect-without-cb.js and test-net-socket-ready-without-cb.js."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.parametrize("event", ["connect", "ready"])
def test_connect_to_an_address_object_without_callback(common, event):
    server = net.createServer(lambda c: c.end())

    def go():
        c = net.Socket()
        c.on(event, common.must_call(lambda: (c.destroy(), server.close())))
        c.connect(server.address())

    listen_local(server, go)
    net.run()
