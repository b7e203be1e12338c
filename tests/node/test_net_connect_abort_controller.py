"""Node's test-net-connect-abort-controller.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors

from .conftest import listen_local


@pytest.mark.parametrize("when", ["before", "now", "tick"])
def test_abort_destroys_with_abort_error(common, when):
    server = net.createServer(lambda c: c.resume())

    def go():
        ac = net.AbortController()
        if when == "before":
            ac.abort()
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "signal": ac.signal})
        if when == "now":
            ac.abort()
        elif when == "tick":
            net.nextTick(ac.abort)
        c.on("error", common.must_call(lambda err: check(err)))
        c.on("close", common.must_call(lambda _: server.close()))

    listen_local(server, go)
    net.run()


def check(err):
    assert isinstance(err, errors.AbortError) and err.code == "ABORT_ERR"
