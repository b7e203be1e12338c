"""Node's test-net-access-byteswritten.js: bytesWritten is safe on the class and a bare Socket."""
from __future__ import annotations

import pynet as net


def test_bytes_written_getter():
    assert isinstance(net.Socket.bytesWritten, property)
    s = net.Socket()
    assert s.bytesWritten == 0
    s.destroy()
    net.run()
