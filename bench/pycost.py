"""The interpreted part of one echo request: pynet's cost in user space, without the loop.

    python bench/pycost.py               # ns per request
    python bench/pycost.py --callgrind   # instructions per request (valgrind; repeatable)

``bench/echo_pynet.py``'s connection handler runs on a real server-side socket
(a Unix socket in a temporary folder); each request is the read upcall as the
C shim makes it (``Socket._onread(socket, data)`` with a ready ``bytes``, or
``listener(data)`` once the socket has handed its reads to its one 'data'
listener (``Socket._onread`` hands them over), then the drain of the tick queues if
one has something), and the write it answers
with goes to the kernel or to a stub.  Two cases, at 1 KiB and 16 KiB:

- sent: the write goes to the kernel, which takes it whole (the client's
  end is emptied every 64 KiB), as on loopback with a short echo.
  ``write()`` says true at any size, as in Node 20.20.  From the second write
  on, ``Socket.write`` is the shim's C method (the write gate, socket.py), so
  this case counts the C write and its system call's user side too.
- queued: a stub in place of the write builtin says "queued" and the
  write-completion upcall (``_callbacks._on_write``) follows, as when the
  kernel buffer is full (the gate never opens).  At
  16 KiB (the default high-water mark) that is Node's whole backpressure cycle:
  ``write()`` returns False, ``pause()``, ``once('drain', resume)``, the
  completion, afterWrite, 'drain', ``resume()``, the resume tick.

Timings move with the machine; the callgrind count does not (the same hash seed
and inputs give the same count), so A/B a change of the stream layer with
``--callgrind``: it takes the difference of two run lengths, which leaves out
start-up.  Nothing here measures the kernel, libuv or the GIL: ``bench.py``
does, against the peers.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]

import echo_pynet  # noqa: E402

import pynet as net  # noqa: E402
from pynet import _callbacks  # noqa: E402
from pynet import socket as _socket  # noqa: E402


def server_side_socket(folder: str) -> tuple[Any, int]:
    """A connected server-side socket with the benchmark's handler, the loop left
    idle, and the client's fd (to empty it: the loop never reads it here)."""
    got: list[Any] = []

    def on_connection(c: Any) -> None:
        echo_pynet.on_connection(c)
        got.append(c)
        for handle in (c, client, server):  # let run() return with the connection open
            handle.unref()

    server = net.createServer(on_connection)
    server.listen(os.path.join(folder, "pycost.sock"))
    client = net.connect(os.path.join(folder, "pycost.sock"))
    net.run()
    return got[0], client._handle.fileno()


def per_request(sock: Any, peer_fd: int, size: int, queued: bool, n: int,
                reps: int) -> list[float]:
    """ns per request, one figure per repetition of ``n`` requests."""
    data = b"x" * size
    handle, on_read, on_write = sock._handle, _socket.Socket._onread, _callbacks._on_write
    loop = sock._loop
    ticks, micro, drain = loop.ticks, loop.micro, loop.drain
    real_write = _socket._pynet_write
    sock._direct_writes_off()  # the gate opens again on the first write sent whole
    if queued:
        _socket._pynet_write = lambda ptr, d: len(d)
    every = max(1, 65536 // size)
    sink = bytearray(1 << 20)
    out = []
    try:
        for _ in range(reps):
            t = time.perf_counter_ns()
            # After each upcall the shim drains the tick queues when one has something.
            for i in range(n):
                if (direct := handle.reading) is True:
                    on_read(sock, data)
                else:
                    direct(data)
                if ticks or micro:
                    drain()
                if queued:
                    on_write(handle, 0)
                    if ticks or micro:
                        drain()
                elif i % every == 0:
                    empty(peer_fd, sink)
            out.append((time.perf_counter_ns() - t) / n)
    finally:
        _socket._pynet_write = real_write
        empty(peer_fd, sink)
    return out


def empty(fd: int, sink: bytearray) -> None:
    """Reads what the server side sent, so that the kernel keeps taking it whole."""
    while True:
        try:
            if os.readv(fd, [sink]) < len(sink):
                return
        except BlockingIOError:
            return


CASES = [(size, queued) for queued in (False, True) for size in (1024, 16384)]


def label(size: int, queued: bool) -> str:
    return f"{size // 1024:2d} KiB {'queued' if queued else 'sent  '}"


def callgrind(size: int, queued: bool) -> int:
    """Instructions per request: two run lengths under callgrind, differenced."""
    counts = []
    for n in (500, 2500):
        cmd = [sys.executable, __file__, "--size", str(size), "--n", str(n), "--reps", "1"]
        res = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd,
             *(["--queued"] if queued else [])],
            capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"), check=True)
        found = re.search(r"Collected : (\d+)", res.stderr)
        if found is None:
            raise RuntimeError(f"no callgrind total in: {res.stderr[-500:]}")
        counts.append(int(found.group(1)))
    return (counts[1] - counts[0]) // 2000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=0, help="one case: this size (bytes)")
    ap.add_argument("--queued", action="store_true", help="one case: the queued one")
    ap.add_argument("--n", type=int, default=20000, help="requests per repetition")
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--callgrind", action="store_true", help="count instructions instead")
    args = ap.parse_args()
    cases = [(args.size, args.queued)] if args.size else CASES
    if args.callgrind:
        for size, queued in cases:
            print(f"{label(size, queued)}: {callgrind(size, queued):,} instructions per request")
        return 0
    with tempfile.TemporaryDirectory(prefix="pynet-pycost-") as folder:
        sock, peer_fd = server_side_socket(folder)
        gc.disable()
        for size, queued in cases:
            ns = per_request(sock, peer_fd, size, queued, args.n, args.reps)
            print(f"{label(size, queued)}: {min(ns):,.0f} ns per request "
                  f"(median {statistics.median(ns):,.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
