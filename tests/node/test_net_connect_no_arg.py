"""Node's test-net-connect-no-arg.js: ERR_MISSING_ARGS with Node's message."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors

MESSAGE = 'The "options" or "port" or "path" argument must be specified'


@pytest.mark.parametrize("call", [lambda: net.connect(), lambda: net.connect({}),
                                  lambda: net.Socket().connect(),
                                  lambda: net.Socket().connect({})])
def test_missing_args(call):
    with pytest.raises(errors.ERR_MISSING_ARGS) as info:
        call()
    assert str(info.value) == MESSAGE
