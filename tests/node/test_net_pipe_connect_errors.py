"""Node's test-net-pipe-connect-errors.js."""
from __future__ import annotations

import os

import pytest

import pynet as net


def test_connect_to_a_regular_file(common, tmp_path):
    path = str(tmp_path / "file")
    open(path, "w").close()
    c = net.connect(path)
    c.on("error", common.must_call(lambda err: check(err, ("ENOTSOCK", "ECONNREFUSED"))))
    net.run()


def test_connect_to_a_missing_path(common, tmp_path):
    c = net.connect(str(tmp_path / "missing"))
    c.on("error", common.must_call(lambda err: check(err, ("ENOENT",))))
    net.run()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions (CI runs as root)")
def test_connect_without_permission(common, tmp_path):
    path = str(tmp_path / "s")
    server = net.createServer()

    def go():
        os.chmod(path, 0)
        c = net.connect(path)
        c.on("error", common.must_call(lambda err: (check(err, ("EACCES",)), server.close())))

    server.listen(path, go)
    net.run()


def check(err, codes):
    assert err.code in codes
