"""libuv handles and the rule that keeps them alive.

A wrapper owns its ``uv_*_t`` memory and stores itself (its address, see
``_ffi.c_pointer``) in ``handle->data``: the C upcalls call Python with
it.  The registry holds the wrapper from the moment ``uv_*_init`` succeeds
until the close callback, and only the close callback lets go: a handle whose
Python owner was dropped keeps working, as in Node, and libuv never calls into
freed memory (nor C into a freed wrapper).  The registry is libuv's own list of
the loop's handles, each holding one reference to its wrapper (``pynet_hold``,
given back by the close callback): a Python set of them would cost some 50
bytes per connection.  ``Loop.handles`` lists them.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from ._callbacks import ON_ASYNC, ON_CLOSE, ON_POLL
from ._ffi import c_pointer, ffi, lib
from ._loop import Loop

# A handle's life, in order (Handle.state): made; initialised by uv_*_init
# (registered); uv_close called; its close callback ran.  A handle whose init
# failed goes from NEW straight to DISCARDED when closed.
NEW, OPEN, CLOSING, CLOSED, DISCARDED = range(5)


class Handle:
    """Base of every libuv handle wrapper."""

    # Every handle of every connection carries these: each slot and each object
    # made here is paid per idle connection, so there are no cast objects (the
    # calls take the handle pointer as void *), one slot says where the handle
    # is in its life, and close callbacks wait in the loop (only a closing
    # handle has any).
    __slots__ = ("loop", "ptr", "state")
    ctype = "uv_handle_t *"

    def __init__(self, loop: Loop) -> None:
        self.loop = loop
        self.ptr = ffi.new(self.ctype)
        # Borrowed by C: the registry holds self from uv_*_init to the close callback.
        self._uv().data = c_pointer(self)
        self.state = NEW

    def _uv(self) -> Any:
        """The libuv handle struct in ``ptr`` (a stream's comes first in a bigger one)."""
        return self.ptr

    @property
    def initialized(self) -> bool:
        """uv_*_init succeeded on it (it stays so after the close)."""
        return OPEN <= self.state <= CLOSED

    @property
    def closing(self) -> bool:
        """close() was called (also true once closed)."""
        return self.state >= CLOSING

    @property
    def closed(self) -> bool:
        """Its close is complete: libuv is done with it."""
        return self.state >= CLOSED

    def add_close_callback(self, callback: Callable[[], Any]) -> None:
        waiting = self.loop.close_callbacks
        cbs = waiting.get(self)
        if cbs is None:
            waiting[self] = [callback]
        else:
            cbs.append(callback)

    def _init(self, uv_init: Any, *args: Any) -> None:
        """``uv_init(loop, handle, *args)``, registered; raises if libuv refuses."""
        err = uv_init(self.loop.ptr, self.ptr, *args)
        if err:
            raise MemoryError(f"{type(self).__name__}: libuv could not init the handle ({err})")
        self.state = OPEN
        lib.pynet_hold(self.ptr)

    def close(self, callback: Callable[[], Any] | None = None) -> None:
        """Closes the handle once; ``callback`` runs from libuv's close callback."""
        if self.state >= CLOSED:
            return  # libuv calls nothing more: a callback would only wait forever
        if callback is not None:
            self.add_close_callback(callback)
        if self.state == CLOSING:
            return
        if self.state == NEW:
            self.state = DISCARDED
            self._run_close_cbs()
            return
        self.state = CLOSING
        self._uv_close()

    def _uv_close(self) -> None:
        lib.uv_close(self.ptr, ON_CLOSE)
        self.loop.touch()

    def _on_close(self) -> None:
        self.state = CLOSED  # the C close callback lets go of self after this
        self._run_close_cbs()

    def _run_close_cbs(self) -> None:
        for cb in self.loop.close_callbacks.pop(self, ()):
            cb()

    def ref(self) -> None:
        if self.state == OPEN:
            lib.uv_ref(self.ptr)
            self.loop.touch()

    def unref(self) -> None:
        if self.state == OPEN:
            lib.uv_unref(self.ptr)
            self.loop.touch()

    def has_ref(self) -> bool:
        return bool(OPEN <= self.state < CLOSED and lib.uv_has_ref(self.ptr))

    def fileno(self) -> int:
        if self.state != OPEN:
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
