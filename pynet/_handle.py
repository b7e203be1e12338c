"""libuv handles and the rule that keeps them alive.

A wrapper owns its ``uv_*_t`` memory and stores itself (its address, see
``_callbacks.c_pointer``) in ``handle->data``: the C upcalls call Python with
it.  The loop's registry holds the wrapper from the moment ``uv_*_init``
succeeds until the close callback, and only the close callback removes it: a
handle whose Python owner was dropped keeps working, as in Node, and libuv
never calls into freed memory (nor C into a freed wrapper).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from ._callbacks import ON_ASYNC, ON_CLOSE, ON_POLL, c_pointer
from ._ffi import ffi, lib
from ._loop import Loop


class Handle:
    """Base of every libuv handle wrapper."""

    # Every handle of every connection carries these: each slot and each object
    # made here is paid per idle connection, so there are no cast objects (the
    # calls take the handle pointer as void *) and the close-callback list is
    # made only when someone waits for the close.
    __slots__ = ("loop", "ptr", "closing", "closed", "_close_cbs",
                 "initialized", "__weakref__")
    ctype = "uv_handle_t *"

    def __init__(self, loop: Loop) -> None:
        self.loop = loop
        self.ptr = ffi.new(self.ctype)
        # Borrowed by C: the registry holds self from uv_*_init to the close callback.
        self.ptr.data = c_pointer(self)
        self.closing = False
        self.closed = False
        self.initialized = False
        self._close_cbs: list[Callable[[], Any]] | None = None

    def add_close_callback(self, callback: Callable[[], Any]) -> None:
        if self._close_cbs is None:
            self._close_cbs = [callback]
        else:
            self._close_cbs.append(callback)

    def _registered(self, err: int) -> int:
        """Call with the result of ``uv_*_init``: registers the handle on success."""
        if err == 0:
            self.initialized = True
            self.loop.handles.add(self)
        return err

    def _init(self, uv_init: Any, *args: Any) -> None:
        """``uv_init(loop, handle, *args)``, registered; raises if libuv refuses."""
        err = self._registered(uv_init(self.loop.ptr, self.ptr, *args))
        if err:
            raise MemoryError(f"{type(self).__name__}: libuv could not init the handle ({err})")

    def close(self, callback: Callable[[], Any] | None = None) -> None:
        """Closes the handle once; ``callback`` runs from libuv's close callback."""
        if callback is not None:
            self.add_close_callback(callback)
        if self.closing:
            return
        self.closing = True
        if not self.initialized:
            self.closed = True
            self._run_close_cbs()
            return
        self._uv_close()

    def _uv_close(self) -> None:
        lib.uv_close(self.ptr, ON_CLOSE)
        self.loop.touch()

    def _on_close(self) -> None:
        self.closed = True
        self.loop.handles.discard(self)
        self._run_close_cbs()

    def _run_close_cbs(self) -> None:
        cbs, self._close_cbs = self._close_cbs, None
        for cb in cbs or ():
            cb()

    def ref(self) -> None:
        if not self.closing and self.initialized:
            lib.uv_ref(self.ptr)
            self.loop.touch()

    def unref(self) -> None:
        if not self.closing and self.initialized:
            lib.uv_unref(self.ptr)
            self.loop.touch()

    def has_ref(self) -> bool:
        return bool(self.initialized and not self.closed and lib.uv_has_ref(self.ptr))

    def fileno(self) -> int:
        if not self.initialized or self.closing:
            return -1
        return int(lib.pynet_fileno(self.ptr))

    def __repr__(self) -> str:
        state = "closed" if self.closed else "closing" if self.closing else "open"
        return f"<{type(self).__name__} {state}>"


class AsyncHandle(Handle):
    """A uv_async_t: ``send()`` from any thread runs ``onasync()`` on the loop's thread.

    libuv may coalesce several sends into one call: the callback drains
    whatever the other thread queued, not one item per send.
    """

    __slots__ = ("onasync",)
    ctype = "uv_async_t *"

    def __init__(self, loop: Loop, onasync: Callable[[], Any] | None = None) -> None:
        super().__init__(loop)
        self.onasync: Callable[[], Any] = onasync or _nothing
        self._init(lib.uv_async_init, ON_ASYNC)

    def send(self) -> None:
        if not self.closing:
            lib.uv_async_send(self.ptr)


def _nothing() -> None:
    return None


class SignalWakeup(Handle):
    """The socketpair behind ``signal.set_wakeup_fd``, watched by an unref'd uv_poll."""

    __slots__ = ("_r", "_w", "write_fd")
    ctype = "uv_poll_t *"

    def __init__(self, loop: Loop) -> None:
        super().__init__(loop)
        self._r, self._w = socket.socketpair()
        self._r.setblocking(False)
        self._w.setblocking(False)
        self.write_fd = self._w.fileno()
        self._init(lib.uv_poll_init_socket, self._r.fileno())
        lib.uv_poll_start(self.ptr, lib.UV_READABLE, ON_POLL)
        lib.uv_unref(self.ptr)

    def release(self) -> None:
        """Closes the poll handle and the socketpair (the loop is going away)."""
        if not self.closing:
            self.close()
        self._r.close()
        self._w.close()

    def onpoll(self, status: int, events: int) -> None:
        try:
            while self._r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        # Returning to Python code is what lets the pending signal handler run;
        # KeyboardInterrupt surfaces here, goes to onerror and out of run().
