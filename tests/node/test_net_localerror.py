"""Node's test-net-localerror.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_bad_local_address_and_port():
    with pytest.raises(errors.ERR_INVALID_IP_ADDRESS):
        net.connect({"host": "127.0.0.1", "port": 80, "localAddress": "foobar"})
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.connect({"host": "127.0.0.1", "port": 80, "localPort": "foobar"})
