"""Node's test-net-server-listen-options-signal.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_non_signal():
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.createServer().listen({"port": 0, "signal": "INVALID_SIGNAL"})


@pytest.mark.parametrize("pre", [True, False])
def test_abort_closes(common, pre):
    ac = net.AbortController()
    if pre:
        ac.abort()
    server = net.createServer()
    server.on("close", common.must_call())
    server.listen({"port": 0, "host": "127.0.0.1", "signal": ac.signal})
    if not pre:
        ac.abort()
    net.run()
