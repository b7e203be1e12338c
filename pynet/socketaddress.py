"""``net.SocketAddress``: an IP address, port, family and flow label.

Spec: "Class: net.SocketAddress".
"""

from __future__ import annotations

from typing import Any

from . import _validators as v
from ._ip import format_v4, format_v6, parse_v4, parse_v6
from ._names import CamelTwins
from ._names import options as _options
from .errors import make

__all__ = ["SocketAddress"]

_FLOWLABEL_MAX = 0xFFFFF  # 20 bits; Node 20 aborts the process above this, we raise


class SocketAddress(CamelTwins):
    """Node's ``net.SocketAddress``: immutable, validated, normalised as libuv prints it."""

    __slots__ = ("_address", "_family", "_port", "_flowlabel", "_value")
    _address: str
    _family: str
    _port: int
    _flowlabel: int
    _value: int

    def __init__(self, options: Any = None, **kwargs: Any) -> None:
        if options is None:
            options = {}
        v.validate_object(options, "options")
        opts = _options(options, kwargs)
        given = opts.get("family", "ipv4")
        # Node picks the default address from the family as given, before lower-casing
        # it: {'family': 'IPv4'} defaults to '::' and is then an invalid IPv4 address.
        address = opts.get("address", "127.0.0.1" if given == "ipv4" else "::")
        family = given.lower() if isinstance(given, str) else given
        if family not in ("ipv4", "ipv6"):
            raise make("ERR_INVALID_ARG_VALUE", "options.family", given)
        port = opts.get("port", 0)
        flowlabel = opts.get("flowlabel", 0)
        v.validate_string(address, "options.address")
        port = v.validate_port(port, "options.port")
        flowlabel = v.validate_uint32(flowlabel, "options.flowlabel")
        if flowlabel > _FLOWLABEL_MAX:
            raise make("ERR_OUT_OF_RANGE", "options.flowlabel", f">= 0 && <= {_FLOWLABEL_MAX}",
                       flowlabel)
        value = parse_v4(address) if family == "ipv4" else parse_v6(address)
        if value is None:
            raise make("ERR_INVALID_ADDRESS")
        self._value = value
        self._family = family
        self._address = format_v4(value) if family == "ipv4" else format_v6(value)
        self._port = port
        self._flowlabel = flowlabel

    @property
    def address(self) -> str:
        """The address as libuv prints it (spec: socketaddress.address)."""
        return self._address

    @property
    def family(self) -> str:
        """'ipv4' or 'ipv6' (spec: socketaddress.family)."""
        return self._family

    @property
    def port(self) -> int:
        """The port (spec: socketaddress.port)."""
        return self._port

    @property
    def flowlabel(self) -> int:
        """The IPv6 flow label (spec: socketaddress.flowlabel)."""
        return self._flowlabel

    @staticmethod
    def isSocketAddress(value: Any) -> bool:
        """True if ``value`` is a SocketAddress."""
        return isinstance(value, SocketAddress)

    @staticmethod
    def parse(input: Any) -> SocketAddress | None:  # noqa: A002 - Node's parameter name
        """``'1.2.3.4:8080'`` or ``'[::1]:8080'`` as a SocketAddress, or None.

        Node parses ``http://`` + input as a URL, so the http default port 80
        comes out as port 0; pynet keeps that quirk.
        """
        v.validate_string(input, "input")
        host, port_text = input, ""
        if input.startswith("["):
            end = input.find("]")
            if end < 0:
                return None
            host, rest = input[1:end], input[end + 1:]
            if rest and not rest.startswith(":"):
                return None
            port_text = rest[1:]
            family = "ipv6"
        else:
            if input.count(":") > 1:
                return None
            host, _, port_text = input.partition(":")
            family = "ipv4"
        if port_text and not port_text.isdigit():
            return None
        port = int(port_text) if port_text else 0
        if port > 0xFFFF:
            return None
        if port == 80:
            port = 0
        try:
            return SocketAddress({"address": host, "port": port, "family": family})
        except Exception:
            return None

    def toJSON(self) -> dict[str, Any]:
        """{'address', 'port', 'family', 'flowlabel'} as Node's JSON form."""
        return {"address": self._address, "port": self._port, "family": self._family,
                "flowlabel": self._flowlabel}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SocketAddress):
            return NotImplemented
        return self.toJSON() == other.toJSON()

    def __hash__(self) -> int:
        return hash((self._address, self._port, self._family, self._flowlabel))

    def __repr__(self) -> str:
        return (f"SocketAddress(address={self._address!r}, port={self._port}, "
                f"family={self._family!r}, flowlabel={self._flowlabel})")
