"""Node's test-blocklist.js: rules, mapped addresses, order, boundaries, validation."""
from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_addresses_ranges_subnets_and_mapped():
    bl = net.BlockList()
    bl.addAddress("1.1.1.1")
    bl.addRange("10.0.0.1", "10.0.0.10")
    bl.addSubnet("8592:757c:efae:4e45::", 64, "ipv6")
    assert bl.check("1.1.1.1") and not bl.check("1.1.1.2")
    assert bl.check("10.0.0.10") and not bl.check("10.0.0.11")
    assert bl.check("::ffff:1.1.1.1", "ipv6")  # IPv4-mapped IPv6 matches the IPv4 rule
    assert bl.check("8592:757c:efae:4e45:f::", "IPv6")  # family is case-insensitive
    assert not bl.check("8592:757c:efae:4f45::", "ipv6")


def test_rules_newest_first():
    bl = net.BlockList()
    bl.addSubnet("1.1.1.0", 16)
    bl.addAddress("1.1.1.1")
    bl.addRange("10.0.0.1", "10.0.0.10")
    assert bl.rules == ["Range: IPv4 10.0.0.1-10.0.0.10", "Address: IPv4 1.1.1.1",
                        "Subnet: IPv4 1.1.1.0/16"]


def test_subnet_boundaries():
    bl = net.BlockList()
    bl.addSubnet("192.168.1.0", 24)
    assert bl.check("192.168.1.0") and bl.check("192.168.1.255")
    assert not bl.check("192.168.0.255") and not bl.check("192.168.2.0")


def test_validation():
    bl = net.BlockList()
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        bl.addAddress(1)
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE):
        bl.addRange("10.0.0.10", "10.0.0.1")
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        bl.addSubnet("1.1.1.1", 33)
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        bl.check(1)
    assert bl.check("1.1.1.1", "foo") is False
