"""Node's pummel/test-net-timeout2.js: writes reset the idle timer."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_writes_keep_it_alive(common):
    def on_conn(sock):
        sock.setTimeout(400)  # 10x the write gap: stalls on a loaded machine
        sock.on("timeout", common.must_not_call("timeout"))
        count = [0]

        def tick():
            count[0] += 1
            if count[0] < 8:
                sock.write(b".")
                net.setTimeout(tick, 40)
            else:
                sock.destroy()
                server.close()
        tick()

    server = net.createServer(on_conn)
    listen_local(server, lambda: net.connect(server.address().port, "127.0.0.1")
                 .on("error", lambda e: None).resume())
    net.run()
