"""libuv timers: the mechanism under socket timeouts and Node's timer functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._ffi import lib
from ._handle import Handle
from ._loop import Loop


class TimerHandle(Handle):
    """One ``uv_timer_t``; ``ontimeout()`` is called when it fires."""

    __slots__ = ("ontimeout",)
    ctype = "uv_timer_t *"

    def __init__(self, loop: Loop, ontimeout: Callable[[], Any]) -> None:
        super().__init__(loop)
        self.ontimeout = ontimeout
        err = self._registered(lib.uv_timer_init(loop.ptr, self.ptr))
        if err:
            raise MemoryError(f"uv_timer_init failed ({err})")

    def start(self, ms: int, repeat_ms: int = 0) -> None:
        if not self.closing:
            lib.uv_timer_start(self.ptr, lib._pynet_on_timer, ms, repeat_ms)
            self.loop.touch()

    def stop(self) -> None:
        if not self.closing:
            lib.uv_timer_stop(self.ptr)
            self.loop.touch()
