"""Node's errors: classes, codes, messages (compared with node), system errors."""

from __future__ import annotations

import errno

import pytest

import pynet as net
from pynet import errors

from .conftest import assert_same_error, node_errors

# (JavaScript that throws, Python that raises): the same class, code and message.
CASES = [
    ("net.createServer().listen(-1)", lambda: net.createServer().listen(-1)),
    ("net.createServer().listen(65536)", lambda: net.createServer().listen(65536)),
    ("net.createServer().listen({port: 1.5})", lambda: net.createServer().listen({"port": 1.5})),
    ("net.createServer().listen({port: 'abc'})",
     lambda: net.createServer().listen({"port": "abc"})),
    ("net.connect(-1)", lambda: net.connect(-1)),
    ("net.connect({port: 'abc'})", lambda: net.connect({"port": "abc"})),
    ("net.connect({port: ''})", lambda: net.connect({"port": ""})),
    ("net.connect({})", lambda: net.connect({})),
    ("net.connect({port: 80, host: 5})", lambda: net.connect({"port": 80, "host": 5})),
    ("net.connect({port: 70000, host: '127.0.0.1'})",
     lambda: net.connect({"port": 70000, "host": "127.0.0.1"})),
    ("net.createServer(5)", lambda: net.createServer(5)),
    ("new net.Socket().setEncoding('bogus')", lambda: net.Socket().setEncoding("bogus")),
    ("new net.Socket().write(5)", lambda: net.Socket().write(5)),
    ("new net.Socket().write('x', 'bogus')", lambda: net.Socket().write("x", "bogus")),
    ("new (require('events'))().on('x', 5)", lambda: net.EventEmitter().on("x", 5)),
]

@pytest.fixture(scope="module")
def node_answers():
    return node_errors("const net = require('net');", [src for src, _ in CASES])


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_same_error_as_node(node_answers, index):
    assert_same_error(node_answers[index], CASES[index][1])


def test_classes_and_bases():
    assert issubclass(errors.ERR_SOCKET_BAD_PORT, ValueError)
    assert issubclass(errors.ERR_INVALID_ARG_TYPE, TypeError)
    assert issubclass(errors.ERR_SERVER_NOT_RUNNING, errors.NodeError)
    assert not issubclass(errors.ERR_SERVER_NOT_RUNNING, (TypeError, ValueError))
    assert errors.make("ERR_SOCKET_CLOSED").code == "ERR_SOCKET_CLOSED"


def test_received_describes_python_values():
    assert errors.received(None) == "None"
    assert errors.received(True) == "type boolean (true)"
    assert errors.received(float("nan")) == "type number (NaN)"
    assert errors.received(2.0) == "type number (2)"
    assert errors.received("x" * 40) == "type string ('" + "x" * 24 + "...)"
    assert errors.received([1]) == "an instance of list"

    def handler():
        pass

    assert errors.received(handler) == "function handler"


def test_booleans_are_not_ports():
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        net.createServer().listen(True)
    assert str(info.value) == "The argument 'options' is invalid. Received {'port': True}"
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.connect({"port": False})


def test_system_error_shape():
    ex = errors.exception_with_host_port(-errno.ECONNREFUSED, "connect", "127.0.0.1", 8124)
    assert isinstance(ex, ConnectionRefusedError)
    assert isinstance(ex, errors.NodeSystemError)
    assert str(ex) == "connect ECONNREFUSED 127.0.0.1:8124"
    assert (ex.errno, ex.code, ex.syscall, ex.address, ex.port) == (
        errno.ECONNREFUSED, "ECONNREFUSED", "connect", "127.0.0.1", 8124)
    ex2 = errors.uv_exception(-errno.EADDRINUSE, "listen", "::", 80)
    assert str(ex2) == "listen EADDRINUSE: address already in use :::80"
    assert ex2.errno == errno.EADDRINUSE and ex2.code == "EADDRINUSE"
    ex3 = errors.errno_exception(-errno.ECONNRESET, "read")
    assert isinstance(ex3, ConnectionResetError)
    assert str(ex3) == "read ECONNRESET" and ex3.address is None


def test_aggregate_error_is_an_exception_group():
    a = errors.exception_with_host_port(-errno.ECONNREFUSED, "connect", "::1", 80)
    b = errors.exception_with_host_port(-errno.ETIMEDOUT, "connect", "127.0.0.1", 80)
    agg = errors.AggregateError([a, b])
    assert isinstance(agg, ExceptionGroup)
    assert agg.errors == [a, b] and list(agg.exceptions) == [a, b]
    assert agg.code == "ECONNREFUSED"
    assert str(agg) == ""
