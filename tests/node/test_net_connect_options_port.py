"""Node's test-net-connect-options-port.js: bad port types and values; valid forms connect."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors

from .conftest import listen_local


@pytest.mark.parametrize("port", [True, False, [], {}, None])
def test_wrong_types_throw_type_error(port):
    with pytest.raises((errors.ERR_INVALID_ARG_TYPE, errors.ERR_MISSING_ARGS)):
        net.connect({"port": port, "host": "127.0.0.1"})


@pytest.mark.parametrize("port", ["", " ", "0x", "-0x1", float("nan"), float("inf"), -1, 65536])
def test_out_of_range_ports_throw_bad_port(port):
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        net.connect({"port": port, "host": "127.0.0.1"})


def test_invalid_hints_throw():
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE):
        net.connect({"port": 80, "host": "localhost", "hints": -1})


def test_port_as_number_string_and_hex_string_all_connect(common):
    server = net.createServer(lambda c: c.end())

    def go():
        port = server.address().port
        forms = [lambda cb: net.connect(port, "127.0.0.1", cb),
                 lambda cb: net.connect(str(port), "127.0.0.1", cb),
                 lambda cb: net.connect(hex(port), "127.0.0.1", cb),
                 lambda cb: net.connect({"port": port, "host": "127.0.0.1"}, cb),
                 lambda cb: net.createConnection({"port": str(port), "host": "127.0.0.1"}, cb),
                 lambda cb: net.Socket().connect(port, "127.0.0.1", cb)]
        left = [len(forms)]

        def done(sock):
            sock.destroy()
            left[0] -= 1
            if not left[0]:
                server.close()

        for form in forms:
            holder = {}
            holder["s"] = form(common.must_call(lambda h=holder: done(h["s"])))

    listen_local(server, go)
    net.run()
