"""Node's test-net-listen-close-server-callback-is-not-function.js."""
from __future__ import annotations

import pynet as net


def test_close_with_a_non_function_still_closes(common):
    server = net.createServer()
    server.listen(0, common.must_not_call("listening"))
    server.on("close", common.must_call())
    server.close("bad argument")
    net.run()
