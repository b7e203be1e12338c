"""Node's test-net-socket-reset-twice.js: resetAndDestroy inside 'error'."""
from __future__ import annotations

import pynet as net

from .conftest import refused_port


def test_reset_in_error_handler(common):
    c = net.connect(refused_port(), "127.0.0.1")
    c.on("error", common.must_call(lambda err: c.resetAndDestroy()))
    c.on("close", common.must_call())
    net.run()
