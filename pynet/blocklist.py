"""``net.BlockList``: rules that block IP addresses, ranges and subnets.

Spec: "Class: net.BlockList".  Every address is compared in IPv6 space, IPv4
addresses as ``::ffff:a.b.c.d``: that is how Node matches an IPv4 rule against
the IPv4-mapped IPv6 form of an address (and an IPv6 rule against an IPv4
address).  One exception, Node's too: in a range, an IPv4 address and an IPv6
endpoint (or the other way round) are only comparable when the IPv6 one is
IPv4-mapped; otherwise the range does not match.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from . import _validators as v
from ._ip import as_v6
from ._names import CamelTwins
from .errors import make
from .socketaddress import SocketAddress

__all__ = ["BlockList"]

_FAMILY_TEXT = {"ipv4": "IPv4", "ipv6": "IPv6"}


def _socket_address(value: Any, name: str, family: Any) -> SocketAddress:
    if isinstance(value, SocketAddress):
        return value
    v.validate_string(value, name)
    v.validate_string(family, "family")
    return SocketAddress({"address": value, "family": family})


def _v6(addr: SocketAddress) -> int:
    return as_v6(addr._value, 4 if addr.family == "ipv4" else 6)


def _comparable(x: int, x_family: str, y: int, y_family: str) -> bool:
    """Node's SocketAddress::compare is NOT_COMPARABLE across families unless mapped."""
    if x_family == y_family:
        return True
    return (x if x_family == "ipv6" else y) >> 32 == 0xFFFF


class BlockList(CamelTwins):
    """Node's ``net.BlockList``."""

    __slots__ = ("_rules",)

    def __init__(self) -> None:
        # (text, matcher) newest first, as Node lists them.
        self._rules: list[tuple[str, Callable[[int, str], bool]]] = []

    def _add(self, text: str, matcher: Callable[[int, str], bool]) -> None:
        self._rules.insert(0, (text, matcher))

    def addAddress(self, address: str | SocketAddress, type: str = "ipv4") -> None:  # noqa: A002
        """Blocks one address."""
        addr = _socket_address(address, "address", type)
        value = _v6(addr)
        self._add(f"Address: {_FAMILY_TEXT[addr.family]} {addr.address}",
                  lambda x, _family: x == value)

    def addRange(self, start: str | SocketAddress, end: str | SocketAddress,
                 type: str = "ipv4") -> None:  # noqa: A002
        """Blocks the addresses from ``start`` to ``end``, both included."""
        first = _socket_address(start, "start", type)
        last = _socket_address(end, "end", type)
        lo, lo_family, hi, hi_family = _v6(first), first.family, _v6(last), last.family
        if lo > hi and _comparable(lo, lo_family, hi, hi_family):
            raise make("ERR_INVALID_ARG_VALUE", "start", first, "must come before end")

        def in_range(x: int, family: str) -> bool:
            return (lo <= x <= hi and _comparable(x, family, lo, lo_family)
                    and _comparable(x, family, hi, hi_family))

        self._add(f"Range: {_FAMILY_TEXT[first.family]} {first.address}-{last.address}",
                  in_range)

    def addSubnet(self, net: str | SocketAddress, prefix: int,
                  type: str = "ipv4") -> None:  # noqa: A002
        """Blocks a subnet: ``prefix`` bits (0-32 for IPv4, 0-128 for IPv6)."""
        network = _socket_address(net, "network", type)
        top = 32 if network.family == "ipv4" else 128
        bits = v.validate_int32(prefix, "prefix", 0, top)
        if network.family == "ipv4":
            bits += 96  # the subnet inside ::ffff:0:0/96
        shift = 128 - bits
        base = _v6(network) >> shift
        self._add(f"Subnet: {_FAMILY_TEXT[network.family]} {network.address}/{prefix}",
                  lambda x, _family: x >> shift == base)

    def check(self, address: str | SocketAddress, type: str = "ipv4") -> bool:  # noqa: A002
        """True if ``address`` matches a rule; False for an address that is not one."""
        if not isinstance(address, SocketAddress):
            v.validate_string(address, "address")
            v.validate_string(type, "family")
            try:
                address = SocketAddress({"address": address, "family": type})
            except (TypeError, ValueError, Exception):
                return False
        value, family = _v6(address), address.family
        return any(matches(value, family) for _, matches in self._rules)

    @property
    def rules(self) -> list[str]:
        """The rules, newest first, in Node's words (``Address: IPv4 1.2.3.4``)."""
        return [text for text, _ in self._rules]

    @staticmethod
    def isBlockList(value: Any) -> bool:
        """True if ``value`` is a BlockList."""
        return isinstance(value, BlockList)

    def toJSON(self) -> list[str]:
        """The rules, as ``rules`` gives them (for ``json.dumps``)."""
        return self.rules

    def fromJSON(self, data: str | list[str]) -> None:
        """Adds the rules in ``data`` (a list of rule strings, or its JSON text), in order.

        As in Node, a string that is no rule is skipped.
        """
        if isinstance(data, str):
            data = json.loads(data)
        if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
            raise make("ERR_INVALID_ARG_TYPE", "data", ["string", "string[]"], data)
        for item in data:
            _apply_rule_text(self, item)

    def __repr__(self) -> str:
        return f"BlockList(rules={self.rules!r})"


_V4 = r"(\d{1,3}(?:\.\d{1,3}){3})"
_V6 = r"([0-9a-fA-F:]{1,39})"
# (family word, pattern, what to call) in Node's order of trying.
_RULE_TEXT: list[tuple[str, re.Pattern[str], Callable[[BlockList, re.Match[str]], None]]] = [
    ("IPv4", re.compile(rf"Subnet: IPv4 {_V4}/(\d{{1,2}})"),
     lambda bl, m: bl.addSubnet(m[1], int(m[2]))),
    ("IPv4", re.compile(rf"Address: IPv4 {_V4}"), lambda bl, m: bl.addAddress(m[1])),
    ("IPv4", re.compile(rf"Range: IPv4 {_V4}-{_V4}"), lambda bl, m: bl.addRange(m[1], m[2])),
    ("IPv6", re.compile(rf"Subnet: IPv6 {_V6}/([0-9]{{1,3}})", re.I),
     lambda bl, m: bl.addSubnet(m[1], int(m[2]), "ipv6")),
    ("IPv6", re.compile(rf"Address: IPv6 {_V6}", re.I),
     lambda bl, m: bl.addAddress(m[1], "ipv6")),
    ("IPv6", re.compile(rf"Range: IPv6 {_V6}-{_V6}", re.I),
     lambda bl, m: bl.addRange(m[1], m[2], "ipv6")),
]


def _apply_rule_text(bl: BlockList, item: str) -> None:
    for word, pattern, add in _RULE_TEXT:
        if word not in item:
            continue
        m = pattern.search(item)
        if m:
            add(bl, m)
            return
