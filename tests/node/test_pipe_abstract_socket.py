"""Node's test-pipe-abstract-socket.js (Linux): readableAll/writableAll refused for '\\0' names."""
from __future__ import annotations

import sys

import pytest

import pynet as net
from pynet import errors


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets are Linux-only")
@pytest.mark.parametrize("opt", ["readableAll", "writableAll"])
def test_abstract_with_permissions_throws(opt):
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        net.createServer().listen({"path": "\0abstract", opt: True})
    assert "writableAllt" in str(info.value)  # Node's message, typo included
