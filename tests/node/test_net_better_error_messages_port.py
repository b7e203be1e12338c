"""Node's sequential/test-net-better-error-messages-port.js."""
from __future__ import annotations

import pynet as net

from .conftest import refused_port


def test_refused_error_has_port_and_address(common):
    port = refused_port()
    c = net.connect(port, "127.0.0.1")
    c.on("error", common.must_call(lambda err: check(err, port)))
    net.run()


def check(err, port):
    assert err.code == "ECONNREFUSED" and err.port == port and err.address == "127.0.0.1"
