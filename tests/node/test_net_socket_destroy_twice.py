"""Node's test-net-socket-destroy-twice.js: destroy inside 'error' is harmless."""
from __future__ import annotations

import pynet as net

from .conftest import refused_port


def test_destroy_inside_error(common):
    c = net.connect(refused_port(), "127.0.0.1")
    c.on("error", common.must_call(lambda err: c.destroy()))
    c.on("close", common.must_call())
    net.run()
