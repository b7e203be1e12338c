"""Stream handles (uv_stream_t): the read/write/shutdown/listen mechanism.

What a read or a write means to a Node stream is decided by the owner
(``socket.py``, ``server.py``); this layer only moves bytes and reports back by
calling the owner's methods: ``_onread(bytes)``, ``_onreaderror(nread)``,
``_onwritecomplete(status)`` (once per queued write, in order), ``_onshutdown(status)``,
``_onconnect(status)``, ``_onconnection(status)``.  Calling the owner, rather
than storing five bound methods on every handle, saves 320 bytes per
connection; ``onconnect`` alone can be overridden per attempt (happy eyeballs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._callbacks import ON_CONNECTION, read_upcall
from ._ffi import ffi, lib
from ._ffi import pynet_read_to as _read_to  # the shim's builtin: who gets the reads
from ._ffi import pynet_write as _write_bytes  # the shim's builtin: bytes only, keeps the GIL
from ._handle import CLOSING, Handle

_write_buffer = lib.pynet_write  # through cffi: any buffer
_from_buffer = ffi.from_buffer


def _ignore(*_: Any) -> None:
    return None


class _Unowned:
    """The owner of a handle nobody has claimed yet (an accepted one, say)."""

    _onread = _onreaderror = _onwritecomplete = _onshutdown = _onconnect = _onconnection = \
        staticmethod(_ignore)


UNOWNED: Any = _Unowned()


class StreamHandle(Handle):
    __slots__ = ("owner", "onconnect", "reading")

    def __init__(self, loop: Any) -> None:
        super().__init__(loop)
        self.owner: Any = UNOWNED
        # None: the owner's _onconnect; set: this attempt's own (happy eyeballs).
        self.onconnect: Callable[[int], Any] | None = None
        # False; True: reads go to the owner's _onread; or a function the shim
        # hands each read to instead (the socket's one 'data' listener, set by
        # Socket._onread with pynet_read_to), which this slot keeps alive.
        # Compared with False, never tested for truth: a listener may be falsy.
        self.reading: Any = False

    def _uv(self) -> Any:
        return self.ptr.uv  # ptr: a pynet_tcp_t / pynet_pipe_t: libuv's handle, then the extra

    @property
    def bytes_read(self) -> int:
        """Bytes libuv has read on this handle (Node's handle.bytesRead), counted in C."""
        return int(self.ptr.extra.bytes_read)

    @property
    def bytes_written(self) -> int:
        """Bytes handed to libuv to write, sent or queued (Node's handle.bytesWritten)."""
        return int(self.ptr.extra.bytes_written)

    def dispatch_connect(self, status: int) -> None:
        (self.onconnect or self.owner._onconnect)(status)

    def read_start(self) -> int:
        if self.reading is not False or self.state >= CLOSING:
            return 0
        owner = self.owner
        _read_to(self.ptr, read_upcall(owner), owner)
        err = int(lib.pynet_read_start(self.ptr))
        if err == 0:
            self.reading = True
            self.loop.touch()
        return err

    def read_stop(self) -> int:
        if self.reading is False or self.state >= CLOSING:
            return 0
        self.reading = False
        self.loop.touch()
        return int(lib.uv_read_stop(self.ptr))

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """0: all sent now; > 0: that many bytes queued (one onwrite follows); < 0: error."""
        if type(data) is bytes:
            r: int = _write_bytes(self.ptr, data)
        else:
            buf = _from_buffer(data)
            r = int(_write_buffer(self.ptr, buf, len(buf)))
        if r > 0:
            self.loop.touch()  # a queued write waits for uv_run
        return r

    def shutdown(self) -> int:
        err = int(lib.pynet_shutdown(self.ptr))  # the request is the shim's
        if err == 0:
            self.loop.touch()
        return err

    def listen(self, backlog: int) -> int:
        err = int(lib.uv_listen(self.ptr, backlog, ON_CONNECTION))
        self.loop.touch()
        return err

    def accept(self, client: StreamHandle) -> int:
        return int(lib.uv_accept(self.ptr, client.ptr))
