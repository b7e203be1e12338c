"""Pipe handles (uv_pipe_t): Unix domain sockets, and Windows named pipes through libuv."""

from __future__ import annotations

import os
import re
import sys

from ._callbacks import ON_CONNECT
from ._ffi import ffi, lib
from ._loop import Loop
from ._stream import StreamHandle


def _fs_name(path: str) -> bytes:
    return os.fsencode(path)


_WINDOWS_PIPE = re.compile(r"^[\\/]{2}[.?][\\/]pipe[\\/].+", re.IGNORECASE)


def is_windows_pipe_name(path: str) -> bool:
    """``\\\\.\\pipe\\name`` or ``\\\\?\\pipe\\name`` (either slash): libuv's named pipes.

    Only meaningful on Windows, where every pipe path must have this form; on
    other systems such a string is an ordinary (odd) file name.
    """
    return bool(_WINDOWS_PIPE.match(path))


def is_abstract(path: str) -> bool:
    """A Linux abstract socket name: it starts with a NUL byte, and has no file."""
    return path.startswith("\0")


class Pipe(StreamHandle):
    __slots__ = ()
    ctype = "pynet_pipe_t *"

    def __init__(self, loop: Loop) -> None:
        super().__init__(loop)
        self._init(lib.uv_pipe_init, 0)

    def open(self, fd: int) -> int:
        """Adopts an existing Unix socket or pipe fd."""
        return int(lib.uv_pipe_open(self.ptr, fd))

    def bind(self, path: str) -> int:
        if is_abstract(path):
            name = _fs_name(path)
            return int(lib.pynet_pipe_abstract(self.ptr, name, len(name), 0))
        # libuv keeps the name and unlinks the socket file when the handle closes.
        return int(lib.uv_pipe_bind(self.ptr, _fs_name(path)))

    def connect(self, path: str) -> int:
        if is_abstract(path):
            # connect() on a Unix socket answers at once; report it on the next
            # tick, as libuv reports a pipe connect from the loop.
            name = _fs_name(path)
            err = int(lib.pynet_pipe_abstract(self.ptr, name, len(name), 1))
            self.loop.next_tick(self._abstract_connected, err)
            return 0
        req = ffi.new("uv_connect_t *")
        req.data = self.ptr.uv.data  # the connect upcall gets this wrapper
        self._connect_req = req  # alive until its callback; errors come through it too
        lib.uv_pipe_connect(req, self.ptr, _fs_name(path), ON_CONNECT)
        self.loop.touch()
        return 0

    def _abstract_connected(self, err: int) -> None:
        if not self.closing:
            self.dispatch_connect(err)

    def sockname(self) -> bytes | None:
        """The name the socket is really bound to (libuv truncates long paths)."""
        buf = ffi.new("char[]", 4096)
        size = ffi.new("size_t *", 4096)
        if lib.uv_pipe_getsockname(self.ptr, buf, size) != 0:
            return None
        return bytes(ffi.buffer(buf, size[0]))

    def set_pending_instances(self, count: int) -> None:
        """Windows only: how many pipe instances wait for clients (libuv's default: 4)."""
        if sys.platform == "win32":  # pragma: no cover - Windows
            lib.uv_pipe_pending_instances(self.ptr, count)

    def chmod(self, readable: bool, writable: bool) -> int:
        flags = (lib.UV_READABLE if readable else 0) | (lib.UV_WRITABLE if writable else 0)
        return int(lib.uv_pipe_chmod(self.ptr, flags))
