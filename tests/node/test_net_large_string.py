"""Node's test-net-large-string.js: 40K multi-byte characters arrive as 40K characters."""
from __future__ import annotations

import pynet as net

from .conftest import collecting_server, listen_local


def test_large_utf8_string(common):
    text = "é" * 40_000
    got = []

    server = collecting_server(got, "utf8")

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.end(text, "UTF-8")

    listen_local(server, go)
    net.run()
    assert "".join(got) == text
