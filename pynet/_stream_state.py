"""What a stream knows: Node's ReadableState and WritableState, packed.

Every connection carries one of each, so their size is paid per idle socket.
As Node 22 does (``kState`` in ``lib/internal/streams/readable.js``), the
true/false fields (and the None/true/false ones) live as bits of one ``flags``
int instead of one slot each: 22 fields per side cost 8 bytes instead of 176.

The states keep Node's field names as properties (``state.ended``,
``state.needDrain``) for Node ports, tests and the rare paths; ``stream.py``
and ``socket.py`` test and set the bits directly (a property call costs some
five slot reads, and a connection's life takes a few hundred of them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import _encoding, errors

DEFAULT_HWM = 16 * 1024
DEFAULT_OBJECT_HWM = 16

# What an empty per-stream list starts as: each list a state held from birth
# would cost 56 bytes per idle connection.
NO_ITEMS: Any = ()  # typed Any: it stands in for an empty list

# -- the bits ----------------------------------------------------------------
# Bits both sides have share positions; each side numbers its own bits in the
# same ranges after them (a readable bit means nothing in a WritableState).
#
# A set bit is the exception: where Node's field starts true (constructed,
# emitClose, autoDestroy, decodeStrings, allBuffers, allNoop) the bit stores
# its opposite.  The bits an idle socket has set are the first eight, so its
# ``flags`` stays at most 255: a small int CPython caches, where a larger
# value would be a 32-byte object of its own in each state of each connection
# (and a new one on every change).  They are also the bits the hot paths test.
ENDED = 1 << 0
# read side: on('data') was called and not every 'data' listener has been
# removed since (Node's kDataListening; the write side leaves this bit unused)
DATA_LISTENING = 1 << 1
SYNC = 1 << 2
NO_EMIT_CLOSE = 1 << 3  # emitClose false, as every Socket has it
# read side, at rest in a flowing socket
READING = 1 << 4
DATA_EMITTED = 1 << 5
PAUSED_SET = 1 << 6  # paused is None/True/False: set, then the value (PAUSED)
NEED_READABLE = 1 << 7
# write side, hot
WRITING = 1 << 4
ENDING = 1 << 5
NEED_DRAIN = 1 << 6
AFTER_WRITE_PENDING = 1 << 7  # an afterWrite is on the tick queue (Node's kAfterWritePending)
# both sides, the rest
NOT_CONSTRUCTED = 1 << 8
NO_AUTO_DESTROY = 1 << 9
OBJECT_MODE = 1 << 10
ERROR_EMITTED = 1 << 11
CLOSED = 1 << 12
CLOSE_EMITTED = 1 << 13
# read side, the rest
PAUSED = 1 << 14
END_EMITTED = 1 << 15
EMITTED_READABLE = 1 << 16
READABLE_LISTENING = 1 << 17
RESUME_SCHEDULED = 1 << 18
MULTI_AWAIT_DRAIN = 1 << 19
READING_MORE = 1 << 20
READABLE_SET = 1 << 21  # readable: None until stream.readable is assigned
READABLE = 1 << 22
# write side, the rest
FINAL_CALLED = 1 << 14
FINISHED = 1 << 15
NO_DECODE_STRINGS = 1 << 16
BUFFER_PROCESSING = 1 << 17
NOT_ALL_BUFFERS = 1 << 18
NOT_ALL_NOOP = 1 << 19
PREFINISHED = 1 << 20
WRITABLE_SET = 1 << 21  # writable: None until stream.writable is assigned
WRITABLE = 1 << 22
# both sides: a destroyed stream is not an idle one, so this can sit above the eight
DESTROYED = 1 << 23
# (all below 2**30: one CPython digit, the fast int path)


if TYPE_CHECKING:
    class _flag:  # noqa: N801 - what the type checker sees of _flag() below
        def __init__(self, bit: int, inverted: bool = False) -> None: ...

        @overload
        def __get__(self, state: None, owner: type) -> _flag: ...
        @overload
        def __get__(self, state: object, owner: type) -> bool: ...
        def __get__(self, state: object, owner: type) -> _flag | bool: ...

        def __set__(self, state: object, on: object) -> None: ...

    class _tristate:  # noqa: N801 - what the type checker sees of _tristate() below
        def __init__(self, set_bit: int, true_bit: int) -> None: ...

        @overload
        def __get__(self, state: None, owner: type) -> _tristate: ...
        @overload
        def __get__(self, state: object, owner: type) -> bool | None: ...
        def __get__(self, state: object, owner: type) -> _tristate | bool | None: ...

        def __set__(self, state: object, value: bool | None) -> None: ...
else:
    def _flag(bit, inverted=False):
        """Node's boolean field as a view of one bit of ``flags``, which stores the
        field's opposite when ``inverted`` (a property: cheaper to call than a
        descriptor class written in Python)."""

        def get(self):
            return (self.flags & bit != 0) is not inverted

        def set_(self, on):
            self.flags = self.flags | bit if bool(on) is not inverted else self.flags & ~bit

        return property(get, set_)

    def _tristate(set_bit, true_bit):
        """Node's None/true/false field as two bits of ``flags``: set, and its value."""

        def get(self):
            flags = self.flags
            return None if not flags & set_bit else flags & true_bit != 0

        def set_(self, value):
            flags = self.flags & ~(set_bit | true_bit)
            if value is not None:
                flags |= set_bit | true_bit if value else set_bit
            self.flags = flags

        return property(get, set_)


def getDefaultHighWaterMark(objectMode: bool = False) -> int:
    """Node's stream.getDefaultHighWaterMark (16 KiB, or 16 objects)."""
    return DEFAULT_OBJECT_HWM if objectMode else DEFAULT_HWM


def _high_water_mark(opts: dict[str, Any], duplex_key: str, object_mode: bool) -> int:
    """Node's getHighWaterMark: ``highWaterMark``, else the side's own key, else the default."""
    name = "highWaterMark"
    hwm = opts.get("highWaterMark")
    if hwm is None and duplex_key:
        hwm = opts.get(duplex_key)
        name = duplex_key
    if hwm is None:
        return getDefaultHighWaterMark(object_mode)
    if isinstance(hwm, bool) or not isinstance(hwm, (int, float)) or hwm != hwm \
            or hwm < 0 or hwm == float("inf") or int(hwm) != hwm:
        raise errors.make("ERR_INVALID_ARG_VALUE", f"options.{name}", hwm)
    return int(hwm)


_State = TypeVar("_State", bound="_StreamState")


class _StreamState:
    """What both sides' states share: the flags and the fields both have."""

    __slots__ = ("flags", "highWaterMark", "errored", "defaultEncoding")

    objectMode = _flag(OBJECT_MODE)
    ended = _flag(ENDED)
    destroyed = _flag(DESTROYED)
    # Read side: true while inside _read() (a push() then must not emit 'data'
    # synchronously); write side: true while inside _write().
    sync = _flag(SYNC)
    constructed = _flag(NOT_CONSTRUCTED, inverted=True)
    errorEmitted = _flag(ERROR_EMITTED)
    emitClose = _flag(NO_EMIT_CLOSE, inverted=True)
    autoDestroy = _flag(NO_AUTO_DESTROY, inverted=True)
    closed = _flag(CLOSED)
    closeEmitted = _flag(CLOSE_EMITTED)

    @classmethod
    def fresh(cls: type[_State], flags: int, high_water_mark: int) -> _State:
        """The state the constructor makes from options that set only the flags
        and the high-water mark (what every accepted connection has: no
        option to read)."""
        state = cls.__new__(cls)
        state._start(flags, high_water_mark, "utf8")
        return state

    def _start(self, flags: int, high_water_mark: int, default_encoding: str) -> None:
        """Every field, as the constructor leaves it (each side has its own)."""
        raise NotImplementedError

    def __init__(self, opts: dict[str, Any], object_mode: bool) -> None:
        """The bits both sides take from the options, plus the ones that start set."""
        flags = SYNC
        if object_mode:
            flags |= OBJECT_MODE
        if opts.get("emitClose", True) is False:
            flags |= NO_EMIT_CLOSE
        if opts.get("autoDestroy", True) is False:
            flags |= NO_AUTO_DESTROY
        self.flags = flags


class ReadableState(_StreamState):
    """Node's ReadableState: what a Readable knows about its read side."""

    __slots__ = ("buffer", "length", "pipes", "flowing", "awaitDrainWriters", "decoder",
                 "encoding")
    decoder: _encoding.Decoder | None
    encoding: str | None

    endEmitted = _flag(END_EMITTED)
    reading = _flag(READING)
    needReadable = _flag(NEED_READABLE)
    emittedReadable = _flag(EMITTED_READABLE)
    readableListening = _flag(READABLE_LISTENING)
    resumeScheduled = _flag(RESUME_SCHEDULED)
    multiAwaitDrain = _flag(MULTI_AWAIT_DRAIN)
    readingMore = _flag(READING_MORE)
    dataEmitted = _flag(DATA_EMITTED)
    paused = _tristate(PAUSED_SET, PAUSED)
    readable = _tristate(READABLE_SET, READABLE)

    def __init__(self, opts: dict[str, Any], is_duplex: bool) -> None:
        object_mode = bool(opts.get("objectMode") or
                           (is_duplex and opts.get("readableObjectMode")))
        _StreamState.__init__(self, opts, object_mode)
        self._start(self.flags, _high_water_mark(
            opts, "readableHighWaterMark" if is_duplex else "", object_mode),
            opts.get("defaultEncoding") or "utf8")
        if opts.get("encoding"):
            self.encoding = _encoding.check(opts["encoding"])
            self.decoder = _encoding.Decoder(self.encoding)

    def _start(self, flags: int, high_water_mark: int, default_encoding: str) -> None:
        self.flags = flags
        self.highWaterMark = high_water_mark
        # A list, not a deque (an empty deque costs 600 bytes): the read buffer
        # rarely holds more than a few chunks.
        self.buffer: list[Any] = NO_ITEMS
        self.length = 0
        self.pipes: list[Any] = NO_ITEMS
        self.flowing: bool | None = None
        self.errored: BaseException | None = None
        self.defaultEncoding = default_encoding
        self.awaitDrainWriters: Any = None
        self.decoder = None
        self.encoding = None


class WritableState(_StreamState):
    """Node's WritableState: what a Writable knows about its write side."""

    __slots__ = ("length", "corked", "writecb", "writelen", "afterWriteTickInfo", "buffered",
                 "bufferedIndex", "pendingcb", "onFinished")

    finalCalled = _flag(FINAL_CALLED)
    needDrain = _flag(NEED_DRAIN)
    ending = _flag(ENDING)
    finished = _flag(FINISHED)
    decodeStrings = _flag(NO_DECODE_STRINGS, inverted=True)
    writing = _flag(WRITING)
    bufferProcessing = _flag(BUFFER_PROCESSING)
    allBuffers = _flag(NOT_ALL_BUFFERS, inverted=True)
    allNoop = _flag(NOT_ALL_NOOP, inverted=True)
    prefinished = _flag(PREFINISHED)
    writable = _tristate(WRITABLE_SET, WRITABLE)

    def __init__(self, opts: dict[str, Any], is_duplex: bool) -> None:
        object_mode = bool(opts.get("objectMode") or
                           (is_duplex and opts.get("writableObjectMode")))
        _StreamState.__init__(self, opts, object_mode)
        if opts.get("decodeStrings", True) is False:
            self.flags |= NO_DECODE_STRINGS
        self._start(self.flags, _high_water_mark(
            opts, "writableHighWaterMark" if is_duplex else "", object_mode),
            opts.get("defaultEncoding") or "utf8")

    def _start(self, flags: int, high_water_mark: int, default_encoding: str) -> None:
        self.flags = flags
        self.highWaterMark = high_water_mark
        self.defaultEncoding = default_encoding
        self.length = 0
        self.corked = 0
        self.writecb: Callable[..., Any] | None = None
        self.writelen = 0
        self.afterWriteTickInfo: list[Any] | None = None  # [count, cb]
        self.buffered: list[Any] = NO_ITEMS  # [chunk, encoding, callback]
        self.bufferedIndex = 0
        self.pendingcb = 0
        self.errored: BaseException | None = None
        self.onFinished: list[Callable[..., Any]] = NO_ITEMS

    def reset_buffer(self) -> None:
        self.buffered = NO_ITEMS
        self.bufferedIndex = 0
        self.flags &= ~(NOT_ALL_BUFFERS | NOT_ALL_NOOP)
