"""Node's test-net-better-error-messages-path.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_missing_path(common, tmp_path):
    path = str(tmp_path / "nothing-here")
    c = net.connect(path)
    c.on("error", common.must_call(lambda err: check(err, path)))
    net.run()


def check(err, path):
    assert err.code == "ENOENT" and str(err) == f"connect ENOENT {path}"


def test_path_must_be_a_string():
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.connect({"path": {}})
