"""pynet inside a running asyncio loop (the standard one or uvloop), Linux and macOS.

Nothing to call: the first pynet object made while an asyncio loop runs in
the thread attaches the thread's libuv loop to it.  The driver watches libuv's
backend fd with ``add_reader``, runs ``uv_run(UV_RUN_NOWAIT)`` on each tick,
and arms a ``call_later`` for ``uv_backend_timeout()``.  A ref'd ``uv_async_t``
is held while attached: without it ``uv_backend_timeout()`` answers 0 for a
loop with nothing ref'd and the driver would spin; it doubles as the
thread-safe wakeup.  State changed outside ``uv_run`` (a new timer, a queued
write, a read started) is invisible to the outer loop until libuv runs, so
every such pynet call schedules one coalesced tick (``Loop.touch``).

Errors raised in pynet listeners go to the asyncio loop's exception handler.
The driver detaches when the asyncio loop shuts down its async generators
(``asyncio.run`` does, right before closing the loop): no handle is left open.
Windows has no backend fd; there attaching raises a clear error.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from ._ffi import lib, pynet_run
from ._handle import AsyncHandle

if TYPE_CHECKING:
    from ._loop import Loop

__all__ = ["Driver", "attach"]


class Driver:
    """Runs one thread's libuv loop from that thread's running asyncio loop."""

    def __init__(self, loop: Loop, aloop: asyncio.AbstractEventLoop) -> None:
        if sys.platform == "win32":
            raise RuntimeError(
                "pynet cannot attach to an asyncio loop on Windows: libuv has no backend fd "
                "there to watch; call pynet.run() in its own thread instead")
        self.loop = loop
        self.aloop = aloop
        self.fd = lib.uv_backend_fd(loop.ptr)
        self._scheduled = False
        self._timer: asyncio.TimerHandle | None = None
        self._async = AsyncHandle(loop)
        aloop.add_reader(self.fd, self.tick)
        self._sentinel = self._detach_on_shutdown()
        # Start the generator so that the loop's asyncgen hooks know it: the
        # loop finalises it in shutdown_asyncgens(), which is when we detach.
        aloop.create_task(self._sentinel.__anext__())
        self.schedule()

    async def _detach_on_shutdown(self) -> AsyncGenerator[None, None]:
        try:
            yield
            await asyncio.Event().wait()  # parked until the loop shuts down
        finally:
            self.detach()

    def schedule(self) -> None:
        """One tick soon, however many pynet calls ask for it."""
        if not self._scheduled and self.loop.driver is self:
            self._scheduled = True
            self.aloop.call_soon(self.tick)

    def wakeup_threadsafe(self) -> None:
        self._async.send()

    def tick(self) -> None:
        self._scheduled = False
        loop = self.loop
        if loop.driver is not self or loop.ptr is None:
            return
        loop.running = True
        try:
            loop.drain()
            pynet_run(loop.addr, lib.UV_RUN_NOWAIT)
            loop.drain()
        except BaseException as raised:  # from a tick drained here, outside any upcall
            loop.exc = loop.exc or raised
        finally:
            loop.running = False
        failure, loop.exc = loop.exc, None
        if failure is not None:
            if isinstance(failure, (KeyboardInterrupt, SystemExit)):
                raise failure
            self.aloop.call_exception_handler({
                "message": "Exception in a pynet listener", "exception": failure})
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if loop.ticks or loop.micro:
            self.schedule()
            return
        timeout = lib.uv_backend_timeout(loop.ptr)
        if timeout == 0:
            self.schedule()
        elif timeout > 0:
            self._timer = self.aloop.call_later(timeout / 1000, self.tick)

    def detach(self) -> None:
        """Lets go of the asyncio loop: closes the async handle, runs the close callbacks."""
        loop = self.loop
        if loop.driver is not self:
            return
        loop.driver = None
        if self._timer is not None:
            self._timer.cancel()
        try:
            self.aloop.remove_reader(self.fd)
        except Exception:  # the selector may be closed already
            pass
        self._async.close()
        if loop.ptr is not None and not loop.running:
            pynet_run(loop.addr, lib.UV_RUN_NOWAIT)


def attach(loop: Loop, aloop: asyncio.AbstractEventLoop) -> Driver:
    driver = Driver.__new__(Driver)
    loop.driver = driver
    try:
        Driver.__init__(driver, loop, aloop)
    except BaseException:
        loop.driver = None
        raise
    return driver


def running_asyncio_loop() -> Any:
    return asyncio._get_running_loop()
