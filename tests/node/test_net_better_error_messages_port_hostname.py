"""Node's test-net-better-error-messages-port-hostname.js, with a mocked resolver failure."""
from __future__ import annotations

import pynet as net


def test_lookup_error_fields(common):
    def lookup(host, opts, cb):
        err = OSError(f"getaddrinfo EAI_FAIL {host}")
        err.code = "EAI_FAIL"
        err.syscall = "getaddrinfo"
        err.hostname = host
        cb(err)

    c = net.createConnection({"port": 80, "host": "something.invalid", "lookup": lookup})

    def on_error(err):
        assert err.code == "EAI_FAIL" and err.syscall == "getaddrinfo"
        assert err.hostname == "something.invalid"
        assert getattr(err, "port", None) is None and not hasattr(err, "host")

    c.on("error", common.must_call(on_error))
    net.run()
