"""Node's test-net-server-options.js: createServer's options must be an object."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


@pytest.mark.parametrize("bad", ["path", 0])
def test_create_server_with_a_non_object_throws(bad):
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.createServer(bad)
