"""Node's test-net-connect-destroy.js: a never-connected Socket still closes."""
from __future__ import annotations

import pynet as net


def test_destroy_unconnected_emits_close(common):
    s = net.Socket()
    s.on("close", common.must_call())
    s.destroy()
    net.run()
