"""Node's test-net-connect-options-invalid.js: object modes are refused."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


@pytest.mark.parametrize("key", ["objectMode", "readableObjectMode", "writableObjectMode"])
def test_object_modes_are_invalid(key):
    for call in (lambda: net.connect({"port": 80, "host": "127.0.0.1", key: True}),
                 lambda: net.Socket({key: True})):
        with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
            call()
        assert str(info.value) == f"The property 'options.{key}' is not supported. Received true"
