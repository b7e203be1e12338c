"""Node's test-net-isip.js: 4, 6 or 0 for a table of inputs."""
from __future__ import annotations

import pytest

import pynet as net

CASES = [
    ('127.0.0.1', 4),
    ('x127.0.0.1', 0),
    ('example.com', 0),
    ('0000:0000:0000:0000:0000:0000:0000:0000', 6),
    ('0000:0000:0000:0000:0000:0000:0000:0000::0000', 0),
    ('1050:0:0:0:5:600:300c:326b', 6),
    ('2001:252:0:1::2008:6', 6),
    ('2001:dead:beef:1::2008:6', 6),
    ('2001::', 6),
    ('2001:dead::', 6),
    ('2001:dead:beef::', 6),
    ('2001:dead:beef:1::', 6),
    ('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 6),
    (':2001:252:0:1::2008:6:', 0),
    (':2001:252:0:1::2008:6', 0),
    ('2001:252:0:1::2008:6:', 0),
    ('2001:252::2008:6', 6),
    ('2001:252::2008::6', 0),
    ('::2001:252:1:2008:6', 6),
    ('::2001:252:1:1.1.1.1', 6),
    ('::2001:252:1:255.255.255.255', 6),
    ('::2001:252:1:255.255.255.255.76', 0),
    ('fe80::2008%eth0', 6),
    ('fe80::2008%eth0.0', 6),
    ('fe80::2008%eth0@1', 0),
    ('::anything', 0),
    ('::1', 6),
    ('::', 6),
    ('0', 0),
    ('', 0),
    (None, 0),
    (123, 0),
    (True, 0),
    ({}, 0),
]


@pytest.mark.parametrize("value,family", CASES)
def test_is_ip(value, family):
    assert net.isIP(value) == family
    assert net.isIPv4(value) is (family == 4)
    assert net.isIPv6(value) is (family == 6)
