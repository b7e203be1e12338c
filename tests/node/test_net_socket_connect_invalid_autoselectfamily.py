"""Node's test-net-socket-connect-invalid-autoselectfamily.js and ...attempttimeout.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_non_boolean():
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.connect({"port": 8080, "autoSelectFamily": "true"})
