"""Node's test-net-socket-timeout.js: setTimeout argument checks."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


@pytest.mark.parametrize("bad", [None, "1", {}, [], True])
def test_non_numbers(bad):
    s = net.Socket()
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        s.setTimeout(bad)
    s.destroy()
    net.run()


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), -float("inf")])
def test_out_of_range(bad):
    s = net.Socket()
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        s.setTimeout(bad)
    s.destroy()
    net.run()


@pytest.mark.parametrize("bad", [1, "x", {}])
def test_bad_callback(bad):
    s = net.Socket()
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        s.setTimeout(10, bad)
    s.destroy()
    net.run()


def test_returns_the_socket_and_works_after_destroy():
    s = net.Socket()
    assert s.setTimeout(10) is s
    s.destroy()
    assert s.setTimeout(10) is s
    net.run()
