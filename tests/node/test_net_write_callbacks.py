"""Node's pummel/test-net-write-callbacks.js (50k): each write callback once, in order."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local

N = 50_000


def test_write_callbacks_in_order(common):
    seen = []
    server = net.createServer(lambda c: (c.resume(), c.on("end", lambda: (c.end(),
                                                                         server.close()))))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        for i in range(N):
            c.write(b"x", lambda err, i=i: seen.append(i))
        c.end()

    listen_local(server, go)
    net.run()
    assert seen == list(range(N))
