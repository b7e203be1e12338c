"""TCP handles: bind, listen, connect, names and socket options."""

from __future__ import annotations

from typing import Any

from ._callbacks import ON_CLOSE
from ._ffi import ffi, lib
from ._handle import CLOSING
from ._loop import Loop
from ._stream import StreamHandle

_IPBUF = 64  # INET6_ADDRSTRLEN plus room


def sockaddr(ip: str, port: int) -> tuple[Any, int]:
    """A ``struct sockaddr_storage`` for ``ip``/``port``; (storage, 4|6), or (None, err)."""
    if not 0 <= port <= 0xFFFF:
        return None, int(lib.UV_EINVAL)  # callers validate; never let C truncate a port
    storage = ffi.new("struct sockaddr_storage *")
    raw = ip.encode()
    if ":" in ip:
        err = lib.uv_ip6_addr(raw, port, ffi.cast("struct sockaddr_in6 *", storage))
        family = 6
    else:
        err = lib.uv_ip4_addr(raw, port, ffi.cast("struct sockaddr_in *", storage))
        family = 4
    if err:
        return None, int(err)
    return storage, family


class TCP(StreamHandle):
    __slots__ = ()
    ctype = "pynet_tcp_t *"

    def __init__(self, loop: Loop) -> None:
        super().__init__(loop)
        self._init(lib.uv_tcp_init)

    def open(self, fd: int) -> int:
        """Adopts an existing socket fd (Node's ``listen({fd})``/``Socket({fd})``)."""
        return int(lib.uv_tcp_open(self.ptr, fd))

    def bind(self, ip: str, port: int, ipv6_only: bool = False) -> int:
        storage, err = sockaddr(ip, port)
        if storage is None:
            return err
        flags = lib.UV_TCP_IPV6ONLY if ipv6_only else 0
        return int(lib.uv_tcp_bind(self.ptr, ffi.cast("struct sockaddr *", storage), flags))

    def connect(self, ip: str, port: int) -> int:
        storage, err = sockaddr(ip, port)
        if storage is None:
            return err
        # The request is the shim's; its callback calls dispatch_connect.
        err = int(lib.pynet_tcp_connect(self.ptr, ffi.cast("struct sockaddr *", storage)))
        if err == 0:
            self.loop.touch()
        return err

    def name(self, peer: bool) -> dict[str, Any] | int:
        """getsockname/getpeername as Node's dict, or a negative libuv error."""
        ip = ffi.new("char[]", _IPBUF)
        port = ffi.new("int *")
        fam = int(lib.pynet_tcp_name(self.ptr, 1 if peer else 0, ip, _IPBUF, port))
        if fam < 0:
            return fam
        return {"address": ffi.string(ip).decode(), "family": "IPv6" if fam == 6 else "IPv4",
                "port": int(port[0])}

    def set_no_delay(self, enable: bool) -> int:
        return int(lib.uv_tcp_nodelay(self.ptr, 1 if enable else 0))

    def set_keep_alive(self, enable: bool, delay_secs: int) -> int:
        return int(lib.uv_tcp_keepalive(self.ptr, 1 if enable else 0, delay_secs))

    def reset(self, callback: Any = None) -> int:
        """Closes with RST (``uv_tcp_close_reset``) instead of FIN."""
        if self.closing:
            return 0
        err = int(lib.uv_tcp_close_reset(self.ptr, ON_CLOSE))
        if err == 0:
            self.state = CLOSING
            if callback is not None:
                self.add_close_callback(callback)
            self.loop.touch()
        return err
