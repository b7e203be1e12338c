"""TCP Server and Socket: bytes on the wire, Node's event order, errors."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket as pysocket

import pytest

import pynet as net
from pynet import errors

from .conftest import run_node


def _recorder(log, prefix, emitter, names):
    for name in names:
        def listener(*args, name=name):
            text = f"{prefix}:{name}"
            if name == "data":
                text += ":" + (args[0].decode() if isinstance(args[0], bytes) else args[0])
            elif name == "close":
                text += f":{str(bool(args[0])).lower()}"
            elif name == "error":
                text += f":{args[0].code}"
            log.append(text)
        emitter.on(name, listener)


ECHO_JS = """
const net = require('net');
const log = [];
const rec = (p, e, names) => names.forEach(n => e.on(n, (a) => log.push(`${p}:${n}` +
  (n === 'data' ? ':' + a : n === 'close' ? ':' + !!a : n === 'error' ? ':' + a.code : ''))));
const server = net.createServer((c) => {
  rec('s', c, ['data', 'end', 'finish', 'close', 'error']);
  c.on('data', d => c.write(d));
});
server.on('listening', () => log.push('listening'));
server.on('close', () => { log.push('server close'); console.log(JSON.stringify(log)); });
server.listen(0, '127.0.0.1', () => {
  log.push('listen cb');
  const c = net.connect(server.address().port, '127.0.0.1',
                        () => { log.push('connect cb'); c.end('hello'); });
  rec('c', c, ['connect', 'ready', 'data', 'end', 'finish', 'close', 'error']);
  c.on('close', () => server.close());
});
"""


def test_echo_event_order_matches_node_on_both_ends():
    expected = json.loads(run_node(ECHO_JS)[-1])
    log = []

    def on_conn(c):
        _recorder(log, "s", c, ["data", "end", "finish", "close", "error"])
        c.on("data", c.write)

    server = net.createServer(on_conn)
    server.on("listening", lambda: log.append("listening"))
    server.on("close", lambda: log.append("server close"))

    def on_listen():
        log.append("listen cb")
        c = net.connect(server.address().port, "127.0.0.1",
                        lambda: (log.append("connect cb"), c.end("hello")))
        _recorder(log, "c", c, ["connect", "ready", "data", "end", "finish", "close", "error"])
        c.on("close", lambda had_error: server.close())

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == expected


PENDING_WRITES_JS = """
const net = require('net');
const log = [];
const s = net.createServer(c => { c.on('data', () => {}); c.on('end', () => log.push('s end')); });
s.listen(0, '127.0.0.1', () => {
  const c = net.connect(s.address().port, '127.0.0.1');
  log.push(`state ${c.pending} ${c.readyState} ${c.connecting}`);
  c.write('a', e => log.push('write cb ' + e));
  c.end('b', () => log.push('end cb'));
  for (const e of ['connect', 'ready', 'finish', 'end', 'close'])
    c.on(e, () => log.push(`c ${e} ${c.readyState}`));
  c.on('close', () => s.close());
});
process.on('exit', () => console.log(JSON.stringify(log)));
"""


def test_writes_while_connecting_are_flushed_in_order_like_node():
    expected = json.loads(run_node(PENDING_WRITES_JS)[-1])
    log = []
    received = []

    def on_conn(c):
        c.on("data", received.append)
        c.on("end", lambda: log.append("s end"))

    s = net.createServer(on_conn)

    def on_listen():
        c = net.connect(s.address().port, "127.0.0.1")
        log.append(f"state {str(c.pending).lower()} {c.readyState} {str(c.connecting).lower()}")
        c.write("a", lambda e: log.append(f"write cb {'null' if e is None else e}"))
        c.end("b", lambda *_: log.append("end cb"))
        for e in ["connect", "ready", "finish", "end", "close"]:
            c.on(e, lambda *a, e=e: log.append(f"c {e} {c.readyState}"))
        c.on("close", lambda _: s.close())

    s.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == expected
    assert b"".join(received) == b"ab"


@pytest.mark.parametrize("size", [1, 65536 + 7, 16 * 1024 * 1024])
def test_echo_bytes_exactly(size):
    payload = os.urandom(size)
    got = []
    server = net.createServer(lambda c: c.on("data", c.write))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("data", got.append)
        c.on("close", lambda _: server.close())
        c.on("connect", lambda: c.end(payload))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    data = b"".join(got)
    assert len(data) == size
    assert hashlib.sha256(data).digest() == hashlib.sha256(payload).digest()


def test_write_accepts_buffers_and_node_encodings():
    got = []
    server = net.createServer(lambda c: c.on("data", got.append))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.write(bytearray(b"ab"))
        c.write(memoryview(b"xcdx")[1:3])
        c.write("6566", "hex")
        c.write("Zw==", "base64")
        c.write("é", "latin1")
        c.write("é")  # utf8 by default
        c.end("h", "ascii")
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert b"".join(got) == b"abcdefg\xe9\xc3\xa9h"


def test_set_encoding_never_splits_a_character():
    got = []

    def on_conn(c):
        c.write(b"\xe2\x82")  # the first two bytes of the euro sign

        def rest():
            c.end(b"\xac!")

        from pynet._timers import TimerHandle
        t = TimerHandle(c._loop, lambda: (rest(), t.close()))
        t.start(20)

    server = net.createServer(on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.setEncoding("utf8")
        c.on("data", got.append)
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert "".join(got) == "€!"
    assert all(isinstance(x, str) for x in got)
    assert "\ufffd" not in "".join(got)


def test_connection_refused_error_fields_then_close_true():
    # A port that was just free: bind, learn it, close, connect to it.
    probe = pysocket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    log = []
    c = net.connect(port, "127.0.0.1")
    c.on("error", lambda e: log.append(("error", e)))
    c.on("close", lambda had_error: log.append(("close", had_error)))
    net.run()
    assert [x[0] for x in log] == ["error", "close"]
    err = log[0][1]
    assert isinstance(err, ConnectionRefusedError)
    assert str(err) == f"connect ECONNREFUSED 127.0.0.1:{port}"
    assert (err.code, err.errno, err.syscall, err.address, err.port) == (
        "ECONNREFUSED", errno.ECONNREFUSED, "connect", "127.0.0.1", port)
    assert log[1] == ("close", True)
    assert c.destroyed


def test_unhandled_socket_error_comes_out_of_run():
    probe = pysocket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    net.connect(port, "127.0.0.1")
    with pytest.raises(ConnectionRefusedError, match="connect ECONNREFUSED"):
        net.run()
    net.run()  # the close callback still runs: nothing is left behind


def test_eaddrinuse_is_emitted_with_node_fields_and_listen_works_again():
    first = net.createServer()
    second = net.createServer()
    errs = []

    def on_listen():
        port = first.address().port
        second.on("error", lambda e: (errs.append(e), retry()))
        second.listen(port, "127.0.0.1")

    def retry():
        second.listen(0, "127.0.0.1", lambda: (errs.append(second.address().port),
                                               second.close(), first.close()))

    first.listen(0, "127.0.0.1", on_listen)
    net.run()
    err = errs[0]
    port = first_port = err.port
    assert isinstance(err, OSError) and err.errno == errno.EADDRINUSE
    assert str(err) == f"listen EADDRINUSE: address already in use 127.0.0.1:{port}"
    assert (err.code, err.syscall, err.address) == ("EADDRINUSE", "listen", "127.0.0.1")
    assert isinstance(errs[1], int) and errs[1] != first_port


def test_listen_without_host_is_dual_stack_on_ipv6():
    got = []

    def on_conn(c):
        got.append((c.remoteAddress, c.remoteFamily))
        c.end()

    server = net.createServer(on_conn)

    def on_listen():
        addr = server.address()
        got.append(dict(addr))
        c = net.connect(addr.port, "127.0.0.1")  # an IPv4 client to the '::' listener
        c.on("close", lambda _: server.close())
        c.resume()

    server.listen(0, on_listen)
    net.run()
    assert got[0]["address"] == "::" and got[0]["family"] == "IPv6"
    assert got[1] == ("::ffff:127.0.0.1", "IPv6")


def test_connect_to_localhost_resolves_off_the_loop():
    events = []
    server = net.createServer(lambda c: c.end("hi"))

    def on_listen():
        c = net.connect(server.address().port)  # host defaults to 'localhost'
        c.on("lookup", lambda err, address, family, host: events.append(
            ("lookup", err, address, family, host)))
        c.on("data", lambda d: events.append(("data", d)))
        c.on("close", lambda _: server.close())

    server.listen(0, "localhost", on_listen)
    net.run()
    assert events[0][0] == "lookup" and events[0][1] is None and events[0][4] == "localhost"
    assert events[0][2] in ("127.0.0.1", "::1") and events[0][3] in (4, 6)
    assert events[1] == ("data", b"hi")


def test_address_shapes_and_listening():
    server = net.createServer()
    assert server.address() is None and server.listening is False
    shapes = []

    def on_listen():
        addr = server.address()
        shapes.append(addr)
        assert addr["port"] == addr.port and addr == {
            "address": "127.0.0.1", "family": "IPv4", "port": addr.port}
        server.close()
        shapes.append(server.address())

    server.listen({"port": 0, "host": "127.0.0.1"}, on_listen)
    net.run()
    assert shapes[1] is None and server.listening is False


def test_close_callback_gets_not_running_and_already_listening_raises():
    got = []
    server = net.createServer()
    server.close(lambda err=None: got.append(err))
    net.run()
    assert isinstance(got[0], errors.ERR_SERVER_NOT_RUNNING)
    assert str(got[0]) == "Server is not running."
    s2 = net.createServer()
    s2.listen(0, "127.0.0.1")
    with pytest.raises(errors.ERR_SERVER_ALREADY_LISTEN) as info:
        s2.listen(0, "127.0.0.1")
    assert str(info.value) == "Listen method has been called more than once without closing."
    s2.on("listening", s2.close)
    net.run()


def test_server_close_waits_for_connections_to_end():
    log = []

    def on_conn(c):
        server.close(lambda *a: log.append("server closed"))
        log.append("closing requested")
        c.on("end", lambda: log.append("conn end"))
        c.on("close", lambda _: log.append("conn close"))

    server = net.createServer(on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", lambda: c.end())
        c.resume()

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    # As in Node: the server counts the connection gone in _destroy, before the
    # handle's close callback emits the socket's own 'close'.
    assert log == ["closing requested", "conn end", "server closed", "conn close"]


def test_write_after_end_and_on_a_never_connected_socket():
    got = []
    s = net.Socket()
    s.on("error", lambda e: got.append(("error", e.code)))
    s.on("close", lambda had_error: got.append(("close", had_error)))
    s.write("x", lambda e: got.append(("cb", e.code, str(e))))
    net.run()
    assert got == [("cb", "ERR_SOCKET_CLOSED", "Socket is closed"),
                   ("error", "ERR_SOCKET_CLOSED"), ("close", False)]

    got2 = []
    server = net.createServer(lambda c: c.resume())

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.end()
        c.write("late", lambda e: got2.append(("cb", e.code)))
        c.on("error", lambda e: got2.append(("error", e.code, str(e))))
        c.on("close", lambda had_error: (got2.append(("close", had_error)), server.close()))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert got2 == [("cb", "ERR_STREAM_WRITE_AFTER_END"),
                    ("error", "ERR_STREAM_WRITE_AFTER_END", "write after end"),
                    ("close", True)]


def test_destroy_with_error_emits_error_then_close_true():
    log = []
    server = net.createServer(lambda c: c.resume())

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", lambda: c.destroy(RuntimeError("mine")))
        c.on("error", lambda e: log.append(str(e)))
        c.on("close", lambda h: (log.append(h), server.close()))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == ["mine", True]


@pytest.mark.parametrize("half_open", [False, True])
def test_allow_half_open_false_ends_the_other_side_true_keeps_it_writable(half_open):
    from pynet._timers import TimerHandle

    log = []

    def on_conn(c):
        def later():
            t.close()
            log.append(("writable later", c.writable))
            if c.writable:
                c.end("after FIN")

        t = TimerHandle(c._loop, later)
        c.on("end", lambda: t.start(20))
        c.on("finish", lambda: log.append("server finish"))
        c.resume()

    server = net.createServer({"allowHalfOpen": half_open}, on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", c.end)
        c.on("data", lambda d: log.append(d))
        c.on("end", lambda: log.append("client end"))
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    if half_open:
        assert log == [("writable later", True), "server finish", b"after FIN",
                       "client end"]
    else:
        assert log[:2] == ["server finish", "client end"]
        assert log[2] == ("writable later", False)


def test_backpressure_write_returns_false_then_drain():
    events = []
    server = net.createServer()

    def on_conn(c):
        c.pause()  # the peer stops reading: the kernel buffers fill up

        def later():
            c.resume()
        c.once("pause", lambda: None)
        events.append(("server paused", c.isPaused()))
        server._paused_peer = c
        server._resume = later

    server.on("connection", on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            chunk = b"x" * 65536
            n = 0
            while c.write(chunk):
                n += 1
                if n > 10000:
                    raise AssertionError("write never returned False")
            # Once the paused peer's buffers are full a chunk stays queued, and with
            # that much held back write() says False.
            events.append(("false after", n, c.writableLength > 0 or n == 0,
                           c.writableNeedDrain))
            c.once("drain", lambda: (events.append(("drain", c.writableLength)), c.destroy(),
                                     server._paused_peer.destroy(), server.close()))
            server._resume()

        c.on("connect", on_connect)

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert events[0] == ("server paused", True)
    assert events[1][0] == "false after" and events[1][2] is True and events[1][3] is True
    assert events[2] == ("drain", 0)


def test_bytes_counters():
    counts = []
    server = net.createServer(lambda c: (c.on("data", c.write),
                                         c.on("end", lambda: counts.append(("s", c.bytesRead)))))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.write("12345")
        assert c.bytesWritten == 5  # pending bytes count, as in Node
        c.end("678")
        c.on("data", lambda d: None)
        c.on("close", lambda _: (counts.append(("c", c.bytesRead, c.bytesWritten)),
                                 server.close()))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert counts == [("s", 8), ("c", 8, 8)]


def test_pause_buffers_and_resume_delivers_in_order():
    got = []
    server = net.createServer(lambda c: c.end(b"abc"))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.pause()
        c.on("data", got.append)  # paused explicitly: adding 'data' does not resume

        def later():
            # As in Node: a socket paused before it connects has not even started reading.
            got.append(("later", c.readableLength, c.isPaused()))
            c.resume()

        from pynet._timers import TimerHandle
        t = TimerHandle(c._loop, lambda: (later(), t.close()))
        t.start(30)
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert got == [("later", 0, True), b"abc"]


def test_get_connections_and_max_connections_drop():
    counts = []
    server = net.createServer(lambda c: c.resume())
    server.maxConnections = 1
    drops = []
    server.on("drop", drops.append)
    clients = []

    def on_listen():
        port = server.address().port
        a = net.connect(port, "127.0.0.1")
        clients.append(a)

        def second():
            b = net.connect(port, "127.0.0.1")
            b.resume()
            b.on("close", lambda _: server.getConnections(
                lambda err, n: (counts.append((err, n)), a.destroy(), server.close())))
        a.on("connect", second)

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert counts == [(None, 1)]
    assert len(drops) == 1 and drops[0]["remoteAddress"] == "127.0.0.1"
    assert set(drops[0]) == {"localAddress", "localPort", "localFamily", "remoteAddress",
                             "remotePort", "remoteFamily"}
    assert server.max_connections == 1


def test_a_dropped_socket_object_keeps_working():
    import gc

    got = []
    server = net.createServer(lambda c: c.on("data", c.write))

    def start():
        # No reference to the client is kept anywhere but in its own listeners.
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("connect", lambda: c.end("still here"))
        c.on("data", got.append)
        c.on("close", lambda _: server.close())

    def on_listen():
        start()
        gc.collect()

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert got == [b"still here"]


def test_remote_and_local_addresses():
    seen = {}

    def on_conn(c):
        seen["server side"] = (c.remoteAddress, c.remoteFamily, c.localAddress, c.localPort)
        seen["server addr"] = c.address()
        c.end()

    server = net.createServer(on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.resume()

        def on_connect():
            seen["client side"] = (c.remoteAddress, c.remotePort, c.localPort)
            seen["repr"] = repr(c)
        c.on("connect", on_connect)
        c.on("close", lambda _: (seen.setdefault("after", c.remoteAddress), server.close()))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    port = seen["server side"][3]
    assert seen["server side"][:3] == ("127.0.0.1", "IPv4", "127.0.0.1")
    assert seen["server addr"] == {"address": "127.0.0.1", "family": "IPv4", "port": port}
    assert seen["client side"][:2] == ("127.0.0.1", port)
    assert seen["repr"] == f"<Socket 127.0.0.1:{seen['client side'][2]} -> 127.0.0.1:{port} open>"


def test_listen_on_an_fd_adopts_the_socket_and_closes_it_with_the_server():
    raw = pysocket.socket()
    raw.bind(("127.0.0.1", 0))
    port = raw.getsockname()[1]
    fd = raw.detach()  # the server owns it from now on
    got = []
    server = net.createServer(lambda c: c.end("via fd"))

    def on_listen():
        got.append(server.address())
        c = net.connect(port, "127.0.0.1")
        c.on("data", got.append)
        c.on("close", lambda _: server.close())

    server.listen({"fd": fd}, on_listen)
    net.run()
    assert got == [{"address": "127.0.0.1", "family": "IPv4", "port": port}, b"via fd"]
    with pytest.raises(OSError):
        os.fstat(fd)  # closed with the server


def test_listen_on_a_file_fd_is_einval_as_in_node(tmp_path):
    f = open(tmp_path / "plain", "w")
    try:
        errs = []
        server = net.createServer()
        server.on("error", errs.append)
        server.listen({"fd": f.fileno()})
        net.run()
    finally:
        f.close()
    assert errs[0].code == "EINVAL" and str(errs[0]) == "listen EINVAL: invalid argument"


def test_listen_on_another_servers_handle():
    first = net.createServer()
    got = []

    def take_over():
        second = net.createServer(lambda c: c.end("second"))
        port = first.address().port
        second.listen(first, lambda: (got.append(second.address().port == port),
                                      connect(port, second)))

    def connect(port, second):
        c = net.connect(port, "127.0.0.1")
        c.on("data", got.append)
        c.on("close", lambda _: second.close())

    first.listen(0, "127.0.0.1", take_over)
    net.run()
    assert got == [True, b"second"]


def test_ipv6_only_refuses_ipv4_clients_while_dual_stack_takes_them():
    results = {}

    def attempt(ipv6_only):
        server = net.createServer(lambda c: c.end())

        def on_listen():
            c = net.connect(server.address().port, "127.0.0.1")
            c.on("error", lambda e: results.__setitem__(ipv6_only, e.code))
            c.on("connect", lambda: results.__setitem__(ipv6_only, "connected"))
            c.on("close", lambda _: server.close())
            c.resume()

        server.listen({"port": 0, "host": "::", "ipv6Only": ipv6_only}, on_listen)
        net.run()

    attempt(False)
    attempt(True)
    assert results == {False: "connected", True: "ECONNREFUSED"}


def test_close_on_a_server_that_is_not_listening_matches_node():
    js = """
    const net = require('net'); const log = [];
    const s = net.createServer(); s.on('close', () => log.push('close'));
    s.close(e => log.push('cb1 ' + (e && e.code))); s.close(e => log.push('cb2 ' + (e && e.code)));
    const s2 = net.createServer();
    s2.listen(0, '127.0.0.1', () => { s2.on('close', () => log.push('s2 close'));
      s2.close(e => log.push('s2 cb1 ' + (e && e.code)));
      s2.close(e => log.push('s2 cb2 ' + (e && e.code))); });
    process.on('exit', () => console.log(JSON.stringify(log)));
    """
    expected = json.loads(run_node(js)[-1])
    log = []
    s = net.createServer()
    s.on("close", lambda: log.append("close"))
    s.close(lambda e: log.append(f"cb1 {e.code if e else e}"))
    s.close(lambda e: log.append(f"cb2 {e.code if e else e}"))
    s2 = net.createServer()

    def on_listen():
        s2.on("close", lambda: log.append("s2 close"))
        s2.close(lambda e: log.append(f"s2 cb1 {e.code if e else e}"))
        s2.close(lambda e: log.append(f"s2 cb2 {e.code if e else e}"))

    s2.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert [x.replace("None", "null") for x in log] == [
        x.replace("undefined", "null") for x in expected]


def test_close_callback_with_or_without_an_argument():
    seen = []
    s = net.createServer()
    s.listen(0, "127.0.0.1", lambda: (s.close(lambda: seen.append("no arg")),
                                      s.close(lambda err: seen.append(err.code))))
    net.run()
    assert seen == ["no arg", "ERR_SERVER_NOT_RUNNING"]


def test_socket_timeout_fires_once_per_idle_period_like_node():
    js = """
    const net = require('net'); const log = [];
    const s = net.createServer(c => c.resume());
    s.listen(0, '127.0.0.1', () => {
      const c = net.connect({ port: s.address().port, host: '127.0.0.1', timeout: 30 });
      log.push('timeout prop ' + c.timeout);
      c.on('timeout', () => { log.push('timeout');
        if (log.filter(x => x === 'timeout').length === 1) c.write('x');
        else { c.destroy(); s.close(); } });
      c.on('close', () => log.push('close'));
    });
    process.on('exit', () => console.log(JSON.stringify(log)));
    """
    expected = json.loads(run_node(js)[-1])
    log = []
    s = net.createServer(lambda c: c.resume())

    def go():
        c = net.connect({"port": s.address().port, "host": "127.0.0.1", "timeout": 30})
        log.append(f"timeout prop {c.timeout}")

        def on_timeout():
            log.append("timeout")
            if log.count("timeout") == 1:
                c.write("x")  # activity starts a new idle period
            else:
                c.destroy()
                s.close()
        c.on("timeout", on_timeout)
        c.on("close", lambda _: log.append("close"))

    s.listen(0, "127.0.0.1", go)
    net.run()
    assert log == expected


def test_socket_timeout_zero_disables_and_validation_matches_node():
    from .conftest import assert_same_error, node_errors

    answers = node_errors("const s = new (require('net').Socket)();",
                          ["s.setTimeout(-1)", "s.setTimeout('a')", "s.setTimeout(Infinity)",
                           "s.setTimeout(10, 5)"])
    sock = net.Socket()
    for answer, call in zip(answers, [lambda: sock.setTimeout(-1), lambda: sock.setTimeout("a"),
                                      lambda: sock.setTimeout(float("inf")),
                                      lambda: sock.setTimeout(10, 5)], strict=True):
        assert_same_error(answer, call)
    assert sock.timeout == 10  # Node keeps the value even though the callback was bad
    fired = []
    sock.setTimeout(5, lambda: fired.append(1))
    sock.setTimeout(0)
    net.setTimeout(lambda: None, 30)
    net.run()
    assert fired == [] and sock.timeout == 0
    sock.destroy()
    net.run()


def test_an_idle_timeout_alone_does_not_keep_run_alive():
    s = net.Socket()
    s.setTimeout(60_000)
    net.run()  # returns at once: the idle timer is unref'd, as in Node
    s.destroy()
    net.run()


@pytest.mark.parametrize("port_text", ["0", " 0 ", "0x0"])
def test_numeric_strings_are_ports(port_text):
    server = net.createServer()
    got = []
    server.listen(port_text, "127.0.0.1", lambda: (got.append(server.address().family),
                                                   server.close()))
    net.run()
    assert got == ["IPv4"]


def test_address_is_none_until_the_host_resolves():
    server = net.createServer()
    server.listen(0, "127.0.0.1")
    assert server.address() is None and not server.listening  # as Node: the bind is a tick away
    got = []
    server.on("listening", lambda: (got.append(server.address().port > 0), server.close()))
    net.run()
    assert got == [True]


def test_pause_on_connect_and_socket_options_from_the_server():
    seen = {}

    def on_conn(c):
        s = pysocket.socket(fileno=c._handle.fileno())
        try:
            seen["nodelay"] = s.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY) != 0
            seen["keepalive"] = s.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE) != 0
            seen["idle"] = s.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE)
        finally:
            s.detach()
        seen["paused"] = c.isPaused()
        c.on("data", lambda d: seen.setdefault("data", d))

        def later():
            seen["before resume"] = seen.get("data")
            c.resume()
        net.setTimeout(later, 30)

    server = net.createServer({"pauseOnConnect": True, "noDelay": True, "keepAlive": True,
                               "keepAliveInitialDelay": 2000}, on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1", lambda: c.end("early"))
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert seen["paused"] is True and seen["before resume"] is None
    assert seen["data"] == b"early"
    assert seen["nodelay"] and seen["keepalive"] and seen["idle"] == 2


def test_listen_again_after_close():
    server = net.createServer()
    ports = []

    def first():
        ports.append(server.address().port)
        server.close(lambda: server.listen(0, "127.0.0.1", second))

    def second():
        ports.append(server.address().port)
        server.close()

    server.listen(0, "127.0.0.1", first)
    net.run()
    assert len(ports) == 2 and all(p > 0 for p in ports) and not server.listening
