"""Node's sequential/test-net-connect-handle-econnrefused.js."""
from __future__ import annotations

import pynet as net

from .conftest import refused_port


def test_not_connecting_in_the_error_handler(common):
    c = net.connect(refused_port(), "127.0.0.1")
    c.on("error", common.must_call(lambda err: check(c)))
    net.run()


def check(c):
    assert c.connecting is False
