"""Node's test-net-dns-lookup.js: 'localhost' emits 'lookup' (resolved from /etc/hosts)."""
from __future__ import annotations

import pynet as net


def test_lookup_event_for_localhost(common):
    server = net.createServer(lambda c: c.end())

    def on_lookup(err, address, family, host):
        assert err is None and host == "localhost"
        assert (address, family) in (("127.0.0.1", 4), ("::1", 6))

    def go():
        c = net.connect(server.address().port, "localhost")
        c.on("lookup", common.must_call_at_least(on_lookup))
        c.on("close", lambda _: server.close())
        c.on("error", lambda e: None)
        c.resume()

    server.listen(0, go)
    net.run()
