"""Node's IP address syntax (lib/internal/net.js): isIP, isIPv4, isIPv6."""

from __future__ import annotations

import ipaddress
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


# ---------------------------------------------------------------------------
# Addresses as numbers, parsed and printed the way libuv does (uv_inet_pton /
# uv_inet_ntop), which is what Node's SocketAddress and BlockList use.

_MAPPED = 0xFFFF << 32  # ::ffff:0:0/96


def parse_v4(text: str) -> int | None:
    """A dotted quad (no leading zeros, as uv_inet_pton4) as an int, or None."""
    if not isinstance(text, str) or _IPV4.match(text) is None:
        return None
    a, b, c, d = (int(p) for p in text.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def parse_v6(text: str) -> int | None:
    """An IPv6 address as an int, or None.  A zone id (``%eth0``) is dropped,
    as uv_inet_pton does; the standard library parses the rest."""
    if not isinstance(text, str):
        return None
    head = text.split("%", 1)[0]
    if not head or not head.isascii():
        return None
    try:
        return int(ipaddress.IPv6Address(head))
    except ValueError:
        return None


def format_v4(value: int) -> str:
    return f"{value >> 24 & 255}.{value >> 16 & 255}.{value >> 8 & 255}.{value & 255}"


def format_v6(value: int) -> str:
    """uv_inet_ntop6: RFC 5952 compression, and an embedded IPv4 address printed
    dotted for ``::a.b.c.d`` and ``::ffff:a.b.c.d`` (the standard library prints hex)."""
    words = [(value >> (112 - 16 * i)) & 0xFFFF for i in range(8)]
    best_base, best_len, cur_base, cur_len = -1, 0, -1, 0
    for i, w in enumerate(words):
        if w == 0:
            if cur_base == -1:
                cur_base, cur_len = i, 1
            else:
                cur_len += 1
        elif cur_base != -1:
            if cur_len > best_len:
                best_base, best_len = cur_base, cur_len
            cur_base = -1
    if cur_base != -1 and cur_len > best_len:
        best_base, best_len = cur_base, cur_len
    if best_len < 2:
        best_base = -1
    out: list[str] = []
    i = 0
    while i < 8:
        if i == best_base:
            out.append(":" if i == 0 else "")
            i += best_len
            if i == 8:
                out.append("")
            continue
        if i == 6 and best_base == 0 and (best_len == 6 or (best_len == 5 and words[5] == 0xFFFF)):
            out.append(format_v4(value & 0xFFFFFFFF))
            break
        out.append(f"{words[i]:x}")
        i += 1
    return ":".join(out)


def as_v6(value: int, family: int) -> int:
    """The address in IPv6 space: IPv4 addresses become ``::ffff:a.b.c.d``.

    Node's BlockList compares across families this way, so an IPv4 rule
    matches the IPv4-mapped IPv6 form of its addresses and vice versa.
    """
    return value | _MAPPED if family == 4 else value
