"""Node's test-pipe-writev.js: corked writes over a Unix socket go out as one writev."""
from __future__ import annotations

import pynet as net

from .conftest import collecting_server


def test_corked_writes_over_a_pipe(common, tmp_path):
    path = str(tmp_path / "s")
    got = []

    server = collecting_server(got)

    def go():
        c = net.connect(path)
        calls = []
        original = c._writev
        c._writev = lambda chunks, cb: (calls.append(len(chunks)), original(chunks, cb))

        def on_connect():
            c.cork()
            c.write(b"pi")
            c.write(b"ng")
            c.uncork()
            c.end()
            state["calls"] = calls

        c.on("connect", on_connect)

    state = {}
    server.listen(path, go)
    net.run()
    assert b"".join(got) == b"ping"
    assert state["calls"] == [2]
