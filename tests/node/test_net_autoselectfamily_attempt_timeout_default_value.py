"""Node's test-net-autoselectfamily-attempt-timeout-default-value.js (v20: 250 ms)."""
from __future__ import annotations

import pynet as net


def test_default_attempt_timeout():
    assert net.getDefaultAutoSelectFamilyAttemptTimeout() == 250
