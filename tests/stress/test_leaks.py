"""Leaks: connect/echo/destroy cycles and listen/close cycles (TCP and Unix
paths) leave no fd, no handle and (almost) no RSS behind; a proxy moving a
lot of data through a slow reader stays within its high-water marks."""

from __future__ import annotations

import gc
import hashlib
import os

import psutil

import pynet as net
from pynet import _loop

from .conftest import scale


def _usage() -> tuple[int, int, int]:
    gc.collect()
    proc = psutil.Process()
    # Handles that are not on their way out: a closing one is gone at the next
    # close phase (the autouse fixture checks that every one got there).
    live = sum(1 for h in _loop.current().handles if not h.closing)
    return proc.num_fds(), live, proc.memory_info().rss


def _cycles(n: int, server: net.Server, done) -> None:
    port = server.address().port
    left = [n]

    def one():
        c = net.connect(port, "127.0.0.1")
        c.on("connect", lambda: c.write(b"ping"))
        c.on("data", lambda d: c.destroy())

        def on_close(_):
            left[0] -= 1
            if left[0]:
                one()
            else:
                done()
        c.on("close", on_close)

    one()


def test_connect_echo_destroy_cycles(figure):
    n = scale(100_000, 2_000)
    server = net.createServer(lambda c: (c.on("data", c.write), c.on("error", lambda e: None)))
    state = {}

    def warmed():
        state["before"] = _usage()
        _cycles(n, server, measured)

    def measured():
        state["after"] = _usage()
        server.close()

    # A first round warms caches, free lists and the allocator up.
    server.listen(0, "127.0.0.1", lambda: _cycles(min(n, 1000), server, warmed))
    net.run()
    (fd0, h0, rss0), (fd1, h1, rss1) = state["before"], state["after"]
    figure("connect/echo/destroy cycles", n)
    figure("fd delta", fd1 - fd0)
    figure("handle delta", h1 - h0)
    figure("RSS delta (KiB)", (rss1 - rss0) // 1024)
    assert fd1 - fd0 == 0 and h1 - h0 == 0
    assert rss1 - rss0 < 2 * 1024 * 1024


def test_listen_close_cycles_tcp_and_unix(tmp_path, figure):
    n = scale(10_000, 500)
    left = [n]
    state = {}

    def one():
        server = net.createServer()
        where = left[0] % 2
        path = str(tmp_path / f"s{left[0]}")

        def listening():
            server.close(lambda *_: next_one())
        if where:
            server.listen(path, listening)
        else:
            server.listen(0, "127.0.0.1", listening)

    def next_one():
        # Measured from a timer: close callbacks run in libuv's close phase, after
        # this chain of ticks, so a handle closed just now is still registered here.
        left[0] -= 1
        if left[0] == n // 2:
            net.setTimeout(lambda: (state.__setitem__("before", _usage()), one()), 1)
        elif left[0]:
            one()
        else:
            net.setTimeout(lambda: state.__setitem__("after", _usage()), 1)

    one()
    net.run()
    (fd0, h0, rss0), (fd1, h1, rss1) = state["before"], state["after"]
    assert os.listdir(tmp_path) == []  # every socket file went with its server
    figure("listen/close cycles (half on Unix paths)", n)
    figure("fd delta", fd1 - fd0)
    figure("handle delta", h1 - h0)
    figure("RSS delta (KiB)", (rss1 - rss0) // 1024)
    assert fd1 - fd0 == 0 and h1 - h0 == 0
    assert rss1 - rss0 < 2 * 1024 * 1024


def test_proxy_to_a_slow_reader_is_bounded_and_loses_nothing(figure):
    """``sock.pipe(upstream)`` both ways, as a proxy is written, with a slow sink."""
    total = scale(1 << 30, 64 << 20)
    block = os.urandom(1 << 16)
    proc = psutil.Process()
    state = {"sent": hashlib.sha256(), "got": hashlib.sha256(), "received": 0, "peak": 0}

    def on_sink(s):
        def on_data(d):
            state["received"] += len(d)
            state["got"].update(d)
            if state["received"] % (8 << 20) < len(d):
                s.pause()  # slow: a pause every 8 MiB
                net.setTimeout(s.resume, 2)
                state["peak"] = max(state["peak"], proc.memory_info().rss)
        s.on("data", on_data)
        s.on("end", lambda: s.end())

    sink = net.createServer(on_sink)

    def on_client(client):
        upstream = net.connect(sink.address().port, "127.0.0.1")
        client.pipe(upstream)
        upstream.pipe(client)

    proxy = net.createServer(on_client)

    def start():
        c = net.connect(proxy.address().port, "127.0.0.1")
        left = [total]

        def pump():
            while left[0] > 0:
                left[0] -= len(block)
                state["sent"].update(block)
                if not c.write(block):
                    return
            c.end()
        c.on("connect", pump)
        c.on("drain", pump)
        c.resume()
        c.on("close", lambda _: (proxy.close(), sink.close()))

    rss0 = proc.memory_info().rss
    sink.listen(0, "127.0.0.1", lambda: proxy.listen(0, "127.0.0.1", start))
    net.run()
    assert state["received"] == total
    assert state["got"].digest() == state["sent"].digest()
    growth = state["peak"] - rss0
    figure("bytes through the proxy (MiB)", total >> 20)
    figure("peak RSS growth (MiB)", round(max(growth, 0) / 2**20, 1))
    assert growth < 32 * 1024 * 1024
