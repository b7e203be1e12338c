"""Node's test-net-server-close.js."""
from __future__ import annotations

import pynet as net


def test_close_returns_the_server_and_waits_for_sockets(common):
    sockets = []
    events = []

    def on_conn(c):
        sockets.append(c)
        c.on("close", lambda _: events.append("socket close"))
        if len(sockets) == 2:
            assert server.close() is server
            server.on("close", common.must_call(lambda: events.append("server close")))
            for s in sockets:
                s.destroy()

    server = net.createServer(on_conn)
    assert server.listen(0, "127.0.0.1", lambda: (
        net.connect(server.address().port, "127.0.0.1").resume(),
        net.connect(server.address().port, "127.0.0.1").resume())) is server
    net.run()
    assert "server close" in events and events.count("socket close") == 2
