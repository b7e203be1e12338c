"""Node's test-net-connect-custom-lookup-non-string-address.mjs (v25; Node 20 aborts here)."""
from __future__ import annotations

import pynet as net


def test_array_address_is_invalid_ip(common):
    c = net.connect({"host": "x.example", "port": 80, "autoSelectFamily": False,
                     "lookup": lambda h, o, cb: cb(None, ["127.0.0.1"], 4)})
    c.on("error", common.must_call(lambda err: check(err)))
    net.run()


def check(err):
    assert err.code == "ERR_INVALID_IP_ADDRESS" and "127.0.0.1" in str(err)
