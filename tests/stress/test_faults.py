"""Faults: resets at every stage, peers that stop reading, destroy from every
callback, closing a busy server, and an exception under load."""

from __future__ import annotations

import pytest

import pynet as net

from .conftest import raise_fd_limit, scale
from .torture import KINDS, torture


def _errors_then_close(log, sock, tag):
    sock.on("error", lambda e: log.append((tag, "error", e.code)))
    sock.on("close", lambda h: log.append((tag, "close", h)))


@pytest.mark.parametrize("stage", ["accept", "mid-read", "mid-write"])
def test_peer_resets(stage, figure):
    n = scale(200, 20)
    log: list = []

    def on_conn(s):
        s.on("error", lambda e: None)
        if stage == "accept":
            s.resetAndDestroy()
        elif stage == "mid-read":
            s.once("data", lambda d: s.resetAndDestroy())
        else:
            s.pause()  # never reads: the client's writes pile up, then RST
            net.setTimeout(s.resetAndDestroy, 20)

    server = net.createServer(on_conn)
    done = [0]

    def client():
        c = net.connect(server.address().port, "127.0.0.1")
        _errors_then_close(log, c, id(c))

        def pump():
            while c.writable and c.write(b"y" * 65536):
                pass
        c.on("connect", pump)
        c.on("drain", pump)

        def on_close(_):
            done[0] += 1
            if done[0] == n:
                server.close()
        c.on("close", on_close)

    server.listen(0, "127.0.0.1", lambda: [client() for _ in range(n)])
    net.run()  # nothing comes out: every socket has an 'error' listener
    by_sock: dict = {}
    for tag, kind, value in log:
        by_sock.setdefault(tag, []).append((kind, value))
    assert len(by_sock) == n
    for events in by_sock.values():
        errors_ = [v for k, v in events if k == "error"]
        closes = [v for k, v in events if k == "close"]
        assert len(errors_) <= 1 and closes == [bool(errors_)]  # one error at most, then close
        assert set(errors_) <= {"ECONNRESET", "EPIPE"}
        assert events[-1][0] == "close"
    figure(f"resets {stage}", n)


def test_peer_that_stops_reading_gives_backpressure_then_timeout(figure):
    log = []

    def on_conn(s):
        s.pause()  # reads nothing: the client's window fills

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        written = [0]

        def pump():
            # Until libuv has to keep some of it: the peer's window is full.
            while not c.writableLength:
                c.write(b"z" * 65536)
                written[0] += 65536
            log.append(("backpressure", c.writableNeedDrain))
            c.setTimeout(100, lambda: (log.append(("timeout", written[0])), c.destroy(),
                                       server.close(), [s.destroy() for s in conns]))

        c.on("connect", pump)

    conns: list = []
    server.on("connection", conns.append)
    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log[0] == ("backpressure", True)
    assert log[1][0] == "timeout"
    figure("bytes accepted before the window closed", log[1][1])


@pytest.mark.parametrize("kind", KINDS)
def test_destroy_from_inside_every_callback(kind):
    # The same torture make valgrind runs, here without valgrind.
    rounds = scale(200, 10)
    assert torture(kind, rounds) == rounds


def test_server_close_with_live_connections(figure):
    n = scale(1000, 100)
    raise_fd_limit(2 * n + 200)
    accepted = []
    closed = [0]
    order = []

    def on_conn(s):
        accepted.append(s)
        s.resume()  # a socket nobody reads never sees its 'end'
        s.on("close", lambda _: closed.__setitem__(0, closed[0] + 1))
        if len(accepted) == n:
            server.close(lambda *_: order.append(
                ("server closed", sum(1 for a in accepted if a.destroyed))))
            for c in clients:
                c.end(b"bye")

    server = net.createServer(on_conn)
    clients = []

    def go():
        for _ in range(n):
            c = net.connect(server.address().port, "127.0.0.1")
            c.on("end", lambda c=c: c.end())
            c.resume()
            clients.append(c)

    server.listen(0, "127.0.0.1", go)
    net.run()
    # close() let every connection finish: 'close' came once the last one was
    # destroyed (as in Node, before that socket's own 'close').
    assert order == [("server closed", n)]
    assert closed[0] == n
    figure("connections finished after close()", n)


def test_exception_in_a_listener_under_load_leaves_a_usable_loop():
    n = scale(500, 50)
    server = net.createServer(lambda s: s.on("data", s.write))
    clients = []
    seen = [0]

    def go():
        for _ in range(n):
            c = net.connect(server.address().port, "127.0.0.1")
            c.on("connect", lambda c=c: c.write(b"hi"))

            def on_data(d):
                seen[0] += 1
                if seen[0] == n // 2:
                    raise RuntimeError("boom under load")

            c.on("data", on_data)
            clients.append(c)

    server.listen(0, "127.0.0.1", go)
    with pytest.raises(RuntimeError, match="boom under load"):
        net.run()
    # The loop is usable: finish the run cleanly and leak nothing (no_leaks checks).
    for c in clients:
        c.destroy()
    server.close()
    net.run()
