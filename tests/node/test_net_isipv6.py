"""Node's test-net-isipv6.js (a representative part of its tables)."""
from __future__ import annotations

import pytest

import pynet as net

VALID = [
    '::1',
    '::',
    '1::',
    '::ffff:192.168.0.1',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    '1::8',
    '1:2:3:4:5:6::8',
    'fe80::7:8%eth0',
    'fe80::7:8%1',
    '::255.255.255.255',
    '::ffff:255.255.255.255',
    '::ffff:0:255.255.255.255',
    '2001:db8:3:4::192.0.2.33',
    '64:ff9b::192.0.2.33',
    'a:b:c:d:e:f:0::',
    'FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
    '1111:2222:3333:4444:5555:6666:123.123.123.123',
]
INVALID = [
    '',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '::1:2:3:4:5:6:7:8',
    '1::2::3',
    '1:::3:4:5',
    '1:2:3::4:5:6:7:8:9',
    '::ffff:2.3.4',
    '::ffff:257.1.2.3',
    '1.2.3.4',
    '12345::6:7:8',
    '1::5:400.2.3.4',
    '::ffff:192x168.1.26',
    'XXXX:XXXX:XXXX:XXXX:XXXX:XXXX:1.2.3.4',
    '1111:2222:3333:4444:5555:6666:256.256.256.256',
    ':',
    ':::',
    '1:2:3:4:5:6:7:8:',
    ':1:2:3:4:5:6:7:8',
    'fe80::7:8%',
    '02001:0000:1234:0000:0000:C1C0:ABCD:0876',
]


@pytest.mark.parametrize("ip", VALID)
def test_valid(ip):
    assert net.isIPv6(ip) is True


@pytest.mark.parametrize("ip", INVALID)
def test_invalid(ip):
    assert net.isIPv6(ip) is False
