"""Node's sequential/test-net-reconnect-error.js: 20 refused reconnects, one error + close each."""
from __future__ import annotations

import pynet as net

from .conftest import refused_port


def test_reconnect_after_refusal(common):
    port = refused_port()
    c = net.Socket()
    tries = [0]

    def on_close(_):
        tries[0] += 1
        if tries[0] < 20:
            c.connect(port, "127.0.0.1")

    c.on("error", common.must_call(lambda err: check(err), n=20))
    c.on("close", common.must_call(on_close, n=20))
    c.connect(port, "127.0.0.1")
    net.run()


def check(err):
    assert err.code == "ECONNREFUSED"
