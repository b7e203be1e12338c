"""Node's sequential/test-net-server-bind.js: listen(cb), listen(port), with backlog."""
from __future__ import annotations

import pynet as net


def test_listen_forms_with_backlog(common):
    a = net.createServer()
    a.listen(common.must_call(lambda: (check_port(a), a.close())))
    b = net.createServer()
    b.listen(0, "127.0.0.1", 128, common.must_call(lambda: b.close()))
    c = net.createServer()
    c.listen(0, 128, common.must_call(lambda: c.close()))
    net.run()


def check_port(server):
    assert server.address().port > 100
