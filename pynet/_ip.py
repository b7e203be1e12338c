"""Node's IP address syntax (lib/internal/net.js): isIP, isIPv4, isIPv6."""

from __future__ import annotations

import re
from typing import Any

_V4_SEG = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_V4_STR = rf"(?:{_V4_SEG}\.){{3}}{_V4_SEG}"
_V6_SEG = r"(?:[0-9a-fA-F]{1,4})"
_IPV4 = re.compile(rf"^{_V4_STR}\Z")
_IPV6 = re.compile(
    "^(?:"
    rf"(?:{_V6_SEG}:){{7}}(?:{_V6_SEG}|:)|"
    rf"(?:{_V6_SEG}:){{6}}(?:{_V4_STR}|:{_V6_SEG}|:)|"
    rf"(?:{_V6_SEG}:){{5}}(?::{_V4_STR}|(?::{_V6_SEG}){{1,2}}|:)|"
    rf"(?:{_V6_SEG}:){{4}}(?:(?::{_V6_SEG}){{0,1}}:{_V4_STR}|(?::{_V6_SEG}){{1,3}}|:)|"
    rf"(?:{_V6_SEG}:){{3}}(?:(?::{_V6_SEG}){{0,2}}:{_V4_STR}|(?::{_V6_SEG}){{1,4}}|:)|"
    rf"(?:{_V6_SEG}:){{2}}(?:(?::{_V6_SEG}){{0,3}}:{_V4_STR}|(?::{_V6_SEG}){{1,5}}|:)|"
    rf"(?:{_V6_SEG}:){{1}}(?:(?::{_V6_SEG}){{0,4}}:{_V4_STR}|(?::{_V6_SEG}){{1,6}}|:)|"
    rf"(?::(?:(?::{_V6_SEG}){{0,5}}:{_V4_STR}|(?::{_V6_SEG}){{1,7}}|:))"
    r")(?:%[0-9a-zA-Z\-.:]{1,})?\Z"
)


def isIPv4(input: Any) -> bool:  # noqa: A002 - Node's parameter name
    """True for a dotted-quad IPv4 address (no leading zeros), as Node's net.isIPv4."""
    return isinstance(input, str) and _IPV4.match(input) is not None


def isIPv6(input: Any) -> bool:  # noqa: A002
    """True for an IPv6 address (zone id allowed), as Node's net.isIPv6."""
    return isinstance(input, str) and _IPV6.match(input) is not None


def isIP(input: Any) -> int:  # noqa: A002
    """6 for IPv6, 4 for IPv4, 0 otherwise (Node's net.isIP)."""
    if isIPv4(input):
        return 4
    if isIPv6(input):
        return 6
    return 0
