"""Node's timers for pynet programs: setTimeout, setInterval, setImmediate and friends.

Each Timeout is one libuv timer (libuv fires timers that are due at the same
time in the order they were set, as Node does); immediates run in libuv's
check phase, right after I/O, with the nextTick and microtask queues drained
after each one, as in Node.  A program whose only handles are unref'd timers
ends ``run()``, as a node process would.
"""

from __future__ import annotations

import math
import warnings
from collections import deque
from collections.abc import Callable
from typing import Any

from . import _loop
from . import _validators as v
from ._names import CamelTwins, add_twins
from ._timers import CheckHandle, TimerHandle

__all__ = ["Timeout", "Immediate", "TimeoutOverflowWarning", "setTimeout", "clearTimeout",
           "setInterval", "clearInterval", "setImmediate", "clearImmediate", "TIMEOUT_MAX"]

TIMEOUT_MAX = 2**31 - 1


class TimeoutOverflowWarning(RuntimeWarning):
    """Node's warning for a delay that does not fit in 32 bits (it becomes 1 ms)."""


def _coerce_delay(after: Any) -> int:
    """Node's rule: a delay that is not a number from 1 to 2**31-1 becomes 1 ms."""
    if isinstance(after, bool) or after is None:
        number = float(after or 0)
    elif isinstance(after, (int, float)):
        number = float(after)
    else:
        number = v.to_number(after)
    if not (1 <= number <= TIMEOUT_MAX):
        if number > TIMEOUT_MAX:
            shown = int(number) if number != math.inf else "Infinity"
            warnings.warn(TimeoutOverflowWarning(
                f"{shown} does not fit into a 32-bit signed integer.\n"
                "Timeout duration was set to 1."), stacklevel=3)
        return 1
    return int(number)  # Node truncates fractions of a millisecond


class Timeout(CamelTwins):
    """What setTimeout/setInterval return (Node's ``Timeout``)."""

    __slots__ = ("_loop", "_callback", "_args", "_after", "_repeat", "_handle", "_refed",
                 "_destroyed")

    def __init__(self, callback: Callable[..., Any], after: int, args: tuple[Any, ...],
                 repeat: bool) -> None:
        self._loop = _loop.current()
        self._callback = callback
        self._args = args
        self._after = after
        self._repeat = repeat
        self._handle: TimerHandle | None = None
        self._refed = True
        self._destroyed = False
        self._arm()

    def _arm(self) -> None:
        if self._handle is None:
            self._handle = TimerHandle(self._loop, self._fire)
            if not self._refed:
                self._handle.unref()
        self._handle.start(self._after, self._after if self._repeat else 0)

    def _fire(self) -> None:
        if not self._repeat:
            # A one-shot is done once it fires (refresh() from the callback re-arms it).
            self._destroyed = True
            handle, self._handle = self._handle, None
            if handle is not None:
                handle.close()
        self._callback(*self._args)

    def refresh(self) -> Timeout:
        """Restarts the timer with its delay counted from now (re-arms a fired one)."""
        self._destroyed = False
        self._arm()
        return self

    def ref(self) -> Timeout:
        """Lets this timer keep run() alive again (Node's timeout.ref())."""
        self._refed = True
        if self._handle is not None:
            self._handle.ref()
        return self

    def unref(self) -> Timeout:
        """Lets run() end while this timer is pending (Node's timeout.unref())."""
        self._refed = False
        if self._handle is not None:
            self._handle.unref()
        return self

    def hasRef(self) -> bool:
        """Whether this timer keeps run() alive."""
        return self._refed

    def close(self) -> Timeout:
        """Cancels the timer (``clearTimeout``)."""
        self._destroyed = True
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
        return self

    def __repr__(self) -> str:
        kind = "interval" if self._repeat else "timeout"
        state = "done" if self._destroyed else "active"
        return f"<Timeout {kind} {self._after}ms {state}>"


class Immediate(CamelTwins):
    """What setImmediate returns (Node's ``Immediate``)."""

    __slots__ = ("_queue", "_callback", "_args", "_refed", "_cleared")

    def __init__(self, queue: ImmediateQueue, callback: Callable[..., Any],
                 args: tuple[Any, ...]) -> None:
        self._queue = queue
        self._callback = callback
        self._args = args
        self._refed = True
        self._cleared = False

    def ref(self) -> Immediate:
        """Lets this timer keep run() alive again (Node's timeout.ref())."""
        if not self._refed:
            self._refed = True
            self._queue.refs += 1
            self._queue.arm()
        return self

    def unref(self) -> Immediate:
        """Lets run() end while this timer is pending (Node's timeout.unref())."""
        if self._refed:
            self._refed = False
            self._queue.refs -= 1
            self._queue.arm()
        return self

    def hasRef(self) -> bool:
        """Whether this timer keeps run() alive."""
        return self._refed


class ImmediateQueue:
    """One per loop: the pending immediates and the check handle that runs them."""

    def __init__(self, loop: _loop.Loop) -> None:
        self.loop = loop
        self.pending: deque[Immediate] = deque()
        self.refs = 0
        self.check: CheckHandle | None = None

    def add(self, imm: Immediate) -> None:
        self.pending.append(imm)
        self.refs += 1
        self.arm()

    def remove(self, imm: Immediate) -> None:
        if imm._cleared:
            return
        imm._cleared = True
        if imm._refed:
            self.refs -= 1
        try:
            self.pending.remove(imm)
        except ValueError:
            pass
        self.arm()

    def arm(self) -> None:
        if self.pending:
            if self.check is None or self.check.closing:
                self.check = CheckHandle(self.loop, self.run)
            self.check.start(self.refs > 0)
        elif self.check is not None:
            # Nothing waits: close the handles, so an idle loop holds none of ours.
            self.check.close()
            self.check = None

    def run(self) -> None:
        # Immediates set while these run wait for the next loop iteration, as in Node.
        batch, self.pending = self.pending, deque()
        loop = self.loop
        try:
            while batch:
                imm = batch.popleft()
                if imm._cleared:
                    continue
                imm._cleared = True
                if imm._refed:
                    self.refs -= 1
                imm._callback(*imm._args)
                if loop.ticks or loop.micro:
                    loop.drain()
        finally:
            # What an exception left unrun goes first next time.
            batch.extend(self.pending)
            self.pending = batch
            self.arm()


def setTimeout(callback: Callable[..., Any], delay: Any = 1, *args: Any) -> Timeout:
    """Calls ``callback(*args)`` once, after ``delay`` ms (Node's ``setTimeout``)."""
    v.validate_function(callback, "callback")
    return Timeout(callback, _coerce_delay(delay), args, repeat=False)


def setInterval(callback: Callable[..., Any], delay: Any = 1, *args: Any) -> Timeout:
    """Calls ``callback(*args)`` every ``delay`` ms (Node's ``setInterval``)."""
    v.validate_function(callback, "callback")
    return Timeout(callback, _coerce_delay(delay), args, repeat=True)


def clearTimeout(timeout: Timeout | None) -> None:
    """Cancels a Timeout; anything else is ignored, as in Node."""
    if isinstance(timeout, Timeout):
        timeout.close()


clearInterval = clearTimeout


def setImmediate(callback: Callable[..., Any], *args: Any) -> Immediate:
    """Calls ``callback(*args)`` right after this turn's I/O (Node's ``setImmediate``)."""
    v.validate_function(callback, "callback")
    loop = _loop.current()
    if loop.immediates is None:
        loop.immediates = ImmediateQueue(loop)
    imm = Immediate(loop.immediates, callback, args)
    loop.immediates.add(imm)
    return imm


def clearImmediate(immediate: Immediate | None) -> None:
    """Cancels an Immediate that has not run yet."""
    if isinstance(immediate, Immediate):
        immediate._queue.remove(immediate)


add_twins(globals(), list(__all__))
