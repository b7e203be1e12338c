"""Node's test-net-options-lookup.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


@pytest.mark.parametrize("bad", [1, "a", {}, True])
def test_non_function_lookup(bad):
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.connect({"host": "localhost", "port": 80, "lookup": bad})


def test_bad_family_from_the_lookup_is_an_error_event(common):
    c = net.connect({"host": "localhost", "port": 8124, "autoSelectFamily": False,
                     "lookup": lambda h, o, cb: cb(None, "127.0.0.1", 100)})

    def on_error(err):
        assert isinstance(err, errors.ERR_INVALID_ADDRESS_FAMILY)
        assert isinstance(err, ValueError)  # Node's RangeError
        assert str(err) == "Invalid address family: 100 localhost:8124"
        assert err.host == "localhost" and err.port == 8124

    c.on("error", common.must_call(on_error))
    net.run()
