"""Node's test-pipe-address.js: a pipe server's address() is its path."""
from __future__ import annotations

import pynet as net


def test_pipe_address(common, tmp_path):
    path = str(tmp_path / "s")
    server = net.createServer()
    server.listen(path, common.must_call(lambda: (check(server, path), server.close())))
    net.run()


def check(server, path):
    assert server.address() == path
