"""libuv timers: the mechanism under socket timeouts and Node's timer functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._callbacks import ON_CHECK, ON_TIMER
from ._ffi import lib
from ._handle import CLOSING, Handle
from ._loop import Loop


class TimerHandle(Handle):
    """One ``uv_timer_t``; ``ontimeout()`` is called when it fires."""

    __slots__ = ("ontimeout",)
    ctype = "uv_timer_t *"

    def __init__(self, loop: Loop, ontimeout: Callable[[], Any]) -> None:
        super().__init__(loop)
        self.ontimeout = ontimeout
        self._init(lib.uv_timer_init)

    def start(self, ms: int, repeat_ms: int = 0) -> None:
        if self.state < CLOSING:
            lib.uv_timer_start(self.ptr, ON_TIMER, ms, repeat_ms)
            self.loop.touch()

    def stop(self) -> None:
        if self.state < CLOSING:
            lib.uv_timer_stop(self.ptr)
            self.loop.touch()


class CheckHandle(Handle):
    """A uv_check_t (runs right after the loop polls for I/O) plus the uv_idle_t
    that keeps the poll from blocking while immediates are waiting, as Node does."""

    __slots__ = ("oncheck", "_idle")
    ctype = "uv_check_t *"

    def __init__(self, loop: Loop, oncheck: Callable[[], Any]) -> None:
        super().__init__(loop)
        self.oncheck = oncheck
        self._init(lib.uv_check_init)
        self._idle = _IdleHandle(loop)
        lib.uv_unref(self.ptr)  # only the idle handle keeps the loop alive (when ref'd)

    def start(self, keep_alive: bool) -> None:
        if self.closing:
            return
        lib.uv_check_start(self.ptr, ON_CHECK)
        self._idle.start(keep_alive)
        self.loop.touch()

    def stop(self) -> None:
        if self.closing:
            return
        lib.uv_check_stop(self.ptr)
        self._idle.stop()

    def close(self, callback: Callable[[], Any] | None = None) -> None:
        self._idle.close()
        super().close(callback)


class _IdleHandle(Handle):
    __slots__ = ()
    ctype = "uv_idle_t *"

    def __init__(self, loop: Loop) -> None:
        super().__init__(loop)
        self._init(lib.uv_idle_init)

    def start(self, ref: bool) -> None:
        # The idle callback is C-side nothing: a started idle handle only makes
        # uv_run poll with a zero timeout.  The check handle's upcall does the work.
        lib.uv_idle_start(self.ptr, lib.pynet_noop_idle)
        (lib.uv_ref if ref else lib.uv_unref)(self.ptr)

    def stop(self) -> None:
        lib.uv_idle_stop(self.ptr)
