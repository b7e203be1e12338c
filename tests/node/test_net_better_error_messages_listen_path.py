"""Node's test-net-better-error-messages-listen-path.js."""
from __future__ import annotations

import pynet as net


def test_unreachable_path(common, tmp_path):
    path = str(tmp_path / "no" / "such" / "dir" / "sock")
    server = net.createServer()
    server.on("error", common.must_call(lambda err: check(err, path)))
    server.listen(path, common.must_not_call("listening"))
    net.run()


def check(err, path):
    assert err.address == path
