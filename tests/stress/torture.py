"""The destroy-in-callback torture, as a program: what ``make valgrind`` runs.

Sockets are destroyed from inside every kind of callback while a 1 ms timer
runs ``gc.collect()``, so wrappers die at the worst moments; libuv and the C
shim must never touch freed memory.  Prints one line per kind and 'done'.

    python tests/stress/torture.py [ROUNDS]
"""

from __future__ import annotations

import gc
import sys

import pynet as net

KINDS = ["connect", "data", "end", "finish", "drain", "timeout", "write-cb", "lookup", "ready",
         "error", "close-server"]


def torture(kind: str, rounds: int) -> int:
    closes = [0]

    def on_conn(s):
        s.on("error", lambda e: None)
        s.write(b"x" * 100_000)
        s.end()
        s.resume()
        if kind == "close-server":
            s.destroy()

    server = net.createServer(on_conn)

    def once():
        port = server.address().port
        if kind == "error":
            c = net.connect(1, "127.0.0.1")
        elif kind == "lookup":
            c = net.connect({"port": port, "host": "torture.test",
                             "lookup": lambda h, o, cb: net.setImmediate(
                                 lambda: cb(None, [{"address": "127.0.0.1", "family": 4}]))})
        else:
            c = net.connect(port, "127.0.0.1")
        c.on("error", lambda e: None)
        kill = c.destroy
        if kind == "write-cb":
            c.write(b"q" * 100_000, lambda err: kill())
        elif kind == "drain":
            c.on("connect", lambda: c.write(b"w" * 1_000_000))
            c.on("drain", kill)
        elif kind == "timeout":
            c.setTimeout(1, kill)
        elif kind == "finish":
            c.on("connect", lambda: c.end())
            c.on("finish", kill)
        elif kind != "close-server":
            c.on(kind, lambda *a: kill())
        c.resume()

        def on_close(_):
            closes[0] += 1
            if closes[0] < rounds:
                once()
            else:
                server.close()
        c.on("close", on_close)

    collector = net.setInterval(gc.collect, 1)
    collector.unref()
    server.listen(0, "127.0.0.1", once)
    net.run()
    net.clearInterval(collector)
    return closes[0]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    for kind in KINDS:
        print(f"{kind}: {torture(kind, rounds)} destroyed", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
