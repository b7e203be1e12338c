"""Node's test-net-server-listen-options.js: every listen() shape, and bad ports/options."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


@pytest.mark.parametrize("args", [(), (0,), ("0",), ({"port": 0},), (None,),
                                  ({"port": 0, "path": "ignored-when-port-given"},)])
def test_every_call_shape_ends_in_listening(common, args):
    server = net.createServer()
    server.listen(*args, common.must_call(lambda: server.close()))
    net.run()


@pytest.mark.parametrize("port", [-1, float("nan"), 123.456, 65536, float("inf"), -float("inf")])
def test_bad_ports_throw_err_socket_bad_port(port):
    for call in (lambda: net.createServer().listen(port),
                 lambda: net.createServer().listen({"port": port})):
        with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
            call()


@pytest.mark.parametrize("opts", [{}, {"host": "localhost"}, {"port": True}, {"fd": -1},
                                  {"path": 123}])
def test_bad_option_objects_throw_err_invalid_arg_value(opts):
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        net.createServer().listen(opts)
    assert isinstance(info.value, TypeError)
