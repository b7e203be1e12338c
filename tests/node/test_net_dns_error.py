"""Node's test-net-dns-error.js, with a lookup that fails like the resolver (no query sent)."""
from __future__ import annotations

import pynet as net


def test_lookup_error_then_error_event(common):
    host = "a" * 64

    def lookup(h, opts, cb):
        err = OSError(f"getaddrinfo ENOTFOUND {h}")
        err.code = "ENOTFOUND"
        cb(err)

    c = net.Socket()
    c.on("lookup", common.must_call(lambda err, ip, typ, h: check_lookup(err, ip, typ)))
    c.connect({"host": host, "port": 80, "lookup": lookup})
    c.on("error", common.must_call(lambda err: check(err)))
    net.run()


def check_lookup(err, ip, typ):
    assert err is not None and ip is None and typ is None


def check(err):
    assert err.code == "ENOTFOUND"
