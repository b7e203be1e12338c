"""Node's EventEmitter, lean: the semantics of ``node:events``, nothing more.

Listeners for one event are stored as a single callable or a list, as Node
stores them, so the common one-listener ``emit`` is a dict lookup and a call.
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable
from typing import Any

from . import errors
from ._names import CamelTwins

__all__ = ["EventEmitter", "MaxListenersExceededWarning", "once"]

Listener = Callable[..., Any]


class MaxListenersExceededWarning(RuntimeWarning):
    """Node's warning for a possible EventEmitter memory leak."""


class _EveryName(frozenset[Any]):
    """A set that contains every event name."""

    def __contains__(self, name: object) -> bool:
        return True


_EVERY_NAME = _EveryName()


class _OnceWrapper:
    """What ``once`` registers: removes itself, then calls ``listener``."""

    __slots__ = ("emitter", "name", "listener", "fired")

    def __init__(self, emitter: EventEmitter, name: Any, listener: Listener) -> None:
        self.emitter = emitter
        self.name = name
        self.listener = listener
        self.fired = False

    def __call__(self, *args: Any) -> Any:
        if not self.fired:
            emitter, name = self.emitter, self.name
            events = emitter._events
            # Node's onceWrapper calls removeListener.  When that is the library's
            # own, nobody listens for 'removeListener' and the event is not a
            # watched one, the call comes to the del below (the only listener)
            # or to _remove (one of several): a call or two fewer on every
            # once() that fires (a backpressure cycle's 'drain', a connect).
            if "removeListener" not in events and name not in emitter._once_calls_remove:
                existing = events.get(name)
                if existing is self:
                    del events[name]
                elif existing is not None:
                    emitter._remove(name, self, existing)  # what removeListener comes to
            else:
                emitter.removeListener(name, self)
            self.fired = True
            return self.listener(*args)
        return None


# JavaScript's `obj.method` is the same function at every access, so
# `off('data', obj.onData)` finds what `on('data', obj.onData)` added; Python
# makes a new bound-method object at every access.  Two listeners are the
# same (Node's ===) when they are one object, or bound methods of one object
# (compared by identity) to one function: what == says of bound methods.
_BOUND_METHODS = (types.MethodType, types.BuiltinMethodType)


def same_listener(stored: Any, listener: Listener) -> bool:
    """Whether ``stored`` (a listener as added, or a once-wrapper of one) is ``listener``."""
    if stored is listener:
        return True
    stored = getattr(stored, "listener", stored)
    return stored is listener or (type(listener) in _BOUND_METHODS
                                  and type(stored) is type(listener) and stored == listener)


def _check_listener(listener: Any) -> None:
    if not callable(listener):
        raise errors.make("ERR_INVALID_ARG_TYPE", "listener", "function", listener)


class EventEmitter(CamelTwins):
    """Node's ``EventEmitter`` (``node:events``)."""

    defaultMaxListeners = 10
    errorMonitor = object()  # Node's events.errorMonitor symbol

    # No __slots__ here on purpose: user subclasses (like Node's) add attributes.

    def __init__(self) -> None:
        self._events: dict[Any, Any] = {}

    _max_listeners: int | None = None  # set by setMaxListeners()

    # Which events already warned about too many listeners: made on first warning
    # (a set per emitter would cost 200 bytes on every socket).
    _warned: frozenset[Any] | set[Any] = frozenset()

    # The events whose listeners a subclass follows through _added() and
    # _removed() (a Readable's 'data' and 'readable'); adding or removing a
    # listener of any other event calls neither.
    _watched_events: frozenset[Any] = frozenset()

    def _added(self, name: Any, prepend: bool) -> None:
        """Hook for subclasses: a listener of a watched event was added.

        ``prepend`` for prependListener() and prependOnceListener(): Node's
        Readable overrides on() alone, so a prepended 'data' listener does not
        start the flow there either; the subclass only learns the set changed.
        """

    def _removed(self, name: Any) -> None:
        """Hook for subclasses: removeListener() was called for a watched event."""

    # The events for which a once() listener that fires calls removeListener()
    # (see _OnceWrapper): the watched ones, or all of them in a class with a
    # removeListener of its own.  Worked out once per class.
    _once_calls_remove: frozenset[Any] = frozenset()

    # Whether the class emits with EventEmitter.emit, which does nothing for an
    # event without listeners: the streams then skip the call for such events
    # ('pause' and 'resume' on every backpressure cycle).
    _plain_emit = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.removeListener is not _remove_listener
        cls._once_calls_remove = _EVERY_NAME if own else cls._watched_events
        cls._plain_emit = cls.emit is EventEmitter.emit

    # -- adding ------------------------------------------------------------
    def _add(self, name: Any, listener: Listener, prepend: bool) -> EventEmitter:
        if not callable(listener):
            _check_listener(listener)
        events = self._events
        if "newListener" in events:
            self.emit("newListener", name, getattr(listener, "listener", listener))
        existing = events.get(name)
        if existing is None:
            events[name] = listener
            if name in self._watched_events:
                self._added(name, prepend)
            return self
        # Always a new list: an emit iterating the old one must not call a
        # listener added meanwhile (Node's emit iterates a copy).
        if type(existing) is list:
            events[name] = [listener, *existing] if prepend else [*existing, listener]
        else:
            events[name] = [listener, existing] if prepend else [existing, listener]
        count = len(events[name])
        limit = self.getMaxListeners()
        if 0 < limit < count and name not in self._warned:
            self._warned = self._warned | {name}
            warnings.warn(MaxListenersExceededWarning(
                f"Possible EventEmitter memory leak detected. {count} {name} listeners added "
                f"to [{type(self).__name__}]. MaxListeners is {limit}. Use "
                "emitter.setMaxListeners() to increase limit"), stacklevel=3)
        if name in self._watched_events:
            self._added(name, prepend)
        return self

    def on(self, name: Any, listener: Listener | None = None) -> Any:
        """Adds ``listener`` for ``name``; without a listener, a decorator."""
        if listener is None:
            def decorator(fn: Listener) -> Listener:
                self._add(name, fn, False)
                return fn
            return decorator
        return self._add(name, listener, False)

    addListener = on

    def prependListener(self, name: Any, listener: Listener) -> EventEmitter:
        """Adds a listener at the front (Node's emitter.prependListener)."""
        return self._add(name, listener, True)

    def once(self, name: Any, listener: Listener | None = None) -> Any:
        """Adds a one-time ``listener``; without a listener, a decorator."""
        if listener is None:
            def decorator(fn: Listener) -> Listener:
                self.once(name, fn)
                return fn
            return decorator
        if not callable(listener):
            _check_listener(listener)
        wrapper = _OnceWrapper(self, name, listener)
        events = self._events
        if name in events or "newListener" in events or name in self._watched_events:
            return self._add(name, wrapper, False)
        events[name] = wrapper  # what _add comes to for an unwatched event's first listener
        return self

    def prependOnceListener(self, name: Any, listener: Listener) -> EventEmitter:
        """Adds a one-time listener first (Node's emitter.prependOnceListener)."""
        _check_listener(listener)
        return self._add(name, _OnceWrapper(self, name, listener), True)

    # -- removing ------------------------------------------------------------
    def removeListener(self, name: Any, listener: Listener) -> EventEmitter:
        """Removes the last-added instance of a listener (Node's emitter.removeListener)."""
        if not callable(listener):
            _check_listener(listener)
        events = self._events
        existing = events.get(name)
        if existing is listener and "removeListener" not in events \
                and name not in self._watched_events:
            del events[name]  # the common case: the only listener goes
            return self
        if existing is not None:
            self._remove(name, listener, existing)
        if name in self._watched_events:
            self._removed(name)
        return self

    off = removeListener

    def _remove(self, name: Any, listener: Listener, existing: Any) -> None:
        events = self._events
        if type(existing) is list:
            bound = type(listener) in _BOUND_METHODS
            for i in range(len(existing) - 1, -1, -1):
                item = existing[i]
                if item is listener or getattr(item, "listener", None) is listener \
                        or (bound and same_listener(item, listener)):
                    removed = item
                    # Copy, so an emit already iterating the old list is unaffected.
                    rest = existing[:i] + existing[i + 1:]
                    if len(rest) == 1:
                        events[name] = rest[0]
                    else:
                        events[name] = rest
                    break
            else:
                return
        elif same_listener(existing, listener):
            removed = existing
            del events[name]
        else:
            return
        if "removeListener" in events:
            self.emit("removeListener", name, getattr(removed, "listener", removed))

    def removeAllListeners(self, name: Any = None) -> EventEmitter:
        """Removes every listener, or those of one event (Node's emitter.removeAllListeners)."""
        events = self._events
        if "removeListener" not in events:
            if name is None:
                events.clear()
            else:
                events.pop(name, None)
            return self
        names = [name] if name is not None else [n for n in events if n != "removeListener"]
        for n in names:
            for fn in reversed(self.rawListeners(n)):
                self.removeListener(n, fn)
        if name is None:
            self.removeAllListeners("removeListener")
        return self

    # -- emitting ------------------------------------------------------------
    def emit(self, name: Any, *args: Any) -> bool:
        """Calls each listener of ``name`` in order; False if there was none."""
        handler = self._events.get(name)
        if handler is None:
            if name == "error":
                monitor = self._events.get(EventEmitter.errorMonitor)
                if monitor is not None:
                    self.emit(EventEmitter.errorMonitor, *args)
                err = args[0] if args else None
                if isinstance(err, BaseException):
                    raise err
                raise errors.make("ERR_UNHANDLED_ERROR", err)
            return False
        if name == "error" and EventEmitter.errorMonitor in self._events:
            self.emit(EventEmitter.errorMonitor, *args)
        if type(handler) is list:
            for fn in handler:  # a removal replaces the list, so this one is stable
                fn(*args)
        else:
            handler(*args)
        return True

    # -- looking -------------------------------------------------------------
    def listeners(self, name: Any) -> list[Listener]:
        """Copies of an event's listeners, once-wrappers unwrapped (Node's emitter.listeners)."""
        return [getattr(fn, "listener", fn) for fn in self.rawListeners(name)]

    def rawListeners(self, name: Any) -> list[Listener]:
        """Copies of the listeners of an event as stored (Node's emitter.rawListeners)."""
        existing = self._events.get(name)
        if existing is None:
            return []
        return list(existing) if type(existing) is list else [existing]

    def listenerCount(self, name: Any, listener: Listener | None = None) -> int:
        """How many listeners an event has (Node's emitter.listenerCount)."""
        raw = self.rawListeners(name)
        if listener is None:
            return len(raw)
        return sum(1 for fn in raw if same_listener(fn, listener))

    def eventNames(self) -> list[Any]:
        """The events that have listeners (Node's emitter.eventNames)."""
        return list(self._events)

    def setMaxListeners(self, n: int) -> EventEmitter:
        """Sets the leak-warning threshold; 0 means no limit (Node's emitter.setMaxListeners)."""
        if isinstance(n, bool) or not isinstance(n, (int, float)) or n != n or n < 0:
            raise errors.make("ERR_OUT_OF_RANGE", "n", "a non-negative number", n)
        self._max_listeners = int(n) if n != float("inf") else 0
        return self

    def getMaxListeners(self) -> int:
        """The leak-warning threshold (Node's emitter.getMaxListeners)."""
        m = self._max_listeners
        return EventEmitter.defaultMaxListeners if m is None else m


_remove_listener = EventEmitter.removeListener


def call_with_optional_arg(fn: Callable[..., Any]) -> Callable[[Any], Any]:
    """Adapts a Node-style ``cb(err?)``: ``fn(err)`` when it takes an argument, else ``fn()``.

    JavaScript ignores extra arguments; Python does not, so ``close(lambda: ...)``
    and ``close(lambda err: ...)`` both have to work.
    """
    import inspect

    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return fn
    takes_one = any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
                    for p in params)
    return fn if takes_one else (lambda _arg: fn())


def once(emitter: EventEmitter, name: Any) -> Any:
    """Node's ``events.once``: an awaitable of the event's arguments as a tuple.

    Raises the ``'error'`` if that is emitted first.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[tuple[Any, ...]] = loop.create_future()

    def on_event(*args: Any) -> None:
        if name != "error":
            emitter.removeListener("error", on_error)
        if not future.done():
            future.set_result(args)

    def on_error(err: BaseException) -> None:
        emitter.removeListener(name, on_event)
        if not future.done():
            future.set_exception(err)

    def on_done(fut: asyncio.Future[tuple[Any, ...]]) -> None:
        if fut.cancelled():  # nobody waits any more: take the listeners back
            emitter.removeListener(name, on_event)
            if name != "error":
                emitter.removeListener("error", on_error)

    emitter.once(name, on_event)
    if name != "error":
        emitter.once("error", on_error)
    future.add_done_callback(on_done)
    return future
