"""The stable ABI: the one ``_uv.abi3.so`` must keep every reference count right
on every CPython it loads into, whichever CPython's headers built it.

CPython 3.12.x's and 3.13.0's headers return None and True from a C function
without a new reference (they are immortal there), even for a module built for
3.11's stable ABI; loaded by 3.11, such a module gave away a reference of True
on every write and one of None on every connection, and the process aborted
after some 8,000 of either (see PYNET_NEW_REF_SINGLETONS in the shim).  CI
runs this file again on 3.11 with the module the 3.13 run built.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import env_with_repo

# An echo server and a client in one process, as a user writes them: every
# write is a plain bytes write through the open gate (the C Socket.write,
# which answers True), and every connection hands its reads to the listener
# (the shim's read_to, which answers None).
_SCENARIO = r"""
import gc, json, sys
import pynet as net

PINGS, CONNECTIONS = int(sys.argv[1]), int(sys.argv[2])

def on_connection(c):
    c.on("data", c.write)
    c.on("end", c.end)

server = net.createServer(on_connection)
answers = []

def ping_pong(then):
    s = net.connect(server.address().port, "127.0.0.1")
    left = [PINGS]
    def on_data(d):
        answers.append(len(d))
        left[0] -= 1
        if left[0]:
            s.write(b"p")
        else:
            s.end()
    s.on("data", on_data)
    s.on("close", lambda *_: then())
    s.write(b"p")

def connections(n):
    if n == 0:
        server.close()
        return
    s = net.connect(server.address().port, "127.0.0.1")
    s.on("data", lambda d: s.end())
    s.on("close", lambda *_: connections(n - 1))
    s.write(b"c")

def counts():
    gc.collect()
    return sys.getrefcount(None), sys.getrefcount(True)

server.listen(0, "127.0.0.1", lambda: ping_pong(lambda: connections(CONNECTIONS)))
before = counts()
net.run()
after = counts()
print(json.dumps({"answers": len(answers), "none": after[0] - before[0],
                  "true": after[1] - before[1]}))
"""


@pytest.mark.skipif(sys.version_info >= (3, 12),
                    reason="None and True are immortal on CPython 3.12+: their counts never move")
def test_none_and_true_keep_their_reference_counts_through_writes_and_connections():
    pings, connections = 600, 300
    # A process of its own: with the bug, the count of True reaches zero and
    # the interpreter may abort, which must fail this test, not the suite.
    out = subprocess.run([sys.executable, "-c", _SCENARIO, str(pings), str(connections)],
                         capture_output=True, text=True, timeout=60, env=env_with_repo())
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["answers"] == pings
    # Each ping is two C writes and each connection at least one read_to:
    # a leak would move the counts by 1,200 and 300; caches move them a little.
    assert abs(result["true"]) < 100, result
    assert abs(result["none"]) < 100, result
