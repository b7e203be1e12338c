"""Node's test-net-listen-fd0.js: listen({fd: 0}) on a non-socket fails with an 'error'."""
from __future__ import annotations

import pynet as net


def test_listen_on_fd_0_is_an_asynchronous_error(common, tmp_path):
    import os

    with open(tmp_path / "not-a-socket", "w") as f:
        saved = os.dup(0)
        os.dup2(f.fileno(), 0)
        try:
            server = net.createServer()
            server.on("error", common.must_call(
                lambda err: (assert_code(err), None)))
            server.listen({"fd": 0}, common.must_not_call("listening"))
            net.run()
        finally:
            os.dup2(saved, 0)
            os.close(saved)


def assert_code(err):
    assert err.code in ("EINVAL", "ENOTSOCK")
