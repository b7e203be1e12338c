"""Node's test-net-connect-immediate-finish.js: end() while the lookup fails."""
from __future__ import annotations

import pynet as net


def test_lookup_error_surfaces_after_end(common):
    def lookup(host, opts, cb):
        err = OSError("getaddrinfo ENOTFOUND " + host)
        err.code = "ENOTFOUND"
        err.syscall = "getaddrinfo"
        err.hostname = host
        net.setImmediate(lambda: cb(err))

    c = net.connect({"port": 80, "host": "this.host.does.not.exist.invalid", "lookup": lookup})
    c.end()

    def on_error(err):
        assert err.code == "ENOTFOUND" and err.syscall == "getaddrinfo"
        assert err.hostname == "this.host.does.not.exist.invalid"
        assert not hasattr(err, "host") and getattr(err, "port", None) is None

    c.on("error", common.must_call(on_error))
    net.run()
