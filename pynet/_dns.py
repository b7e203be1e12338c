"""Name resolution on libuv's threadpool (uv_getaddrinfo): never blocks the loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors
from ._ffi import ffi, lib
from ._ip import isIP
from ._loop import Loop

_IPBUF = 64

LookupResult = list[tuple[str, int]]

ADDRCONFIG = int(lib.AI_ADDRCONFIG)
V4MAPPED = int(lib.AI_V4MAPPED)


class GetAddrInfo:
    """One lookup in flight; the loop's request set keeps it alive until it completes."""

    __slots__ = ("loop", "req", "data_handle", "callback", "hostname")

    def __init__(self, loop: Loop, hostname: str, family: int, hints: int,
                 callback: Callable[[int, LookupResult], Any]) -> None:
        self.loop = loop
        self.callback = callback
        self.hostname = hostname
        self.req = ffi.new("uv_getaddrinfo_t *")
        self.data_handle = ffi.new_handle(self)
        self.req.data = self.data_handle
        ai = ffi.new("struct addrinfo *")
        ai.ai_family = {4: lib.AF_INET, 6: lib.AF_INET6}.get(family, lib.AF_UNSPEC)
        ai.ai_socktype = lib.SOCK_STREAM
        ai.ai_flags = hints
        err = lib.uv_getaddrinfo(loop.ptr, self.req, lib._pynet_on_getaddrinfo,
                                 hostname.encode("idna" if not hostname.isascii() else "ascii"),
                                 ffi.NULL, ai)
        if err:
            raise OSError(-err, "uv_getaddrinfo")
        loop.requests.add(self)
        loop.touch()

    def complete(self, status: int, res: Any) -> None:
        self.loop.requests.discard(self)
        out: LookupResult = []
        if status == 0:
            ip = ffi.new("char[]", _IPBUF)
            port = ffi.new("int *")
            seen = set()
            node = res
            while node != ffi.NULL:
                fam = lib.pynet_sockaddr_name(node.ai_addr, ip, _IPBUF, port)
                if fam > 0:
                    entry = (ffi.string(ip).decode(), int(fam))
                    if entry not in seen:
                        seen.add(entry)
                        out.append(entry)
                node = node.ai_next
        self.callback(int(status), out)


def getaddrinfo(loop: Loop, hostname: str, family: int, hints: int,
                callback: Callable[[int, LookupResult], Any]) -> GetAddrInfo:
    """Resolves ``hostname``; ``callback(status, [(address, family), ...])``."""
    return GetAddrInfo(loop, hostname, family, hints, callback)


def dns_error(status: int, hostname: str) -> errors.NodeSystemError:
    """Node's dns errors: ENOTFOUND for 'no such name', else the EAI_* code."""
    ex = errors.uv_exception(status or lib.UV_EINVAL, "getaddrinfo")
    code = ex.code
    if code in ("EAI_NODATA", "EAI_NONAME"):
        code = "ENOTFOUND"
    ex.code = code
    ex._node_message = f"getaddrinfo {code} {hostname}"
    ex.hostname = hostname  # type: ignore[attr-defined]
    return ex


def validate_lookup_options(options: dict[str, Any]) -> None:
    """What Node's dns.lookup checks before it looks anything up."""
    family = options.get("family", 0)
    if family not in (0, 4, 6) or isinstance(family, bool):
        raise errors.make("ERR_INVALID_ARG_VALUE", "options.family", family,
                          "must be one of: 0, 4, 6")
    hints = options.get("hints", 0) or 0
    if isinstance(hints, bool) or not isinstance(hints, int) or not 0 <= hints < 2**32 or (
            hints & ~(ADDRCONFIG | V4MAPPED | 0x10)):
        # Node prints the value as its check saw it: hints >>> 0.
        shown = hints & 0xFFFFFFFF if isinstance(hints, int) and not isinstance(hints, bool) \
            else hints
        raise errors.make("ERR_INVALID_ARG_VALUE", "hints", shown)


def lookup(loop: Loop, hostname: str, options: dict[str, Any],
           callback: Callable[..., Any]) -> None:
    """Node's ``dns.lookup(hostname, options, callback)``.

    ``callback(err, address, family)``, or with ``options['all']``
    ``callback(err, [{'address': ..., 'family': ...}, ...])``; in the order the
    resolver answered (Node's ``verbatim``).  An IP literal answers on the next tick.
    """
    validate_lookup_options(options)
    want_all = bool(options.get("all"))
    family = options.get("family", 0) or 0
    literal = isIP(hostname)
    if literal:
        if want_all:
            loop.next_tick(callback, None, [{"address": hostname, "family": literal}])
        else:
            loop.next_tick(callback, None, hostname, literal)
        return

    def done(status: int, results: LookupResult) -> None:
        if status < 0 or not results:
            callback(dns_error(status, hostname))
        elif want_all:
            callback(None, [{"address": a, "family": f} for a, f in results])
        else:
            callback(None, results[0][0], results[0][1])

    getaddrinfo(loop, hostname, family, int(options.get("hints", 0) or 0), done)
