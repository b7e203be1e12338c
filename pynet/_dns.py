"""Name resolution on libuv's threadpool (uv_getaddrinfo): never blocks the loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._ffi import ffi, lib
from ._loop import Loop

_IPBUF = 64

LookupResult = list[tuple[str, int]]


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
