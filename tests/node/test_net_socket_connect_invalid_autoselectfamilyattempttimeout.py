"""Node's test-net-socket-connect-invalid-autoselectfamilyattempttimeout.js."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


@pytest.mark.parametrize("bad", [0, -10])
def test_option_and_setter_reject(bad):
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        net.connect({"port": 8080, "autoSelectFamily": True,
                     "autoSelectFamilyAttemptTimeout": bad})
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        net.setDefaultAutoSelectFamilyAttemptTimeout(bad)


def test_small_values_clamp_to_10():
    original = net.getDefaultAutoSelectFamilyAttemptTimeout()
    try:
        for value in (1, 9):
            net.setDefaultAutoSelectFamilyAttemptTimeout(value)
            assert net.getDefaultAutoSelectFamilyAttemptTimeout() == 10
    finally:
        net.setDefaultAutoSelectFamilyAttemptTimeout(original)
