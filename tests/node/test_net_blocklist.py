"""Node's test-net-blocklist.js (v25): the blockList connect option."""
from __future__ import annotations

import pynet as net


def test_blocked_destination(common):
    bl = net.BlockList()
    bl.addAddress("127.0.0.1")
    c = net.connect({"port": 9, "host": "127.0.0.1", "blockList": bl})

    def on_error(err):
        assert err.code == "ERR_IP_BLOCKED"
        assert str(err) == "IP(127.0.0.1) is blocked by net.BlockList"

    c.on("error", common.must_call(on_error))
    net.run()
