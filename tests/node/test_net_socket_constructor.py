"""Node's test-net-socket-constructor.js (the fd part with a socketpair instead of cluster)."""
from __future__ import annotations

import socket

import pytest

import pynet as net
from pynet import errors


def test_bad_fds():
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        net.Socket({"fd": -1})
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.Socket({"fd": "foo"})


@pytest.mark.parametrize("readable", [True, False])
@pytest.mark.parametrize("writable", [True, False])
def test_readable_writable_flags_for_fd_sockets(readable, writable):
    a, b = socket.socketpair()
    s = net.Socket({"fd": a.detach(), "readable": readable, "writable": writable})
    assert s.readable is readable and s.writable is writable
    s.destroy()
    b.close()
    net.run()
