"""Node's test-net-write-arguments.js and test-net-socket-write-error.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors

MESSAGE = ('The "chunk" argument must be of type string or an instance of Buffer, '
           "TypedArray, or DataView. Received ")


def test_null_is_stream_null_values():
    s = net.Socket()
    with pytest.raises(errors.ERR_STREAM_NULL_VALUES):
        s.write(None)
    s.destroy()
    net.run()


@pytest.mark.parametrize("value", [True, False, 1337, [], {}, 1.5])
def test_non_buffers_are_invalid_arg_type(value):
    s = net.Socket()
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE) as info:
        s.write(value)
    assert str(info.value).startswith(MESSAGE)
    s.destroy()
    net.run()
