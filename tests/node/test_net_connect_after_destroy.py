"""Node's test-net-connect-after-destroy.js, with a lookup that stays on this machine."""
from __future__ import annotations

import pynet as net


def test_destroy_right_after_connect_is_harmless(common):
    def lookup(host, opts, cb):
        net.setImmediate(lambda: cb(None, [{"address": "127.0.0.1", "family": 4}])
                         if opts.get("all") else cb(None, "127.0.0.1", 4))

    c = net.createConnection({"port": 9, "host": "example.invalid", "lookup": lookup})
    c.on("connect", common.must_not_call("connect"))
    c.on("close", common.must_call())
    c.destroy()
    net.run()
