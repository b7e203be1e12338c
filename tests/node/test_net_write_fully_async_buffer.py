"""Node's test-net-write-fully-async-buffer.js and -hex-string.js: write until false, drain."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.parametrize("kind", ["buffer", "hex"])
def test_write_until_false_then_drain(common, kind):
    total = [0]

    def on_conn(c):
        c.on("data", lambda d: total.__setitem__(0, total[0] + len(d)))
        c.on("end", lambda: (c.end(), server.close()))

    server = net.createServer(on_conn)
    rounds = [0]

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def write_until_false():
            while True:
                chunk = bytes(1024) if kind == "buffer" else "00" * 1024
                if not (c.write(chunk) if kind == "buffer" else c.write(chunk, "hex")):
                    break
            rounds[0] += 1
            if rounds[0] < 5:
                c.once("drain", write_until_false)
            else:
                c.end()

        c.on("connect", write_until_false)

    listen_local(server, go)
    net.run()
    assert total[0] > 0 and total[0] % 1024 == 0
