"""Node's test-net-timeout-no-handle.js: a never-connected socket's timeout fires.

A ref'd timer keeps run() going: the idle timer itself never does (as in Node).
"""
from __future__ import annotations

import pynet as net


def test_timeout_without_handle(common):
    s = net.Socket()
    keep = net.setTimeout(lambda: None, 1000)
    s.setTimeout(20, common.must_call(lambda: (net.clearTimeout(keep), s.destroy())))
    net.run()
