"""Node's test-net-socket-no-halfopen-enforcer.js: one built-in 'end' listener only."""
from __future__ import annotations

import pynet as net


def test_one_end_listener():
    s = net.Socket({"allowHalfOpen": False})
    assert s.listenerCount("end") == 1
    s.destroy()
    net.run()
