"""Node's test-net-server-close-before-calling-lookup-callback.js (v25)."""
from __future__ import annotations

import pynet as net


def test_close_while_the_host_resolves(common):
    server = net.createServer()
    server.listen(0, "localhost", common.must_not_call("listen callback"))
    server.on("close", common.must_call())
    server.close()
    net.run()  # returns: the late lookup answer does not start listening
    assert server.listening is False
