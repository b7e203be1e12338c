"""Node's pummel/test-net-pause.js: nothing arrives while paused."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_no_data_while_paused(common):
    log = []
    server = net.createServer(lambda c: (c.write(b"x" * 1000), net.setTimeout(
        lambda: c.end(b"y" * 1000), 100)))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        state = {"paused": True}
        c.pause()
        c.on("data", lambda d: log.append((state["paused"], len(d))))

        def resume():
            state["paused"] = False
            c.resume()

        net.setTimeout(resume, 50)
        c.on("close", lambda _: server.close())

    listen_local(server, go)
    net.run()
    assert log and all(not paused for paused, _ in log)
    assert sum(n for _, n in log) == 2000
