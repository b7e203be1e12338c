"""The loop: one libuv loop per thread, run like a node process.

``run()`` returns when nothing ref'd is left.  After every upcall from libuv
the nextTick queue and then the microtask queue are drained, as Node does
between callbacks.  An exception in any callback stops the loop and comes out
of ``run()`` with the user's frames; the loop stays usable afterwards.
"""

from __future__ import annotations

import signal
import sys
import threading
import warnings
from asyncio import _get_running_loop
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import errors
from ._ffi import address, c_pointer, ffi, lib, pynet_run

if TYPE_CHECKING:
    from ._handle import Handle

__all__ = ["Loop", "current", "run", "nextTick", "queueMicrotask"]


class Loop:
    """A thread's libuv loop, its handle registry and its tick queues."""

    __slots__ = ("ptr", "addr", "requests", "close_callbacks", "ticks", "micro", "exc", "running",
                 "thread_id", "_wakeup", "driver", "immediates", "next_tick_fn", "__weakref__")

    def __init__(self) -> None:
        ptr = lib.pynet_loop_new()
        if ptr == ffi.NULL:
            raise MemoryError("uv_loop_init failed")
        self.ptr = ptr
        self.addr = address(ptr)
        # What waits for a handle's close callback, by handle.
        self.close_callbacks: dict[Handle, list[Callable[[], Any]]] = {}
        # Requests in flight that are not tied to a handle (getaddrinfo).
        self.requests: set[Any] = set()
        self.ticks: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
        self.micro: deque[Callable[[], Any]] = deque()
        if lib.pynet_loop_queues(ptr, c_pointer(self.ticks), c_pointer(self.micro)):
            raise MemoryError("pynet: the loop's tick queues could not be handed to C")
        self.exc: BaseException | None = None
        self.running = False
        self.thread_id = threading.get_ident()
        self._wakeup: Any = None
        self.driver: Any = None  # an aio.Driver while attached to an asyncio loop
        self.immediates: Any = None  # timers.ImmediateQueue, made on first setImmediate
        # One bound next_tick shared by every stream of the loop: each stream
        # binding its own would cost 64 bytes per connection.
        self.next_tick_fn: Callable[..., None] = self.next_tick

    @property
    def handles(self) -> set[Handle]:
        """The registry: every handle from uv_*_init to its close callback (see _handle.py)."""
        if self.ptr is None:
            return set()
        from ._callbacks import walk

        return set(walk(self.ptr))

    # -- queues --------------------------------------------------------------
    def next_tick(self, fn: Callable[..., Any], *args: Any) -> None:
        # Socket._next_tick is this too, inlined.
        self.ticks.append((fn, args))
        if self.driver is not None:
            self.driver.schedule()

    def queue_microtask(self, fn: Callable[[], Any]) -> None:
        self.micro.append(fn)

    def touch(self) -> None:
        """libuv state changed outside uv_run: an attached driver must tick soon."""
        if self.driver is not None:
            self.driver.schedule()

    def drain(self) -> None:
        """Node's processTicksAndRejections: ticks, then microtasks, until both are empty.

        After a libuv callback the shim drains in C (pynet__drain), the same way."""
        ticks, micro = self.ticks, self.micro
        while ticks or micro:
            while ticks:
                fn, args = ticks.popleft()
                fn(*args)
            while micro:  # V8 runs every microtask, even ones queued meanwhile
                micro.popleft()()

    # -- errors --------------------------------------------------------------
    def fail(self, exc: BaseException) -> None:
        """Called by every upcall's onerror: keep the first exception, stop the loop."""
        if self.exc is None:
            self.exc = exc
        else:
            self.exc.add_note(f"pynet: also raised in the same loop turn: {exc!r}")
        lib.uv_stop(self.ptr)
        if not self.running:
            # Nobody is in run() to re-raise it (an embedding driver's turn).
            self.exc = None
            sys.unraisablehook(_Unraisable(exc))  # type: ignore[arg-type]

    # -- running -------------------------------------------------------------
    def run(self) -> None:
        if self.running:
            raise errors.make("ERR_NESTED_RUN")
        if self.driver is not None:
            raise errors.make("ERR_LOOP_ATTACHED")
        if threading.get_ident() != self.thread_id:
            raise errors.make("ERR_LOOP_THREAD")
        self.running = True
        restore = self._watch_signals()
        try:
            while True:
                self.drain()
                pynet_run(self.addr, lib.UV_RUN_DEFAULT)
                exc = self.exc
                if exc is not None:
                    self.exc = None
                    raise exc
                if not (self.ticks or self.micro):
                    break
        finally:
            self.running = False
            if restore is not None:
                restore()

    def _watch_signals(self) -> Callable[[], None] | None:
        """Let Ctrl-C interrupt a loop that waits in epoll.

        libuv retries epoll_wait after EINTR, so Python's handler would never
        get to run.  Python's wakeup fd is pointed at a socketpair watched by
        an unref'd uv_poll; its upcall runs Python code, and with it the
        pending signal handler.  (A uv_signal_t would reset SIGINT to SIG_DFL
        when closed, and the next Ctrl-C would kill the process.)
        """
        if threading.current_thread() is not threading.main_thread():
            return None
        if self._wakeup is None:
            from ._handle import SignalWakeup

            self._wakeup = SignalWakeup(self)
        try:
            old = signal.set_wakeup_fd(self._wakeup.write_fd, warn_on_full_buffer=False)
        except ValueError:  # not the main interpreter
            return None
        def restore() -> None:
            signal.set_wakeup_fd(old)

        return restore

    # -- teardown ------------------------------------------------------------
    def close(self) -> None:
        """Frees the libuv loop; handles still open are closed with a ResourceWarning.

        Runs when a thread's loop is collected (the thread ended).  Close
        callbacks of abandoned handles are dropped: no user code runs here.
        """
        ptr, self.ptr = self.ptr, None
        if ptr is None:
            return
        from ._callbacks import walk

        for h in walk(ptr):
            if h is self._wakeup:
                continue
            if not h.closing:
                warnings.warn(f"unclosed {h!r}", ResourceWarning, source=h, stacklevel=2)
        self.close_callbacks.clear()
        if self._wakeup is not None:
            self._wakeup.release()
        for h in walk(ptr):
            h.close()
        self.ticks.clear()
        self.micro.clear()
        while walk(ptr) and lib.uv_run(ptr, lib.UV_RUN_NOWAIT):
            pass
        if lib.pynet_loop_delete(ptr) != 0:  # pragma: no cover - requests still in flight
            warnings.warn("pynet: a loop was dropped with requests in flight; its memory "
                          "is kept", ResourceWarning, stacklevel=2)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        return f"<pynet.Loop handles={len(self.handles)} running={self.running}>"


class _Unraisable:
    def __init__(self, exc: BaseException) -> None:
        self.exc_type = type(exc)
        self.exc_value = exc
        self.exc_traceback = exc.__traceback__
        self.err_msg = "Exception in a pynet callback"
        self.object = None


class _ThreadsLoop:
    """A thread's claim on its loop: when the thread ends, its loop is closed.

    The loop alone would never be collected while a handle is open (each open
    handle is held by libuv and holds its loop); this claim, kept only by the
    thread, is.
    """

    __slots__ = ("loop",)

    def __init__(self, loop: Loop) -> None:
        self.loop = loop

    def __del__(self) -> None:
        try:
            self.loop.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


_local = threading.local()


def current() -> Loop:
    """This thread's loop, made on first use; attached to a running asyncio loop if any."""
    try:
        loop: Loop = _local.loop
    except AttributeError:
        loop = _local.loop = Loop()
        _local.claim = _ThreadsLoop(loop)
    if loop.driver is None and not loop.running:
        aloop = _get_running_loop()
        if aloop is not None and not aloop.is_closed():
            from . import aio

            aio.attach(loop, aloop)
    return loop


def run() -> None:
    """Runs this thread's loop until nothing ref'd is left (like a node process)."""
    current().run()


def nextTick(fn: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick``: runs ``fn(*args)`` after the current callback."""
    if not callable(fn):
        raise errors.make("ERR_INVALID_ARG_TYPE", "callback", "function", fn)
    loop = current()
    loop.ticks.append((fn, args))
    loop.touch()


def queueMicrotask(fn: Callable[[], Any]) -> None:
    """Node's ``queueMicrotask``: runs ``fn()`` after the nextTick queue is empty."""
    if not callable(fn):
        raise errors.make("ERR_INVALID_ARG_TYPE", "callback", "function", fn)
    loop = current()
    loop.micro.append(fn)
    loop.touch()
