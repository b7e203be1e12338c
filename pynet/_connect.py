"""How a TCP Socket connects, as Node's lib/net.js does it.

``lookupAndConnect``: validate the options, resolve the host (``'lookup'``
events), then either one ``internalConnect`` or, with ``autoSelectFamily``,
Node's loose RFC 8305 section 5 ("happy eyeballs"): addresses interleaved by
family starting with the first family returned, one attempt at a time, each
given ``autoSelectFamilyAttemptTimeout`` ms before the next starts; the first
success wins, and when every attempt fails the socket is destroyed with one
AggregateError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _validators as v
from . import errors
from ._dns import ADDRCONFIG
from ._dns import lookup as dns_lookup
from ._ffi import lib
from ._ip import isIP
from ._tcp import TCP

if TYPE_CHECKING:
    from .socket import Socket

__all__ = ["lookup_and_connect", "internal_connect", "getDefaultAutoSelectFamily",
           "setDefaultAutoSelectFamily", "getDefaultAutoSelectFamilyAttemptTimeout",
           "setDefaultAutoSelectFamilyAttemptTimeout"]

# Node 20's module defaults (net.getDefaultAutoSelectFamily() is true there).
_defaults: dict[str, Any] = {"autoSelectFamily": True, "autoSelectFamilyAttemptTimeout": 250}


def getDefaultAutoSelectFamily() -> bool:
    """Node's ``net.getDefaultAutoSelectFamily()``."""
    return bool(_defaults["autoSelectFamily"])


def setDefaultAutoSelectFamily(value: bool) -> None:
    """Node's ``net.setDefaultAutoSelectFamily(value)``."""
    v.validate_boolean(value, "value")
    _defaults["autoSelectFamily"] = value


def getDefaultAutoSelectFamilyAttemptTimeout() -> int:
    """Node's ``net.getDefaultAutoSelectFamilyAttemptTimeout()``."""
    return int(_defaults["autoSelectFamilyAttemptTimeout"])


def setDefaultAutoSelectFamilyAttemptTimeout(value: int) -> None:
    """Node's ``net.setDefaultAutoSelectFamilyAttemptTimeout(value)`` (under 10 becomes 10)."""
    v.validate_int32(value, "value", 1)
    _defaults["autoSelectFamilyAttemptTimeout"] = max(int(value), 10)


def _socket_to_dns_family(family: Any) -> Any:
    return {"IPv4": 4, "IPv6": 6}.get(family, family) if isinstance(family, str) else family


def lookup_and_connect(sock: Socket, opts: dict[str, Any], port: int) -> None:
    """Node's lookupAndConnect, after connect() validated the port and made the handle."""
    local_address = opts.get("localAddress")
    local_port = opts.get("localPort")
    host = opts.get("host") or "localhost"
    auto = opts.get("autoSelectFamily")
    if auto is None:
        auto = _defaults["autoSelectFamily"]
    attempt_timeout = opts.get("autoSelectFamilyAttemptTimeout")
    if attempt_timeout is None:
        attempt_timeout = _defaults["autoSelectFamilyAttemptTimeout"]
    else:
        attempt_timeout = max(int(attempt_timeout), 10)

    ip_type = isIP(host)
    if ip_type:
        def connect_now() -> None:
            if sock.connecting:
                internal_connect(sock, host, port, ip_type, local_address, local_port)

        sock._loop.next_tick(connect_now)
        return

    family = _socket_to_dns_family(opts.get("family", 0)) or 0
    hints = opts.get("hints") or 0
    dnsopts: dict[str, Any] = {"family": family, "hints": hints}
    if family not in (4, 6) and hints == 0:
        dnsopts["hints"] = ADDRCONFIG
    lookup = opts.get("lookup") or _default_lookup(sock)

    if family not in (4, 6) and not local_address and auto:
        dnsopts["all"] = True
        _lookup_and_connect_multiple(sock, lookup, host, opts, dnsopts, port, local_port,
                                     attempt_timeout)
        return

    def emit_lookup(err: BaseException | None, ip: Any = None, address_type: Any = None) -> None:
        sock.emit("lookup", err, ip, address_type, host)
        if not sock.connecting:
            return
        if err is not None:
            sock._loop.next_tick(sock.destroy, err)
        elif not isIP(ip):
            sock._loop.next_tick(sock.destroy, errors.make("ERR_INVALID_IP_ADDRESS", ip))
        elif address_type not in (4, 6):
            sock._loop.next_tick(sock.destroy, errors.make(
                "ERR_INVALID_ADDRESS_FAMILY", address_type, opts.get("host"), opts.get("port")))
        else:
            internal_connect(sock, ip, port, address_type, local_address, local_port)

    lookup(host, dnsopts, emit_lookup)


def _default_lookup(sock: Socket) -> Callable[..., Any]:
    def lookup(hostname: str, options: dict[str, Any], callback: Callable[..., Any]) -> None:
        dns_lookup(sock._loop, hostname, options, callback)
    return lookup


def _bind_local(sock: Socket, handle: TCP, address_type: int, local_address: str | None,
                local_port: int | None) -> Exception | None:
    """Bind before connect; Node's checkBindError included."""
    address = local_address or ("0.0.0.0" if address_type == 4 else "::")
    raw: Any = local_port or 0
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw \
            or not 0 <= raw <= 0xFFFF or int(raw) != raw:
        # Node validates only that it is a number and lets the bind fail: EADDRINUSE,
        # the port shown as given (Node 20 wraps -1 to 65535 and binds; we refuse it).
        shown = int(raw) if isinstance(raw, float) and raw.is_integer() else raw
        return errors.exception_with_host_port(lib.UV_EADDRINUSE, "bind", address, shown)
    port = int(raw)
    err = handle.bind(address, port)
    if err == 0 and port > 0:
        name = handle.name(False)
        if isinstance(name, dict) and name["port"] != port:
            err = lib.UV_EADDRINUSE
    if err:
        return errors.exception_with_host_port(err, "bind", address, port)
    return None


def internal_connect(sock: Socket, address: str, port: int, address_type: int,
                     local_address: str | None = None, local_port: int | None = None) -> None:
    """Node's internalConnect for one TCP address."""
    handle = sock._handle
    assert isinstance(handle, TCP)
    block = sock._blockList
    if block is not None and block.check(address, f"ipv{address_type}"):
        sock.destroy(errors.make("ERR_IP_BLOCKED", address))
        return
    if local_address or local_port:
        err = _bind_local(sock, handle, address_type, local_address, local_port)
        if err is not None:
            sock.destroy(err)
            return
    sock.emit("connectionAttempt", address, port, address_type)
    sock._connect_target = (address, port, address_type)
    status = handle.connect(address, port)
    if status:
        local = sock._local_info()
        details = f"{local['address']}:{local['port']}" if local else None
        sock.destroy(errors.exception_with_host_port(status, "connect", address, port, details))


def _lookup_and_connect_multiple(sock: Socket, lookup: Callable[..., Any], host: str,
                                 opts: dict[str, Any], dnsopts: dict[str, Any], port: int,
                                 local_port: int | None, timeout: int) -> None:
    def emit_lookup(err: BaseException | None, addresses: Any = None) -> None:
        if not sock.connecting:
            return
        if err is not None:
            sock.emit("lookup", err, None, None, host)
            sock._loop.next_tick(sock.destroy, err)
            return
        groups: list[list[dict[str, Any]]] = [[], []]
        seen: list[list[str]] = [[], []]
        slots: dict[int, int] | None = None
        for item in addresses:
            ip, address_type = item["address"], item["family"]
            sock.emit("lookup", None, ip, address_type, host)
            if not sock.connecting:
                return
            if isIP(ip) and address_type in (4, 6):
                if slots is None:
                    slots = {6: 0, 4: 1} if address_type == 6 else {4: 0, 6: 1}
                slot = slots[address_type]
                if ip not in seen[slot]:
                    groups[slot].append({"address": ip, "family": address_type})
                    seen[slot].append(ip)
        if not groups[0] and not groups[1]:
            first = addresses[0] if addresses else {"address": None, "family": None}
            if not isIP(first["address"]):
                failure: BaseException = errors.make("ERR_INVALID_IP_ADDRESS", first["address"])
            else:
                failure = errors.make("ERR_INVALID_ADDRESS_FAMILY", first["family"],
                                      opts.get("host"), opts.get("port"))
            sock._loop.next_tick(sock.destroy, failure)
            return
        to_attempt = []
        for i in range(max(len(groups[0]), len(groups[1]))):
            for group in groups:
                if i < len(group):
                    to_attempt.append(group[i])
        if len(to_attempt) == 1:
            only = to_attempt[0]
            internal_connect(sock, only["address"], port, only["family"], None, local_port)
            return
        sock.autoSelectFamilyAttemptedAddresses = []
        _Attempts(sock, to_attempt, port, local_port, timeout).next()

    lookup(host, dnsopts, emit_lookup)


class _Attempts:
    """Node's internalConnectMultiple context: one attempt at a time, each with a timer."""

    def __init__(self, sock: Socket, addresses: list[dict[str, Any]], port: int,
                 local_port: int | None, timeout: int) -> None:
        self.sock = sock
        self.addresses = addresses
        self.port = port
        self.local_port = local_port
        self.timeout = timeout
        self.current = 0
        self.errors: list[Exception] = []
        self.timer: Any = None

    def _clear_timer(self) -> None:
        if self.timer is not None:
            self.timer.close()
            self.timer = None

    def next(self, canceled: bool = False) -> None:
        self._clear_timer()
        sock = self.sock
        if canceled or self.current == len(self.addresses):
            if not self.errors:
                sock.destroy(errors.make("ERR_SOCKET_CONNECTION_TIMEOUT"))
            else:
                sock.destroy(errors.AggregateError(self.errors))
            return
        current = self.current
        self.current += 1
        if current > 0:
            sock._reinitialize_handle(TCP(sock._loop))
        handle = sock._handle
        assert isinstance(handle, TCP)
        target = self.addresses[current]
        address, address_type = target["address"], target["family"]
        if self.local_port:
            err = _bind_local(sock, handle, address_type, None, self.local_port)
            if err is not None:
                self.errors.append(err)
                self.next()
                return
        sock.emit("connectionAttempt", address, self.port, address_type)
        handle.onconnect = lambda status: self._done(current, address, address_type, status)
        sock.autoSelectFamilyAttemptedAddresses.append(f"{address}:{self.port}")
        status = handle.connect(address, self.port)
        if status:
            local = sock._local_info()
            details = f"{local['address']}:{local['port']}" if local else None
            ex = errors.exception_with_host_port(status, "connect", address, self.port, details)
            self.errors.append(ex)
            sock.emit("connectionAttemptFailed", address, self.port, address_type, ex)
            self.next()
            return
        if current < len(self.addresses) - 1:
            from .timers import setTimeout

            self.timer = setTimeout(self._timed_out, self.timeout, handle, address,
                                    address_type)

    def _done(self, current: int, address: str, address_type: int, status: int) -> None:
        self._clear_timer()
        sock = self.sock
        if status == 0 and current != self.current - 1:
            return  # a success after its attempt timed out: that handle is closing already
        if status != 0:
            ex = errors.exception_with_host_port(status, "connect", address, self.port)
            self.errors.append(ex)
            sock.emit("connectionAttemptFailed", address, self.port, address_type, ex)
            if sock.connecting:
                self.next(status == lib.UV_ECANCELED)
            return
        sock._connect_target = (address, self.port, address_type)
        sock._onconnect(status)

    def _timed_out(self, handle: TCP, address: str, address_type: int) -> None:
        self.timer = None
        sock = self.sock
        sock.emit("connectionAttemptTimeout", address, self.port, address_type)
        handle.onconnect = lambda status: None  # Node drops the request's oncomplete
        self.errors.append(errors.exception_with_host_port(
            lib.UV_ETIMEDOUT, "connect", address, self.port))
        handle.close()
        if sock.connecting:
            self.next()
