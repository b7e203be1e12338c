"""Unix domain sockets: listen(path), connect(path), file modes, unlink, errors."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile

import pytest

import pynet as net

pytestmark = pytest.mark.skipif(sys.platform == "win32",
                                reason="Unix domain socket files are POSIX-only")


@pytest.fixture
def sock_path():
    # Short: sun_path holds 107 bytes, and pytest's tmp_path can be longer.
    d = tempfile.mkdtemp(prefix="pn", dir="/tmp")
    yield os.path.join(d, "s.sock")
    shutil.rmtree(d)


@pytest.fixture
def umask_077():
    old = os.umask(0o077)
    yield
    os.umask(old)


def test_echo_over_a_unix_socket_and_the_file_goes_with_close(sock_path):
    seen = {}
    payload = os.urandom(300_000)
    got = []

    def on_conn(c):
        seen["server side"] = (c.address(), c.remoteAddress, c.remotePort)
        c.on("data", c.write)

    server = net.createServer(on_conn)

    def on_listen():
        seen["listening"] = (server.address(), stat.S_ISSOCK(os.stat(sock_path).st_mode))
        c = net.connect(sock_path, lambda: c.end(payload))
        c.on("data", got.append)

        def closed(had_error):
            seen["client"] = (c.address(), c.remoteAddress, had_error)
            server.close(lambda *a: seen.setdefault("closed", (
                server.address(), os.path.exists(sock_path), a)))
        c.on("close", closed)

    server.listen(sock_path, on_listen)
    net.run()
    assert b"".join(got) == payload
    assert seen["listening"] == (sock_path, True)
    assert seen["server side"] == ({}, None, None)  # as Node 20: no names for pipe sockets
    assert seen["client"] == ({}, None, False)
    # Node keeps answering the path after close; the socket file is gone.
    assert seen["closed"] == (sock_path, False, (None,))


def test_options_form_and_mode_follows_the_umask(sock_path, umask_077):
    modes = []
    server = net.createServer()

    def on_listen():
        modes.append(stat.S_IMODE(os.stat(sock_path).st_mode))
        server.close()

    server.listen({"path": sock_path}, on_listen)
    net.run()
    assert modes == [0o700]


@pytest.mark.parametrize("readable,writable,mode", [
    (True, False, 0o744), (False, True, 0o722), (True, True, 0o766)])
def test_readable_all_and_writable_all_set_the_mode(sock_path, umask_077, readable, writable,
                                                    mode):
    modes = []
    server = net.createServer()

    def on_listen():
        modes.append(stat.S_IMODE(os.stat(sock_path).st_mode))
        server.close()

    server.listen({"path": sock_path, "readableAll": readable, "writableAll": writable},
                  on_listen)
    net.run()
    assert modes == [mode]


def test_stale_socket_file_gives_eaddrinuse_and_leaves_nothing(sock_path):
    open(sock_path, "w").close()
    errs = []
    server = net.createServer()
    server.on("error", errs.append)
    server.listen(sock_path)
    net.run()
    err = errs[0]
    assert isinstance(err, OSError) and err.errno == errno.EADDRINUSE
    assert str(err) == f"listen EADDRINUSE: address already in use {sock_path}"
    assert (err.code, err.syscall, err.address, err.port) == (
        "EADDRINUSE", "listen", sock_path, -1)
    assert not server.listening
    assert os.path.isfile(sock_path)  # not ours: left alone


def test_connect_to_a_missing_path(sock_path):
    got = []
    c = net.connect({"path": sock_path})
    c.on("error", got.append)
    c.on("close", lambda had_error: got.append(had_error))
    net.run()
    err = got[0]
    assert isinstance(err, FileNotFoundError)
    assert str(err) == f"connect ENOENT {sock_path}"
    assert (err.code, err.errno, err.syscall, err.address, err.port) == (
        "ENOENT", errno.ENOENT, "connect", sock_path, None)
    assert got[1] is True


def test_max_connections_drop_carries_none_for_pipes(sock_path):
    drops = []
    server = net.createServer(lambda c: c.resume())
    server.maxConnections = 1
    server.on("drop", drops.append)

    def on_listen():
        first = net.connect(sock_path)
        first.resume()

        def second():
            c = net.connect(sock_path)
            c.resume()
            c.on("close", lambda _: (first.destroy(), server.close()))
        first.on("connect", second)

    server.listen(sock_path, on_listen)
    net.run()
    assert drops == [None]


def test_max_connections_zero_means_no_limit_as_in_node(sock_path):
    conns = []
    server = net.createServer(lambda c: (conns.append(1), c.end()))
    server.maxConnections = 0

    def on_listen():
        c = net.connect(sock_path)
        c.resume()
        c.on("close", lambda _: server.close())

    server.listen(sock_path, on_listen)
    net.run()
    assert conns == [1]


def test_path_validation():
    from pynet import errors

    with pytest.raises(errors.ERR_INVALID_ARG_TYPE) as info:
        net.connect({"path": 5})
    assert str(info.value) == (
        'The "options.path" property must be of type string. Received type number (5)')


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="abstract socket names exist on Linux only")


def _abstract_name(tag):
    return f"\0pynet-test-{tag}-{os.getpid()}"


@linux_only
def test_abstract_socket_echo_exact_length_name_and_no_file():
    name = _abstract_name("echo")
    got = []
    server = net.createServer(lambda c: c.on("data", c.write))

    def on_listen():
        got.append(server.address())
        c = net.connect(name, lambda: c.end(b"abstract"))
        c.on("data", got.append)
        c.on("close", lambda _: server.close())

    server.listen(name, on_listen)
    net.run()
    assert got == [name, b"abstract"]
    # Exact length (Python's and modern libuv's convention): the padded name is another one.
    import socket as pysocket

    with pytest.raises(ConnectionRefusedError):
        s = pysocket.socket(pysocket.AF_UNIX)
        try:
            s.connect(name.encode())
        finally:
            s.close()


@linux_only
def test_abstract_connect_refused_and_chmod_rejected():
    got = []
    name = _abstract_name("nobody")
    c = net.connect(name)
    c.on("error", got.append)
    net.run()
    assert got[0].code == "ECONNREFUSED" and str(got[0]) == f"connect ECONNREFUSED {name}"
    from pynet import errors

    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        net.createServer().listen({"path": name, "readableAll": True})
    assert "can not set readableAll or writableAllt to true when path is abstract" in str(
        info.value)


@linux_only
def test_abstract_interop_with_node_20_uses_the_padded_name():
    from .conftest import NODE

    if NODE is None:
        pytest.skip("node is not installed on this machine: no peer to talk to")
    import subprocess

    # Node 20's libuv (1.46) pads abstract names to the whole 108-byte sun_path.
    name = _abstract_name("node")
    padded = name.ljust(108, "\0")
    js = ("const c = require('net').connect('\\0' + process.argv[1]);"
          "c.on('data', d => process.stdout.write(d)); c.end('hello from node');")
    got = []
    children = []
    server = net.createServer(lambda conn: (conn.on("data", got.append), conn.end(b"hi node")))

    def on_listen():
        child = subprocess.Popen([NODE, "-e", js, name[1:]], stdout=subprocess.PIPE)
        children.append(child)

        def wait_child():
            if child.poll() is None:
                net.setTimeout(wait_child, 10)
            else:
                server.close()

        wait_child()

    server.listen(padded, on_listen)
    net.run()
    out = children[0].stdout.read()
    children[0].stdout.close()
    assert out == b"hi node" and b"".join(got) == b"hello from node"


def test_long_paths_are_truncated_as_in_node_20_and_the_file_still_goes():
    d = tempfile.mkdtemp(prefix="pn", dir="/tmp")
    try:
        path = os.path.join(d, "x" * (120 - len(d)) + ".sock")  # longer than sun_path
        assert len(os.fsencode(path)) > 108
        seen = {}
        server = net.createServer()

        def on_listen():
            seen["address"] = server.address()
            seen["files"] = os.listdir(d)
            server.close()

        server.listen(path, on_listen)
        net.run()
        # The server answers the path it was given; the file is the path cut to what
        # uv_pipe_bind keeps: 107 bytes on libuv 1.44, the whole 108-byte sun_path on
        # Node 20's libuv 1.46. Silent either way, as in Node.
        assert seen["address"] == path
        (made,) = seen["files"]
        full = os.path.join(d, made)
        assert len(os.fsencode(full)) in (107, 108) and path.startswith(full)
        assert os.listdir(d) == []  # Node leaves the truncated file behind; pynet removes it
    finally:
        shutil.rmtree(d)


def test_windows_pipe_name_rules():
    from pynet._pipe import is_abstract, is_windows_pipe_name

    for name in ["\\\\.\\pipe\\pynet", "\\\\?\\pipe\\pynet", "//./pipe/pynet",
                 "\\\\.\\PIPE\\x\\y"]:
        assert is_windows_pipe_name(name), name
    for name in ["\\\\.\\pipe\\", "/tmp/pynet.sock", "\\\\server\\share\\x", "pipe\\x",
                 "\0abstract"]:
        assert not is_windows_pipe_name(name), name
    assert is_abstract("\0name") and not is_abstract("/tmp/x")
