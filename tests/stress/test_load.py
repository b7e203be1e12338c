"""Load: many connections held, many clients ping-ponging, churn under throughput."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil

import pynet as net

from ..conftest import env_with_repo
from .conftest import raise_fd_limit, scale


def test_connections_held_by_one_server(figure):
    n = scale(10_000, 500)
    raise_fd_limit(n + 200)
    accepted = []
    server = net.createServer(lambda c: (accepted.append(c), c.on("data", c.write)))
    proc = psutil.Process()
    state = {}

    def go():
        state["rss0"] = proc.memory_info().rss
        state["clients"] = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(__file__), "_clients.py"),
             str(server.address().port), str(n)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env_with_repo())
        # The clients run in another process; poll until every one has its echo.
        check = net.setInterval(lambda: done() if len(accepted) == n and all(
            c.bytesWritten == 4 for c in accepted) else None, 20)
        state["check"] = check

    def done():
        net.clearInterval(state["check"])
        state["rss1"] = proc.memory_info().rss
        state["held"] = sum(1 for c in accepted if not c.destroyed)
        clients = state["clients"]
        clients.stdin.close()  # they close; our sockets see 'end' and close too
        server.close()

    server.listen(0, "127.0.0.1", go)
    net.run()
    clients = state["clients"]
    assert clients.stdout.readline().split() == [b"ready", str(n).encode()]
    clients.wait(timeout=60)
    clients.stdout.close()
    assert state["held"] == n
    figure("connections held at once", n)
    figure("server RSS per connection (B)", (state["rss1"] - state["rss0"]) // n)


def test_clients_ping_pong(figure):
    clients, rounds = scale(1000, 50), scale(100, 20)
    raise_fd_limit(2 * clients + 200)

    def on_conn(c):
        c.setNoDelay()
        c.on("data", c.write)

    server = net.createServer(on_conn)
    finished = [0]

    def client():
        c = net.connect(server.address().port, "127.0.0.1")
        c.setNoDelay()
        left = [rounds]

        def on_data(d):
            assert d == b"ping"
            left[0] -= 1
            if left[0]:
                c.write(b"ping")
            else:
                c.end()

        c.on("connect", lambda: c.write(b"ping"))
        c.on("data", on_data)

        def on_close(had_error):
            assert had_error is False
            finished[0] += 1
            if finished[0] == clients:
                server.close()

        c.on("close", on_close)

    t0 = time.monotonic()
    server.listen(0, "127.0.0.1", lambda: [client() for _ in range(clients)])
    net.run()
    elapsed = time.monotonic() - t0
    assert finished[0] == clients
    figure("clients x round trips", f"{clients:,} x {rounds}")
    figure("round trips per second", clients * rounds / elapsed)


def test_throughput_while_connections_churn(figure):
    seconds = scale(5, 1)
    per_second = 100
    chunk = b"x" * 65536
    received = [0]
    churned = [0]

    def on_conn(c):
        c.on("data", lambda d: received.__setitem__(0, received[0] + len(d)) if c.bulk else None)
        c.bulk = False

    server = net.createServer(on_conn)
    state = {}

    def go():
        port = server.address().port
        bulk = state["bulk"] = net.connect(port, "127.0.0.1")
        server.once("connection", lambda c: setattr(c, "bulk", True))

        def pump():
            while bulk.writable and bulk.write(chunk):
                pass
        bulk.on("connect", pump)
        bulk.on("drain", pump)

        def churn():
            c = net.connect(port, "127.0.0.1")
            c.on("connect", lambda: (churned.__setitem__(0, churned[0] + 1), c.end(b"hi")))
            c.resume()

        state["churn"] = net.setInterval(churn, 1000 // per_second)
        net.setTimeout(stop, seconds * 1000)

    def stop():
        net.clearInterval(state["churn"])
        state["bulk"].destroy()
        net.setTimeout(server.close, 50)
        state["elapsed"] = time.monotonic() - state["t0"]

    state["t0"] = time.monotonic()
    server.on("connection", lambda c: c.on("error", lambda e: None))
    server.listen(0, "127.0.0.1", go)
    net.run()
    assert churned[0] >= per_second * seconds * 0.5
    figure("connections opened and closed", churned[0])
    figure("bulk MiB/s meanwhile", received[0] / 2**20 / state["elapsed"])
