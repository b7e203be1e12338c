"""Node's test-socketaddress.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_defaults():
    sa = net.SocketAddress()
    assert (sa.address, sa.port, sa.family, sa.flowlabel) == ("127.0.0.1", 0, "ipv4", 0)
    six = net.SocketAddress({"family": "ipv6"})
    assert six.address == "::" and six.family == "ipv6"
    flow = net.SocketAddress({"address": "::1", "family": "ipv6", "flowlabel": 1})
    assert flow.flowlabel == 1


@pytest.mark.parametrize("opts,cls", [
    ("x", errors.ERR_INVALID_ARG_TYPE),
    ({"family": "foo"}, errors.ERR_INVALID_ARG_VALUE),
    ({"address": 1}, errors.ERR_INVALID_ARG_TYPE),
    ({"port": -1}, errors.ERR_SOCKET_BAD_PORT),
    ({"family": "ipv6", "flowlabel": -1}, errors.ERR_OUT_OF_RANGE),
    ({"family": "IPv4"}, errors.ERR_INVALID_ADDRESS),
])
def test_validation(opts, cls):
    with pytest.raises(cls):
        net.SocketAddress(opts)
