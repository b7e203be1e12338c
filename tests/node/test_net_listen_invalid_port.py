"""Node's test-net-listen-invalid-port.js: 2**32-1 is refused in every form."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_port_2_32_minus_1_is_a_bad_port():
    for call in (lambda s: s.listen({"port": 2**32 - 1}), lambda s: s.listen(2**32 - 1),
                 lambda s: s.listen(2**32 - 1, "127.0.0.1")):
        with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
            call(net.createServer())
        assert isinstance(info.value, ValueError)  # Node's RangeError
