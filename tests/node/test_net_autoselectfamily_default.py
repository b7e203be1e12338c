"""Node's test-net-autoselectfamily-default.js."""
from __future__ import annotations

import pynet as net


def test_default_can_be_changed():
    original = net.getDefaultAutoSelectFamily()
    try:
        net.setDefaultAutoSelectFamily(False)
        assert net.getDefaultAutoSelectFamily() is False
        net.setDefaultAutoSelectFamily(True)
        assert net.getDefaultAutoSelectFamily() is True
    finally:
        net.setDefaultAutoSelectFamily(original)
