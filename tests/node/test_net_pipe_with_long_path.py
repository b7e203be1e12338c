"""Node's test-net-pipe-with-long-path.js (v25): a long path works, or fails with EINVAL.

pynet follows the oracle, Node 20: the path is cut to sun_path silently, and
a connect to the same long path is cut the same way, so it works.
"""
from __future__ import annotations

import os

import pynet as net


def test_long_path_listen_and_connect(common, tmp_path):
    base = str(tmp_path)
    path = os.path.join(base, "x" * (140 - len(base)))
    server = net.createServer(lambda c: c.end(b"ok"))

    def go():
        c = net.connect(path)
        c.on("data", common.must_call(lambda d: check(d)))
        c.on("close", lambda _: server.close())

    server.on("error", common.must_call(lambda err: check_einval(err), n=0))
    server.listen(path, go)
    net.run()


def check(d):
    assert d == b"ok"


def check_einval(err):
    assert err.code == "EINVAL"
