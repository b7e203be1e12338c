"""Node's test-net-end-without-connect.js.

Node 20 never calls the end() callback of a socket that never connects (its
_final waits for 'connect'); the writable side is ended all the same.
"""
from __future__ import annotations

import pynet as net


def test_end_on_a_never_connected_socket():
    s = net.Socket()
    called = []
    s.end(lambda *a: called.append(a))
    assert s.writable is False
    net.run()
    assert called == []
    s.destroy()
    net.run()
