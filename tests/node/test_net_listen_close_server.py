"""Node's test-net-listen-close-server.js: close() right after listen()."""
from __future__ import annotations

import pynet as net


def test_close_before_listening_never_calls_back(common):
    server = net.createServer()
    server.listen(0, common.must_not_call("listen callback"))
    server.on("error", common.must_not_call("error"))
    server.close()
    net.run()
