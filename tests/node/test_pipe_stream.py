"""Node's test-pipe-stream.js: PING/PONG over a Unix socket."""
from __future__ import annotations

import pynet as net


def test_ping_pong_over_a_pipe(common, tmp_path):
    path = str(tmp_path / "s")

    def on_conn(c):
        c.on("data", lambda d: c.end(b"PONG") if d == b"PING" else None)

    server = net.createServer(on_conn)

    def go():
        c = net.Socket()
        c.connect(path, lambda: c.write(b"PING"))
        c.on("data", common.must_call(lambda d: check(d)))
        c.on("close", lambda _: server.close())

    server.listen(path, go)
    net.run()


def check(d):
    assert d == b"PONG"
