"""Node's test-net-keepalive.js and test-net-persistent-keepalive.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_keepalive_keeps_both_open(common):
    def on_conn(sock):
        assert sock.setKeepAlive(True, 50) is sock
        net.setTimeout(lambda: (check(sock), sock.end()), 100)
        sock.resume()

    server = net.createServer(on_conn)

    def go():
        c = net.Socket()
        assert c.setKeepAlive(True) is c  # before connect: kept for later
        c.connect(server.address().port, "127.0.0.1")
        c.on("end", lambda: (check_write_only(c), c.end(), server.close()))
        c.resume()

    listen_local(server, go)
    net.run()


def check(s):
    assert s.readyState == "open"


def check_write_only(s):
    assert s.readyState == "writeOnly"  # 'end' came: only the writable side is left
