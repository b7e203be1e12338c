"""Node's test-net-bind-twice.js: the second bind on 127.0.0.1:port errors, never listens."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_second_bind_errors(common):
    a = net.createServer()

    def held():
        b = net.createServer()
        b.listen(a.address().port, "127.0.0.1", common.must_not_call("listening"))
        b.on("error", common.must_call(lambda err: (check(err), a.close())))

    listen_local(a, common.must_call(held))
    net.run()


def check(err):
    assert err.code == "EADDRINUSE"
