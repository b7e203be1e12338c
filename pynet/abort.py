"""AbortController and AbortSignal, in the shape Node's web APIs have.

An abort surfaces in pynet as ``errors.AbortError`` (``.code == 'ABORT_ERR'``,
the signal's reason in ``.cause``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _validators as v
from ._names import CamelTwins
from .errors import AbortError, make
from .events import same_listener

__all__ = ["AbortController", "AbortSignal"]


class AbortSignal(CamelTwins):
    """Node's ``AbortSignal``: ``aborted``, ``reason``, and 'abort' listeners."""

    __slots__ = ("_aborted", "_reason", "_listeners", "onabort")

    def __init__(self) -> None:
        self._aborted = False
        self._reason: Any = None
        self._listeners: list[tuple[Callable[..., Any], bool]] = []
        self.onabort: Callable[..., Any] | None = None

    @property
    def aborted(self) -> bool:
        """True once aborted."""
        return self._aborted

    @property
    def reason(self) -> Any:
        """Why it was aborted (an AbortError by default)."""
        return self._reason

    def addEventListener(self, type: str, listener: Callable[..., Any],  # noqa: A002
                         options: dict[str, Any] | None = None) -> None:
        """Calls ``listener()`` on abort (``{'once': True}`` removes it after)."""
        v.validate_function(listener, "listener")
        if type == "abort" and not any(same_listener(fn, listener) for fn, _ in self._listeners):
            self._listeners.append((listener, bool((options or {}).get("once"))))

    def removeEventListener(self, type: str, listener: Callable[..., Any]) -> None:  # noqa: A002
        """Removes an 'abort' listener."""
        self._listeners = [(fn, once) for fn, once in self._listeners
                           if not same_listener(fn, listener)]

    def throwIfAborted(self) -> None:
        """Raises the reason if aborted."""
        if self._aborted:
            raise self._reason

    def _abort(self, reason: Any) -> None:
        if self._aborted:
            return
        self._aborted = True
        self._reason = reason if reason is not None else AbortError(
            "This operation was aborted")
        listeners, self._listeners = self._listeners, [fn for fn in self._listeners if not fn[1]]
        if self.onabort is not None:
            self.onabort()
        for fn, _ in listeners:
            fn()

    @staticmethod
    def abort(reason: Any = None) -> AbortSignal:
        """A signal that is already aborted."""
        signal = AbortSignal()
        signal._abort(reason)
        return signal

    @staticmethod
    def timeout(ms: float) -> AbortSignal:
        """A signal that aborts after ``ms`` milliseconds (an unref'd timer, as in Node)."""
        v.validate_number(ms, "delay", 0, 2**53 - 1)
        from .timers import setTimeout

        signal = AbortSignal()
        setTimeout(lambda: signal._abort(TimeoutError(
            "The operation was aborted due to timeout")), ms).unref()
        return signal

    def __repr__(self) -> str:
        return f"<AbortSignal aborted={self._aborted}>"


class AbortController(CamelTwins):
    """Node's ``AbortController``: ``.signal`` and ``.abort(reason)``."""

    __slots__ = ("_signal",)

    def __init__(self) -> None:
        self._signal = AbortSignal()

    @property
    def signal(self) -> AbortSignal:
        """The AbortSignal this controller aborts."""
        return self._signal

    def abort(self, reason: Any = None) -> None:
        """Aborts the signal with ``reason`` (an AbortError when None)."""
        self._signal._abort(reason)


def validate_abort_signal(signal: Any, name: str) -> None:
    if signal is not None and not isinstance(signal, AbortSignal):
        raise make("ERR_INVALID_ARG_TYPE", name, "AbortSignal", signal)


def abort_error(signal: AbortSignal) -> AbortError:
    """What an aborted operation fails with: Node's AbortError, the reason as cause."""
    return AbortError(cause=signal.reason)
