"""Pipe handles (uv_pipe_t): Unix domain sockets, and Windows named pipes through libuv."""

from __future__ import annotations

import os
import re
import sys

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
        """Starts connecting; the outcome, failures included, comes to
        dispatch_connect from the loop, as libuv reports a pipe connect."""
        if is_abstract(path):
            name = _fs_name(path)
            err = int(lib.pynet_pipe_abstract(self.ptr, name, len(name), 1))
        else:
            # The request is the shim's; its callback calls dispatch_connect.
            err = int(lib.pynet_pipe_connect(self.ptr, _fs_name(path)))
            if err == 0:
                self.loop.touch()
                return 0
        # connect() on an abstract socket answers at once, and a request the
        # shim could not make fails at once: reported on the next tick.
        self.loop.next_tick(self._connected_at_once, err)
        return 0

    def _connected_at_once(self, err: int) -> None:
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
