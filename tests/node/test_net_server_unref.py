"""Node's test-net-server-unref.js and test-net-server-unref-persistent.js."""
from __future__ import annotations

import pynet as net


def test_unref_lets_run_end():
    server = net.createServer()
    server.listen(0, "127.0.0.1")
    server.unref()
    net.run()
    server.close()
    net.run()


def test_unref_before_listen_persists():
    server = net.createServer()
    server.unref()
    server.listen(0, "127.0.0.1")
    net.run()
    assert server.listening
    server.close()
    net.run()
