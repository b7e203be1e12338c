"""Node's Readable / Writable / Duplex state machines (``node:stream``), in Python.

A port of Node 20's ``lib/internal/streams/{readable,writable,duplex,destroy}.js``:
the same state fields, the same decisions, the same ``nextTick`` deferrals, so
event order (``'data'``, ``'readable'``, ``'drain'``, ``'finish'``, ``'end'``,
``'error'``, ``'close'``) matches Node.  ``net.Socket`` is a ``Duplex`` whose
``_read``/``_write``/``_writev``/``_final``/``_destroy`` talk to libuv; its
two hot paths (an emit straight from the read upcall, a write straight to C)
are shortcuts that take exactly the branch Node would take.

Nothing here touches libuv: the only runtime service is ``nextTick``, taken
from the thread's loop when a stream is made.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from . import _encoding, errors
from ._names import options as _options
from ._stream_state import (
    AFTER_WRITE_PENDING,
    BUFFER_PROCESSING,
    CLOSE_EMITTED,
    CLOSED,
    DATA_EMITTED,
    DATA_LISTENING,
    DESTROYED,
    EMITTED_READABLE,
    END_EMITTED,
    ENDED,
    ENDING,
    ERROR_EMITTED,
    FINAL_CALLED,
    FINISHED,
    MULTI_AWAIT_DRAIN,
    NEED_DRAIN,
    NEED_READABLE,
    NO_AUTO_DESTROY,
    NO_DECODE_STRINGS,
    NO_EMIT_CLOSE,
    NO_ITEMS,
    NOT_ALL_BUFFERS,
    NOT_ALL_NOOP,
    NOT_CONSTRUCTED,
    OBJECT_MODE,
    PAUSED,
    PAUSED_SET,
    PREFINISHED,
    READABLE,
    READABLE_LISTENING,
    READABLE_SET,
    READING,
    READING_MORE,
    RESUME_SCHEDULED,
    SYNC,
    WRITABLE,
    WRITABLE_SET,
    WRITING,
    ReadableState,
    WritableState,
    getDefaultHighWaterMark,
)
from .events import EventEmitter

__all__ = ["Readable", "Writable", "Duplex", "PassThrough", "getDefaultHighWaterMark"]

_Callback = Callable[..., Any]
_MAX_HWM = 0x40000000  # 1 GiB: what read(n) may grow the high-water mark to


def _nop(*_: Any) -> None:
    return None


_NAN = float("nan")  # read() without a size: Node's NaN
_INF = float("inf")
# addChunk emits at once when, of these, only DATA_LISTENING is set.
_EMIT_AT_ONCE = SYNC | DATA_LISTENING


def _next_tick_of_thread() -> Callable[..., None]:
    # Imported late: this module stays free of the compiled binding.
    from ._loop import current

    return current().next_tick_fn


def _chunk_len(chunk: Any) -> int:
    """A chunk's length as Node counts it: a buffer's bytes, a string's UTF-16
    code units (a character outside the BMP is two)."""
    if type(chunk) is memoryview:
        return chunk.nbytes
    if isinstance(chunk, str) and not chunk.isascii():
        return len(chunk.encode("utf-16-le", "surrogatepass")) // 2
    return len(chunk)


# ---------------------------------------------------------------------------
# destroy.js: shared by both sides

def _states(stream: Any) -> tuple[ReadableState | None, WritableState | None]:
    return getattr(stream, "_readableState", None), getattr(stream, "_writableState", None)


def _check_error(err: BaseException | None, w: WritableState | None,
                 r: ReadableState | None) -> None:
    if err is not None:
        if w is not None and w.errored is None:
            w.errored = err
        if r is not None and r.errored is None:
            r.errored = err


def _destroy(stream: Any, err: BaseException | None = None, cb: _Callback | None = None) -> Any:
    """Node's destroyImpl.destroy."""
    r, w = _states(stream)
    if (w is not None and w.flags & DESTROYED) or (r is not None and r.flags & DESTROYED):
        if callable(cb):
            cb()
        return stream
    # destroyed is set before any callback runs: destroy() from inside one is a no-op.
    _check_error(err, w, r)
    if w is not None:
        stream._direct_writes_off()
        w.flags |= DESTROYED
    if r is not None:
        r.flags |= DESTROYED
    called = False

    def on_destroy(e: BaseException | None = None) -> None:
        nonlocal called
        if called:
            return
        called = True
        r2, w2 = _states(stream)
        _check_error(e, w2, r2)
        if w2 is not None:
            w2.flags |= CLOSED
        if r2 is not None:
            r2.flags |= CLOSED
        if callable(cb):
            cb(e)
        if e is not None:
            stream._next_tick(_emit_error_close_nt, stream, e)
        else:
            stream._next_tick(_emit_close_nt, stream)

    try:
        stream._destroy(err, on_destroy)
    except Exception as e:  # noqa: BLE001 - Node routes a throwing _destroy to the callback
        on_destroy(e)
    return stream


def _emit_error_close_nt(stream: Any, err: BaseException) -> None:
    _emit_error_nt(stream, err)
    _emit_close_nt(stream)


def _emit_close_nt(stream: Any) -> None:
    r, w = _states(stream)
    if w is not None:
        w.flags |= CLOSE_EMITTED
    if r is not None:
        r.flags |= CLOSE_EMITTED
    if (w is not None and not w.flags & NO_EMIT_CLOSE) \
            or (r is not None and not r.flags & NO_EMIT_CLOSE):
        stream.emit("close")


def _emit_error_nt(stream: Any, err: BaseException) -> None:
    r, w = _states(stream)
    if (w is not None and w.flags & ERROR_EMITTED) or (r is not None and r.flags & ERROR_EMITTED):
        return
    if w is not None:
        w.flags |= ERROR_EMITTED
    if r is not None:
        r.flags |= ERROR_EMITTED
    stream.emit("error", err)


# What undestroy clears on each side (Node's undestroy sets these fields
# false, and constructed true).
_READ_UNDESTROY = (NOT_CONSTRUCTED | CLOSED | CLOSE_EMITTED | DESTROYED | ERROR_EMITTED
                   | READING | ENDED | END_EMITTED)
_WRITE_UNDESTROY = (NOT_CONSTRUCTED | DESTROYED | CLOSED | CLOSE_EMITTED | ERROR_EMITTED
                    | FINAL_CALLED | PREFINISHED | ENDED | ENDING | FINISHED)


def _undestroy(stream: Any) -> None:
    """Node's undestroy: a destroyed socket may connect again."""
    r, w = _states(stream)
    if r is not None:
        r.errored = None
        flags = r.flags & ~_READ_UNDESTROY
        if flags & (READABLE_SET | READABLE) == READABLE_SET:  # readable is False
            flags |= ENDED | END_EMITTED
        r.flags = flags
    if w is not None:
        w.errored = None
        flags = w.flags & ~_WRITE_UNDESTROY
        if flags & (WRITABLE_SET | WRITABLE) == WRITABLE_SET:  # writable is False
            flags |= ENDED | ENDING | FINISHED
        w.flags = flags


def _error_or_destroy(stream: Any, err: BaseException, sync: bool = False) -> None:
    """Node's errorOrDestroy: destroy when autoDestroy, else just emit 'error'."""
    r, w = _states(stream)
    if (w is not None and w.flags & DESTROYED) or (r is not None and r.flags & DESTROYED):
        return
    if (r is not None and not r.flags & NO_AUTO_DESTROY) \
            or (w is not None and not w.flags & NO_AUTO_DESTROY):
        stream.destroy(err)
        return
    _check_error(err, w, r)
    if sync:
        stream._next_tick(_emit_error_nt, stream, err)
    else:
        _emit_error_nt(stream, err)


class _StreamBase(EventEmitter):
    """What both sides share: nextTick, destroy, and the user's implementation hooks."""

    _next_tick: Callable[..., None]

    def _init_base(self, opts: dict[str, Any]) -> None:
        if not hasattr(self, "_next_tick"):
            self._next_tick = _next_tick_of_thread()
        if callable(opts.get("destroy")):
            self._destroy = opts["destroy"]  # type: ignore[method-assign]
        signal = opts.get("signal")
        if signal is not None:
            _add_abort_signal(signal, self)

    def destroy(self, error: BaseException | None = None, cb: _Callback | None = None) -> Any:
        """Destroys the stream: 'error' (if ``error``) then 'close', each once."""
        return _destroy(self, error, cb)

    def _destroy(self, error: BaseException | None, cb: _Callback) -> None:
        cb(error)

    def _undestroy(self) -> None:
        _undestroy(self)

    @property
    def destroyed(self) -> bool:
        """True once destroy() has been called."""
        r, w = _states(self)
        s = w if w is not None else r
        return bool(s is not None and s.destroyed)

    @destroyed.setter
    def destroyed(self, value: bool) -> None:
        r, w = _states(self)
        if r is not None:
            r.destroyed = value
        if w is not None:
            w.destroyed = value

    @property
    def closed(self) -> bool:
        """True once the stream's resources are released ('close' is due)."""
        r, w = _states(self)
        s = w if w is not None else r
        return bool(s is not None and s.closed)

    @property
    def errored(self) -> BaseException | None:
        """The error the stream was destroyed with, if any."""
        r, w = _states(self)
        s = w if w is not None else r
        return s.errored if s is not None else None


def _add_abort_signal(signal: Any, stream: Any) -> None:
    """Node's addAbortSignal: aborting destroys the stream with an AbortError."""
    from .abort import abort_error, validate_abort_signal

    validate_abort_signal(signal, "signal")

    def on_abort(*_: Any) -> None:
        stream.destroy(abort_error(signal))

    if signal.aborted:
        on_abort()
    else:
        signal.addEventListener("abort", on_abort, {"once": True})
        stream.once("close", lambda *_: signal.removeEventListener("abort", on_abort))


# ---------------------------------------------------------------------------
# Readable

class Readable(_StreamBase):
    """Node's ``stream.Readable``."""

    def __init__(self, options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        opts = _options(options, kwargs)
        self._readableState = ReadableState(opts, isinstance(self, Duplex))
        if callable(opts.get("read")):
            self._read = opts["read"]  # type: ignore[method-assign]
        self._init_base(opts)

    # -- producing ------------------------------------------------------------
    def push(self, chunk: Any, encoding: str | None = None) -> bool:
        """Adds ``chunk`` to the read buffer (None ends the stream); False: stop producing."""
        return _readable_add_chunk(self, chunk, encoding, False)

    def unshift(self, chunk: Any, encoding: str | None = None) -> bool:
        """Puts ``chunk`` back at the front of the read buffer."""
        return _readable_add_chunk(self, chunk, encoding, True)

    def _read(self, n: int) -> None:
        raise errors.make("ERR_METHOD_NOT_IMPLEMENTED", "_read()")

    # -- consuming ------------------------------------------------------------
    def read(self, n: int | None = None) -> Any:
        """Takes ``n`` bytes (or all that is buffered) from the read buffer; None if not enough."""
        return _read(self, n)

    def setEncoding(self, encoding: str | None = None) -> Any:
        """'data' becomes str decoded with ``encoding``; no character is split across chunks."""
        state = self._readableState
        decoder = _encoding.Decoder(_encoding.check(encoding))
        self._direct_reads_off()
        state.decoder = decoder
        state.encoding = decoder.encoding
        content = "".join(decoder.write(c) if not isinstance(c, str) else c
                          for c in state.buffer)
        state.buffer = [content] if content else NO_ITEMS
        state.length = len(content)
        return self

    def pause(self) -> Any:
        """Stops 'data' events (spec: readable.pause())."""
        state = self._readableState
        self._direct_reads_off()
        if state.flowing is not False:
            state.flowing = False
            if "pause" in self._events or not self._plain_emit:
                self.emit("pause")
        state.flags |= PAUSED_SET | PAUSED
        return self

    def resume(self) -> Any:
        """Starts or restarts 'data' events (spec: readable.resume())."""
        state = self._readableState
        if not state.flowing:
            # A 'readable' listener keeps the stream in paused mode.
            flags = state.flags
            state.flowing = not flags & READABLE_LISTENING
            if not flags & RESUME_SCHEDULED:
                state.flags = flags | RESUME_SCHEDULED
                self._next_tick(_resume_nt, self, state)
        state.flags = (state.flags | PAUSED_SET) & ~PAUSED
        return self

    def isPaused(self) -> bool:
        """Whether pause() is in effect (spec: readable.isPaused())."""
        state = self._readableState
        return state.paused is True or state.flowing is False

    def pipe(self, dest: Any, options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Writes everything read into ``dest``, pausing while it is full; returns ``dest``."""
        return _pipe(self, dest, _options(options, kwargs))

    def unpipe(self, dest: Any = None) -> Any:
        """Stops piping into ``dest`` (or into every destination)."""
        state = self._readableState
        if not state.pipes:
            return self
        if dest is None:
            dests, state.pipes = state.pipes, NO_ITEMS
            self.pause()
            for d in dests:
                d.emit("unpipe", self, {"hasUnpiped": False})
            return self
        if dest not in state.pipes:
            return self
        state.pipes.remove(dest)  # dest is in it: a list
        if not state.pipes:
            self.pause()
        dest.emit("unpipe", self, {"hasUnpiped": False})
        return self

    # -- listeners ------------------------------------------------------------
    _watched_events = frozenset({"data", "readable"})

    def _direct_reads_off(self) -> None:
        """Called before anything changes what decides whether a read can go
        straight to the one 'data' listener: the flowing state, the decoder,
        the 'data' and 'readable' listeners (a Socket's reads may be doing so,
        see Socket._onread).  Nothing to do for other streams."""

    def _added(self, name: Any, prepend: bool) -> None:
        self._direct_reads_off()
        if prepend:
            return
        state = self._readableState
        if name == "data":
            # Node sets readableListening here but leaves clearing it to the
            # tick after a 'readable' listener goes (_update_readable_listening).
            flags = state.flags | DATA_LISTENING
            if "readable" in self._events:
                flags |= READABLE_LISTENING
            state.flags = flags
            if state.flowing is not False:
                self.resume()
        elif name == "readable":
            if not state.flags & END_EMITTED and not state.flags & READABLE_LISTENING:
                state.readableListening = state.needReadable = True
                state.flowing = False
                state.flags &= ~EMITTED_READABLE
                if state.length:
                    _emit_readable(self)
                elif not state.flags & READING:
                    self._next_tick(self.read, 0)

    def _removed(self, name: Any) -> None:
        # Node's Readable.removeListener: without 'readable' listeners the stream
        # may flow again.
        self._direct_reads_off()
        if name == "readable":
            self._next_tick(_update_readable_listening, self)
        elif name == "data" and "data" not in self._events:
            self._readableState.flags &= ~DATA_LISTENING

    def removeAllListeners(self, name: Any = None) -> Any:
        """Removes every listener (of one event); the flowing state follows, as in Node."""
        self._direct_reads_off()
        res = super().removeAllListeners(name)
        if name in ("readable", None):
            self._next_tick(_update_readable_listening, self)
        return res

    # -- properties -----------------------------------------------------------
    @property
    def readable(self) -> bool:
        """True while 'data' can still come (spec: readable.readable)."""
        r = self._readableState
        return (r.readable is not False and not r.flags & DESTROYED and not r.flags & ERROR_EMITTED
                and not r.flags & END_EMITTED)

    @readable.setter
    def readable(self, value: bool) -> None:
        self._readableState.readable = bool(value)

    @property
    def readableFlowing(self) -> bool | None:
        """None, True or False (spec: readable.readableFlowing)."""
        return self._readableState.flowing

    @readableFlowing.setter
    def readableFlowing(self, value: bool | None) -> None:
        self._direct_reads_off()
        self._readableState.flowing = value

    @property
    def readableLength(self) -> int:
        """Bytes (characters after setEncoding) buffered for reading."""
        return self._readableState.length

    @property
    def readableHighWaterMark(self) -> int:
        """The read side's high-water mark."""
        return self._readableState.highWaterMark

    @property
    def readableEnded(self) -> bool:
        """True once 'end' has been emitted."""
        return self._readableState.endEmitted

    @property
    def readableEncoding(self) -> str | None:
        """The encoding set with setEncoding(), if any."""
        return self._readableState.encoding

    @property
    def readableObjectMode(self) -> bool:
        """Whether the read side carries objects."""
        return self._readableState.objectMode

    @property
    def readableAborted(self) -> bool:
        """True when destroyed or errored before 'end' (never with readable=False)."""
        r = self._readableState
        return r.readable is not False and (r.destroyed or r.errored is not None) \
            and not r.flags & END_EMITTED

    @property
    def readableDidRead(self) -> bool:
        """True once 'data' has been emitted."""
        return self._readableState.dataEmitted

    def __aiter__(self) -> AsyncIterator[Any]:
        """``async for chunk in stream:`` (Node's ``for await``), with backpressure."""
        return _async_iterator(self)


def _readable_add_chunk(stream: Any, chunk: Any, encoding: str | None, add_to_front: bool) -> bool:
    state: ReadableState = stream._readableState
    err: BaseException | None = None
    if chunk is not None and not state.flags & OBJECT_MODE:
        if type(chunk) is bytes:  # what a socket pushes
            encoding = ""
        elif isinstance(chunk, str):
            encoding = encoding or state.defaultEncoding
            if state.encoding != encoding:
                data = _encoding.encode(chunk, _encoding.check(encoding))
                if add_to_front and state.encoding:
                    chunk = _encoding.Decoder(state.encoding).write(data)
                else:
                    chunk, encoding = data, ""
        elif isinstance(chunk, bytes):
            encoding = ""
        elif isinstance(chunk, (bytearray, memoryview)):
            chunk, encoding = bytes(chunk), ""
        else:
            err = errors.make("ERR_INVALID_ARG_TYPE", "chunk",
                              ["string", "Buffer", "TypedArray", "DataView"], chunk)
    if err is not None:
        _error_or_destroy(stream, err)
    elif chunk is None:
        state.flags &= ~READING
        _on_eof_chunk(stream, state)
    elif state.flags & OBJECT_MODE or len(chunk) > 0:
        if add_to_front:
            if state.flags & END_EMITTED:
                _error_or_destroy(stream, errors.make("ERR_STREAM_UNSHIFT_AFTER_END_EVENT"))
            elif state.flags & DESTROYED or state.errored is not None:
                return False
            else:
                _add_chunk(stream, state, chunk, True)
        elif state.flags & ENDED:
            _error_or_destroy(stream, errors.make("ERR_STREAM_PUSH_AFTER_EOF"))
        elif state.flags & DESTROYED or state.errored is not None:
            return False
        else:
            state.flags &= ~READING
            if state.decoder is not None and not encoding:
                chunk = state.decoder.write(chunk)
                if state.flags & OBJECT_MODE or len(chunk) != 0:
                    _add_chunk(stream, state, chunk, False)
                else:
                    _maybe_read_more(stream, state)
            else:
                _add_chunk(stream, state, chunk, False)
    elif not add_to_front:
        state.flags &= ~READING
        _maybe_read_more(stream, state)
    return not state.flags & ENDED and (state.length < state.highWaterMark or state.length == 0)


def _add_chunk(stream: Any, state: ReadableState, chunk: Any, add_to_front: bool) -> None:
    # Node tests its kDataListening bit, not the listeners: after
    # removeAllListeners('data') a flowing stream still emits, to nobody.
    if state.flowing and state.length == 0 and state.flags & _EMIT_AT_ONCE == DATA_LISTENING:
        # Flowing with nothing buffered: straight to the listeners.
        _clear_await_drain(state)
        state.flags |= DATA_EMITTED
        stream.emit("data", chunk)
    else:
        state.length += 1 if state.flags & OBJECT_MODE else len(chunk)
        buf = state.buffer
        if not buf:
            state.buffer = [chunk]
        elif add_to_front:
            buf.insert(0, chunk)
        else:
            buf.append(chunk)
        if state.flags & NEED_READABLE:
            _emit_readable(stream)
    _maybe_read_more(stream, state)


def _clear_await_drain(state: ReadableState) -> None:
    if state.flags & MULTI_AWAIT_DRAIN:
        state.awaitDrainWriters.clear()
    else:
        state.awaitDrainWriters = None


def _compute_new_high_water_mark(n: int) -> int:
    if n > _MAX_HWM:
        raise errors.make("ERR_OUT_OF_RANGE", "size", "<= 1GiB", n)
    # The next power of two, so that read(n) of a large n does not crawl.
    n -= 1
    for shift in (1, 2, 4, 8, 16):
        n |= n >> shift
    return n + 1


def _how_much_to_read(n: float, state: ReadableState) -> int:
    if n <= 0 or (state.length == 0 and state.flags & ENDED):
        return 0
    if state.flags & OBJECT_MODE:
        return 1
    if n != n:  # NaN: read() without a size
        if state.flowing and state.length:
            return len(state.buffer[0])
        return state.length
    if n <= state.length:
        return int(n)
    return state.length if state.flags & ENDED else 0


def _read(stream: Any, n: Any) -> Any:
    """Node's Readable.prototype.read."""
    state: ReadableState = stream._readableState
    flags = state.flags
    if n is None and not state.length:
        # What the steps below come to for read() with nothing buffered (every
        # turn of a flowing stream's flow()): at the end, 'end' is scheduled;
        # while _read() is still in progress, 'readable' bookkeeping re-armed.
        if flags & ENDED:
            state.flags = flags & ~EMITTED_READABLE
            _end_readable(stream)
            return None
        if flags & READING:
            state.flags = (flags & ~EMITTED_READABLE) | NEED_READABLE
            return None
    elif n == 0 and type(n) is int:
        return _read_zero(stream, state, flags)
    size: float
    if n is None:
        size = _NAN
    elif type(n) is int:
        size = n
    elif isinstance(n, bool) or not isinstance(n, (int, float)):
        try:
            size = int(str(n), 10)
        except ValueError:
            size = _NAN
    elif isinstance(n, float):
        # parseInt: a fraction truncates; Infinity is not a number to it.
        finite = n == n and n not in (_INF, -_INF)
        size = int(n) if finite else _NAN
    else:
        size = n
    n_orig = size
    if size == size and size > state.highWaterMark:
        state.highWaterMark = _compute_new_high_water_mark(int(size))
    if size != 0:
        state.flags &= ~EMITTED_READABLE
    if size == 0 and state.flags & NEED_READABLE and (
            (state.length >= state.highWaterMark if state.highWaterMark != 0
             else state.length > 0) or state.flags & ENDED):
        if state.length == 0 and state.flags & ENDED:
            _end_readable(stream)
        else:
            _emit_readable(stream)
        return None
    count = _how_much_to_read(size, state)
    if count == 0 and state.flags & ENDED:
        if state.length == 0:
            _end_readable(stream)
        return None
    do_read = state.flags & NEED_READABLE != 0
    if state.length == 0 or state.length - count < state.highWaterMark:
        do_read = True
    if state.flags & (ENDED | READING | DESTROYED | NOT_CONSTRUCTED) \
            or state.errored is not None:
        do_read = False
    elif do_read:
        state.flags |= READING | SYNC
        if state.length == 0:
            state.flags |= NEED_READABLE
        try:
            stream._read(state.highWaterMark)
        except Exception as e:  # noqa: BLE001 - Node: a throwing _read destroys the stream
            _error_or_destroy(stream, e)
        state.flags &= ~SYNC
        if not state.flags & READING:
            count = _how_much_to_read(n_orig, state)
    ret = _from_list(count, state) if count > 0 else None
    if ret is None:
        if state.length <= state.highWaterMark:
            state.flags |= NEED_READABLE
        count = 0
    else:
        state.length -= count
        _clear_await_drain(state)
    if state.length == 0:
        if not state.flags & ENDED:
            state.flags |= NEED_READABLE
        if n_orig != count and state.flags & ENDED:
            _end_readable(stream)
    if ret is not None and not state.flags & ERROR_EMITTED and not state.flags & CLOSE_EMITTED:
        state.flags |= DATA_EMITTED
        stream.emit("data", ret)
    return ret


def _read_zero(stream: Any, state: ReadableState, flags: int) -> None:
    """The steps of _read() above for read(0), which a socket's life makes four
    times (asking for data, on connect, after a chunk, at EOF), less those
    that cannot apply to a size of 0: nothing is taken from the buffer, no
    'data' is emitted, the high-water mark stays.  tests/test_stream.py runs
    both on the same states."""
    length = state.length
    hwm = state.highWaterMark
    if flags & NEED_READABLE and ((length >= hwm if hwm != 0 else length > 0) or flags & ENDED):
        if length == 0 and flags & ENDED:
            _end_readable(stream)
        else:
            _emit_readable(stream)
        return None
    if flags & ENDED:
        if length == 0:
            _end_readable(stream)
        return None
    may_read = not flags & (READING | DESTROYED | NOT_CONSTRUCTED) and state.errored is None
    if may_read and (flags & NEED_READABLE or length == 0 or length < hwm):
        state.flags = flags | READING | SYNC | (NEED_READABLE if length == 0 else 0)
        try:
            stream._read(hwm)
        except Exception as e:  # noqa: BLE001 - Node: a throwing _read destroys the stream
            _error_or_destroy(stream, e)
        state.flags &= ~SYNC
    # What the end of _read() does when it returns nothing (_read may have pushed).
    if state.length <= state.highWaterMark:
        state.flags |= NEED_READABLE
    return None


def _from_list(n: int, state: ReadableState) -> Any:
    buf = state.buffer
    if not buf:
        return None
    if state.flags & OBJECT_MODE:
        return buf.pop(0)
    if n >= state.length:
        if len(buf) == 1:
            ret = buf[0]
        else:
            ret = ("" if state.decoder is not None else b"").join(buf)
        buf.clear()
        return ret
    parts = []
    need = n
    while need:
        head = buf[0]
        if len(head) <= need:
            parts.append(buf.pop(0))
            need -= len(head)
        else:
            parts.append(head[:need])
            buf[0] = head[need:]
            need = 0
    return parts[0] if len(parts) == 1 else ("" if isinstance(parts[0], str) else b"").join(parts)


def _on_eof_chunk(stream: Any, state: ReadableState) -> None:
    if state.flags & ENDED:
        return
    if state.decoder is not None:
        tail = state.decoder.end()
        if tail:
            state.buffer = [*state.buffer, tail]
            state.length += 1 if state.objectMode else len(tail)
    state.flags |= ENDED
    if state.flags & SYNC:
        _emit_readable(stream)
    else:
        state.flags = (state.flags & ~NEED_READABLE) | EMITTED_READABLE
        _emit_readable_nt(stream)


def _emit_readable(stream: Any) -> None:
    state: ReadableState = stream._readableState
    state.flags &= ~NEED_READABLE
    if not state.flags & EMITTED_READABLE:
        state.flags |= EMITTED_READABLE
        stream._next_tick(_emit_readable_nt, stream)


def _emit_readable_nt(stream: Any) -> None:
    state: ReadableState = stream._readableState
    if not state.flags & DESTROYED and state.errored is None \
            and (state.length or state.flags & ENDED):
        stream.emit("readable")
        state.flags &= ~EMITTED_READABLE
    # Node sets needReadable here and never clears it: a flag set before the
    # 'readable' event survives an ended or full stream (and so an unshift()
    # after the last read() gets its 'readable').
    if not state.flowing and not state.flags & ENDED and state.length <= state.highWaterMark:
        state.flags |= NEED_READABLE
    _flow(stream)


def _maybe_read_more(stream: Any, state: ReadableState) -> None:
    if not state.flags & READING_MORE and not state.flags & NOT_CONSTRUCTED:
        state.flags |= READING_MORE
        stream._next_tick(_maybe_read_more_nt, stream, state)


def _maybe_read_more_nt(stream: Any, state: ReadableState) -> None:
    # Fill the buffer up to the high-water mark while nobody reads, so that a
    # read() later finds data; stop as soon as _read() produces nothing new.
    while not state.flags & READING and not state.flags & ENDED and (
            state.length < state.highWaterMark or (state.flowing and state.length == 0)):
        length = state.length
        stream.read(0)
        if length == state.length:
            break
    state.flags &= ~READING_MORE


def _update_readable_listening(stream: Any) -> None:
    state: ReadableState = stream._readableState
    state.readableListening = stream.listenerCount("readable") > 0
    if state.resumeScheduled and state.paused is False:
        state.flowing = True
    elif state.flags & DATA_LISTENING:
        stream.resume()
    elif not state.flags & READABLE_LISTENING:
        state.flowing = None


def _resume_nt(stream: Any, state: ReadableState) -> None:
    if not state.flags & READING:
        stream.read(0)
    state.flags &= ~RESUME_SCHEDULED
    if "resume" in stream._events or not stream._plain_emit:
        stream.emit("resume")
    _flow(stream)
    if state.flowing and not state.flags & READING:
        stream.read(0)


def _flow(stream: Any) -> None:
    state: ReadableState = stream._readableState
    while state.flowing and stream.read() is not None:
        pass


def _end_readable(stream: Any) -> None:
    state: ReadableState = stream._readableState
    if not state.flags & END_EMITTED:
        state.flags |= ENDED
        stream._next_tick(_end_readable_nt, state, stream)


def _end_readable_nt(state: ReadableState, stream: Any) -> None:
    if state.errored is None and not state.flags & CLOSE_EMITTED and not state.flags & END_EMITTED \
            and state.length == 0:
        state.flags |= END_EMITTED
        stream.emit("end")
        w: WritableState | None = getattr(stream, "_writableState", None)
        if w is not None and stream.writable and getattr(stream, "allowHalfOpen", True) is False:
            stream._next_tick(_end_writable_nt, stream)
        elif not state.flags & NO_AUTO_DESTROY:
            # A duplex is destroyed only once its writable side is done too.
            if w is None or (not w.flags & NO_AUTO_DESTROY and (
                    w.flags & FINISHED or w.flags & (WRITABLE_SET | WRITABLE) == WRITABLE_SET)):
                stream.destroy()


def _end_writable_nt(stream: Any) -> None:
    if stream.writable and not stream.writableEnded and not stream.destroyed:
        stream.end()


def _pipe(src: Readable, dest: Any, opts: dict[str, Any]) -> Any:
    """Node's Readable.prototype.pipe."""
    state = src._readableState
    if len(state.pipes) == 1 and not state.flags & MULTI_AWAIT_DRAIN:
        state.flags |= MULTI_AWAIT_DRAIN
        state.awaitDrainWriters = set([state.awaitDrainWriters]
                                      if state.awaitDrainWriters is not None else [])
    state.pipes = [*state.pipes, dest]
    do_end = opts.get("end") is not False
    ondrain: _Callback | None = None
    cleaned_up = False

    def onend(*_: Any) -> None:
        dest.end()

    def unpipe(*_: Any) -> None:
        src.unpipe(dest)

    end_fn = onend if do_end else unpipe
    if state.flags & END_EMITTED:
        src._next_tick(end_fn)
    else:
        src.once("end", end_fn)

    def onunpipe(readable: Any, info: dict[str, Any] | None = None) -> None:
        if readable is src and info is not None and info.get("hasUnpiped") is False:
            info["hasUnpiped"] = True
            cleanup()

    def cleanup() -> None:
        nonlocal cleaned_up
        dest.removeListener("close", onclose)
        dest.removeListener("finish", onfinish)
        if ondrain is not None:
            dest.removeListener("drain", ondrain)
        dest.removeListener("error", onerror)
        dest.removeListener("unpipe", onunpipe)
        src.removeListener("end", onend)
        src.removeListener("end", unpipe)
        src.removeListener("data", ondata)
        cleaned_up = True
        w = getattr(dest, "_writableState", None)
        # JavaScript truth: a Set is true even when empty.
        if ondrain is not None and state.awaitDrainWriters is not None \
                and (w is None or w.flags & NEED_DRAIN):
            ondrain()

    def pause() -> None:
        nonlocal ondrain
        if not cleaned_up:
            if len(state.pipes) == 1 and state.pipes[0] is dest:
                state.awaitDrainWriters = dest
                state.flags &= ~MULTI_AWAIT_DRAIN
            elif len(state.pipes) > 1 and dest in state.pipes:
                state.awaitDrainWriters.add(dest)
            src.pause()
        if ondrain is None:
            ondrain = _pipe_on_drain(src, dest)
            dest.on("drain", ondrain)

    def ondata(chunk: Any) -> None:
        if dest.write(chunk) is False:
            pause()

    def onerror(er: BaseException) -> None:
        unpipe()
        dest.removeListener("error", onerror)
        if dest.listenerCount("error") == 0:
            s = getattr(dest, "_writableState", None) or getattr(dest, "_readableState", None)
            if s is not None and not s.errorEmitted:
                _error_or_destroy(dest, er)
            else:
                dest.emit("error", er)

    def onclose(*_: Any) -> None:
        dest.removeListener("finish", onfinish)
        unpipe()

    def onfinish(*_: Any) -> None:
        dest.removeListener("close", onclose)
        unpipe()

    dest.on("unpipe", onunpipe)
    src.on("data", ondata)
    dest.prependListener("error", onerror)
    dest.once("close", onclose)
    dest.once("finish", onfinish)
    dest.emit("pipe", src)
    if getattr(dest, "writableNeedDrain", False) is True:
        pause()
    elif not state.flowing:
        src.resume()
    return dest


def _pipe_on_drain(src: Readable, dest: Any) -> _Callback:
    def on_drain(*_: Any) -> None:
        state = src._readableState
        if state.awaitDrainWriters is dest:
            state.awaitDrainWriters = None
        elif state.flags & MULTI_AWAIT_DRAIN:
            state.awaitDrainWriters.discard(dest)
        waiting = state.awaitDrainWriters  # None, one destination or a set of them
        if (waiting is None or (type(waiting) is set and not waiting)) \
                and state.flags & DATA_LISTENING:
            src.resume()
    return on_drain


async def _async_iterator(stream: Any) -> AsyncIterator[Any]:
    """Node's createAsyncIterator: 'readable' + read(), ending at 'end', raising 'error'.

    Leaving the loop early (break, an exception) destroys the stream, as in Node.
    """
    loop = asyncio.get_running_loop()
    waiter: list[asyncio.Future[None]] = []
    error: list[BaseException | None] = []  # [] running, [None] ended, [err] failed

    def wake(*_: Any) -> None:
        while waiter:
            fut = waiter.pop()
            if not fut.done():
                fut.set_result(None)

    def finished(err: BaseException | None) -> None:
        if not error:
            error.append(err)
        wake()

    stream.on("readable", wake)
    cleanup = _eos_readable(stream, finished)
    try:
        while True:
            chunk = None if stream.destroyed else stream.read()
            if chunk is not None:
                yield chunk
            elif error and error[0] is not None:
                raise error[0]
            elif error:
                return
            else:
                fut = loop.create_future()
                waiter.append(fut)
                await fut
    finally:
        stream.removeListener("readable", wake)
        cleanup()
        if not error or stream._readableState.autoDestroy:
            stream.destroy()


def _eos_readable(stream: Any, callback: Callable[[BaseException | None], None]) -> _Callback:
    """Node's finished(stream, {writable: false}): the read side ended, errored or closed."""
    state: ReadableState = stream._readableState

    def on_end(*_: Any) -> None:
        callback(None)

    def on_error(err: BaseException) -> None:
        callback(err)

    def on_close(*_: Any) -> None:
        if state.errored is not None:
            callback(state.errored)
        elif not state.flags & END_EMITTED:
            callback(errors.make("ERR_STREAM_PREMATURE_CLOSE"))
        else:
            callback(None)

    stream.on("end", on_end)
    stream.on("error", on_error)
    stream.on("close", on_close)
    if state.errored is not None:
        stream._next_tick(callback, state.errored)
    elif state.flags & END_EMITTED:
        stream._next_tick(callback, None)
    elif state.flags & CLOSE_EMITTED:
        stream._next_tick(on_close)

    def cleanup() -> None:
        stream.removeListener("end", on_end)
        stream.removeListener("error", on_error)
        stream.removeListener("close", on_close)
    return cleanup


# ---------------------------------------------------------------------------
# Writable

class _WritableSide(_StreamBase):
    """The Writable half, shared by Writable and Duplex (Node copies these methods)."""

    _writableState: WritableState

    # Node's Writable.prototype.destroy, which its Duplex (and so net.Socket) shares.
    def destroy(self, error: BaseException | None = None, cb: _Callback | None = None) -> Any:
        """Destroys the stream; pending write callbacks get ERR_STREAM_DESTROYED."""
        state = self._writableState
        if not state.flags & DESTROYED and (state.bufferedIndex < len(state.buffered)
                                            or state.onFinished):
            self._next_tick(_error_buffer, state)
        return _destroy(self, error, cb)

    def write(self, chunk: Any, encoding: Any = None, cb: _Callback | None = None) -> bool:
        """Writes ``chunk``; False once the buffer reaches the high-water mark."""
        return _write(self, chunk, encoding, cb) is True

    def _write(self, chunk: Any, encoding: str, cb: _Callback) -> None:
        if self._writev is not None:
            self._writev([{"chunk": chunk, "encoding": encoding}], cb)
            return
        raise errors.make("ERR_METHOD_NOT_IMPLEMENTED", "_write()")

    _writev: Callable[[list[dict[str, Any]], _Callback], None] | None = None
    _final: Callable[[_Callback], None] | None = None

    def _direct_writes_off(self) -> None:
        """Called before anything changes what decides whether a plain write can
        go straight to the handle: a write that takes Node's path, cork(),
        end(), destroy() (a Socket's writes may be doing so, see Socket.write).
        An error kept without destroying would too, but a socket always
        destroys (autoDestroy is forced on, as in Node).  Nothing to do for
        other streams."""

    def end(self, chunk: Any = None, encoding: Any = None, cb: _Callback | None = None) -> Any:
        """Writes ``chunk`` (if any), then finishes: 'finish' once everything is out."""
        return _end(self, chunk, encoding, cb)

    def cork(self) -> None:
        """Buffers writes until uncork(), so they go out together (spec: writable.cork())."""
        self._direct_writes_off()
        self._writableState.corked += 1

    def uncork(self) -> None:
        """Undoes one cork(); the buffered writes go out when none is left."""
        state = self._writableState
        if state.corked:
            state.corked -= 1
            if not state.flags & WRITING:
                _clear_buffer(self, state)

    def setDefaultEncoding(self, encoding: str) -> Any:
        """The encoding of str chunks written without one."""
        enc = _encoding.normalize(encoding) if isinstance(encoding, str) else None
        if enc is None:
            raise errors.make("ERR_UNKNOWN_ENCODING", encoding)
        self._writableState.defaultEncoding = enc
        return self

    def _onwrite(self, er: BaseException | None = None) -> None:
        _onwrite(self, er)

    def _write_after_end_error(self) -> BaseException:
        return errors.make("ERR_STREAM_WRITE_AFTER_END")

    @property
    def writable(self) -> bool:
        """True until end(), destroy() or an error (spec: writable.writable)."""
        w = self._writableState
        return (w.writable is not False and not w.flags & DESTROYED and w.errored is None
                and not w.flags & ENDING and not w.flags & ENDED)

    @writable.setter
    def writable(self, value: bool) -> None:
        self._writableState.writable = bool(value)

    @property
    def writableLength(self) -> int:
        """Bytes written and not yet flushed (spec: writable.writableLength)."""
        return self._writableState.length

    @property
    def writableHighWaterMark(self) -> int:
        """The write side's high-water mark."""
        return self._writableState.highWaterMark

    @property
    def writableEnded(self) -> bool:
        """True once end() has been called."""
        return self._writableState.ending

    @property
    def writableFinished(self) -> bool:
        """True once 'finish' has been emitted."""
        return self._writableState.finished

    @property
    def writableNeedDrain(self) -> bool:
        """True when write() said False and 'drain' has not come yet."""
        w = self._writableState
        return not w.flags & DESTROYED and not w.flags & ENDING and w.flags & NEED_DRAIN != 0

    @property
    def writableCorked(self) -> int:
        """How many uncork() calls are needed to flush."""
        return self._writableState.corked

    @property
    def writableObjectMode(self) -> bool:
        """Whether the write side carries objects."""
        return self._writableState.objectMode

    @property
    def writableAborted(self) -> bool:
        """True when destroyed or errored before 'finish' (never with writable=False)."""
        w = self._writableState
        return w.writable is not False and (w.destroyed or w.errored is not None) \
            and not w.flags & FINISHED

    @property
    def writableBuffer(self) -> list[dict[str, Any]]:
        """The writes waiting behind the one being written, each as Node gives
        it: ``{"chunk": ..., "encoding": ..., "callback": ...}``."""
        w = self._writableState
        return [{"chunk": c, "encoding": e, "callback": cb}
                for c, e, cb in w.buffered[w.bufferedIndex:]]


class Writable(_WritableSide):
    """Node's ``stream.Writable``."""

    def __init__(self, options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        opts = _options(options, kwargs)
        self._writableState = WritableState(opts, False)
        _init_writable_hooks(self, opts)
        self._init_base(opts)


def _init_writable_hooks(stream: Any, opts: dict[str, Any]) -> None:
    for key in ("write", "writev", "final"):
        fn = opts.get(key)
        if callable(fn):
            setattr(stream, "_" + key, fn)


def _write(stream: Any, chunk: Any, encoding: Any, cb: Any) -> Any:
    """Node's _write(): validate, then write or buffer; an Error when refused."""
    state: WritableState = stream._writableState
    stream._direct_writes_off()
    if callable(encoding):
        cb, encoding = encoding, None
    elif not callable(cb):
        cb = _nop
    if chunk is None:
        raise errors.make("ERR_STREAM_NULL_VALUES")
    flags = state.flags
    # An object-mode stream hands the encoding on as given, unchecked (None
    # when there was none), as Node does.
    if not flags & OBJECT_MODE:
        if not encoding:
            encoding = state.defaultEncoding
        elif encoding != "buffer" and _encoding.normalize(encoding) is None:
            raise errors.make("ERR_UNKNOWN_ENCODING", encoding)
        if isinstance(chunk, str):
            if not flags & NO_DECODE_STRINGS:
                chunk = _encoding.encode(chunk, _encoding.check(encoding))
                encoding = "buffer"
        elif isinstance(chunk, (bytes, bytearray, memoryview)):
            encoding = "buffer"
        else:
            raise errors.make("ERR_INVALID_ARG_TYPE", "chunk",
                              ["string", "Buffer", "TypedArray", "DataView"], chunk)
    err: BaseException | None = None
    if flags & ENDING:
        err = stream._write_after_end_error()
    elif flags & DESTROYED:
        err = errors.make("ERR_STREAM_DESTROYED", "write")
    if err is not None:
        stream._next_tick(cb, err)
        _error_or_destroy(stream, err, True)
        return err
    state.pendingcb += 1
    return _write_or_buffer(stream, state, chunk, encoding, cb)


def _write_or_buffer(stream: Any, state: WritableState, chunk: Any, encoding: str,
                     cb: _Callback) -> bool:
    flags = state.flags
    n = 1 if flags & OBJECT_MODE else _chunk_len(chunk)
    state.length += n
    if flags & (WRITING | NOT_CONSTRUCTED) or state.corked \
            or state.errored is not None:
        if state.buffered:
            state.buffered.append([chunk, encoding, cb])
        else:
            state.buffered = [[chunk, encoding, cb]]
        if encoding != "buffer":
            flags |= NOT_ALL_BUFFERS
        if cb is not _nop:
            flags |= NOT_ALL_NOOP
        state.flags = flags
    else:
        state.writelen = n
        state.writecb = cb
        state.flags = flags | WRITING | SYNC
        stream._write(chunk, encoding, stream._onwrite)
        state.flags &= ~SYNC
    # Node 20.20 measures after the write: one that completed at once left
    # nothing behind, whatever its size, and says true.
    return _write_result(state)


def _write_result(state: WritableState) -> bool:
    """What write() returns, from what is still held once the write is handed on."""
    length = state.length
    if length < state.highWaterMark or length == 0:
        return state.errored is None and not state.flags & DESTROYED
    state.flags |= NEED_DRAIN
    return False


def _do_write(stream: Any, state: WritableState, writev: bool, n: int, chunk: Any,
              encoding: str, cb: _Callback) -> None:
    state.writelen = n
    state.writecb = cb
    flags = state.flags = state.flags | WRITING | SYNC
    if flags & DESTROYED:
        stream._onwrite(errors.make("ERR_STREAM_DESTROYED", "write"))
    elif writev:
        stream._writev(chunk, stream._onwrite)
    else:
        stream._write(chunk, encoding, stream._onwrite)
    state.flags &= ~SYNC


def _onwrite(stream: Any, er: BaseException | None = None) -> None:
    """Node's onwrite: the callback every _write()/_writev() gets."""
    state: WritableState = stream._writableState
    sync = state.flags & SYNC
    cb = state.writecb
    if cb is None:
        _error_or_destroy(stream, errors.make("ERR_MULTIPLE_CALLBACK"))
        return
    state.flags &= ~WRITING
    state.writecb = None
    state.length -= state.writelen
    state.writelen = 0
    if er is not None:
        if state.errored is None:
            state.errored = er
        r = getattr(stream, "_readableState", None)
        if r is not None and r.errored is None:
            r.errored = er
        if sync:
            stream._next_tick(_onwrite_error, stream, state, er, cb)
        else:
            _onwrite_error(stream, state, er, cb)
        return
    if len(state.buffered) > state.bufferedIndex:
        _clear_buffer(stream, state)
    if sync:
        _after_sync_write(stream, state, cb)
    else:
        _after_write(stream, state, 1, cb)


def _after_sync_write(stream: Any, state: WritableState, cb: _Callback) -> None:
    """Node 20.20's onwrite for a write that completed synchronously.

    afterWrite goes to the next tick only when there is something to do there:
    a 'drain' owed, a callback to call (coalesced with those of the other
    synchronous writes with the same callback), or an object-mode stream (Node's
    test is ``kState & kDestroyed !== 0``, which JavaScript reads as ``kState &
    true``, the object-mode bit; kept as it behaves).  Otherwise the write is
    simply done.
    """
    flags = state.flags
    if cb is _nop:
        if not flags & AFTER_WRITE_PENDING and (
                (flags & NEED_DRAIN and state.length == 0) or flags & OBJECT_MODE):
            state.flags = flags | AFTER_WRITE_PENDING
            stream._next_tick(_after_write, stream, state, 1, cb)
            return
        state.pendingcb -= 1
        if flags & ENDING:
            _finish_maybe(stream, state, True)
        return
    info = state.afterWriteTickInfo
    if info is not None and info[1] is cb:
        info[0] += 1
    else:
        info = state.afterWriteTickInfo = [1, cb]
        state.flags = flags | AFTER_WRITE_PENDING
        stream._next_tick(_after_write_tick, stream, state, info)


def _onwrite_error(stream: Any, state: WritableState, er: BaseException, cb: _Callback) -> None:
    state.pendingcb -= 1
    cb(er)
    _error_buffer(state)
    _error_or_destroy(stream, er)


def _after_write_tick(stream: Any, state: WritableState, info: list[Any]) -> None:
    state.afterWriteTickInfo = None
    _after_write(stream, state, info[0], info[1])


def _after_write(stream: Any, state: WritableState, count: int, cb: _Callback) -> None:
    flags = state.flags & ~AFTER_WRITE_PENDING
    if flags & (ENDING | DESTROYED | NEED_DRAIN) == NEED_DRAIN and state.length == 0:
        state.flags = flags & ~NEED_DRAIN
        stream.emit("drain")
    else:
        state.flags = flags
    if cb is _nop:
        state.pendingcb -= count
    else:
        while count > 0:  # one by one, pendingcb counting down as Node's does
            count -= 1
            state.pendingcb -= 1
            cb(None)
    flags = state.flags
    if flags & DESTROYED:
        _error_buffer(state)
    if flags & ENDING:  # otherwise there is nothing to finish
        _finish_maybe(stream, state, True)


def _error_buffer(state: WritableState) -> None:
    """Every buffered write and end() callback fails: the stream is gone."""
    if state.flags & WRITING:
        return
    for chunk, _enc, callback in state.buffered[state.bufferedIndex:]:
        state.length -= 1 if state.objectMode else _chunk_len(chunk)
        callback(state.errored or errors.make("ERR_STREAM_DESTROYED", "write"))
    callbacks, state.onFinished = state.onFinished, NO_ITEMS
    for callback in callbacks:
        callback(state.errored or errors.make("ERR_STREAM_DESTROYED", "end"))
    state.reset_buffer()


def _clear_buffer(stream: Any, state: WritableState) -> None:
    if state.corked or state.flags & (BUFFER_PROCESSING | DESTROYED | NOT_CONSTRUCTED):
        return
    buffered = state.buffered
    i = state.bufferedIndex
    count = len(buffered) - i
    if not count:
        return
    state.flags |= BUFFER_PROCESSING
    if count > 1 and stream._writev is not None:
        state.pendingcb -= count - 1
        entries = buffered[i:]
        if not state.flags & NOT_ALL_NOOP:
            callback: _Callback = _nop
        else:
            def callback(err: BaseException | None = None) -> None:
                for entry in entries:
                    entry[2](err)
        chunks = [{"chunk": c, "encoding": e} for c, e, _cb in entries]
        # Node empties the buffer after the call: a _writev() that completes at
        # once finds it still full, so finishing waits for the outer onwrite.
        # (A write made inside _writev() before its callback is dropped with
        # the rest, in Node as here.)
        _do_write(stream, state, True, state.length, chunks, "", callback)
        state.reset_buffer()
    else:
        while True:
            chunk, encoding, callback = buffered[i]
            buffered[i] = None
            i += 1
            n = 1 if state.objectMode else _chunk_len(chunk)
            _do_write(stream, state, False, n, chunk, encoding, callback)
            if i >= len(buffered) or state.flags & WRITING:
                break
        if i == len(buffered):
            state.reset_buffer()
        elif i > 256:
            del buffered[:i]
            state.bufferedIndex = 0
        else:
            state.bufferedIndex = i
    state.flags &= ~BUFFER_PROCESSING


def _end(stream: Any, chunk: Any, encoding: Any, cb: Any) -> Any:
    """Node's Writable.prototype.end."""
    state: WritableState = stream._writableState
    stream._direct_writes_off()
    if callable(chunk):
        cb, chunk, encoding = chunk, None, None
    elif callable(encoding):
        cb, encoding = encoding, None
    err: BaseException | None = None
    if chunk is not None:
        ret = _write(stream, chunk, encoding, None)
        if isinstance(ret, BaseException):
            err = ret
    if state.corked:
        state.corked = 1
        stream.uncork()
    if err is not None:
        pass
    elif state.errored is None and not state.flags & ENDING:
        # ending first, then finish: end() inside a 'finish' handler sees it finished.
        state.flags |= ENDING
        _finish_maybe(stream, state, True)
        state.flags |= ENDED
    elif state.flags & FINISHED:
        err = errors.make("ERR_STREAM_ALREADY_FINISHED", "end")
    elif state.flags & DESTROYED:
        err = errors.make("ERR_STREAM_DESTROYED", "end")
    if callable(cb):
        if err is None and state.errored is not None:
            err = state.errored  # Node 20.20: an errored stream answers on the next tick
        if err is not None or state.flags & FINISHED:
            stream._next_tick(cb, err)
        else:
            state.onFinished = [*state.onFinished, cb]
    return stream


# Finishing takes ending, and none of the other bits of the mask.
_FINISH_MASK = (ENDING | NOT_CONSTRUCTED | DESTROYED | FINISHED | WRITING | ERROR_EMITTED
                | CLOSE_EMITTED)


def _need_finish(state: WritableState) -> bool:
    return (state.flags & _FINISH_MASK == ENDING and state.length == 0
            and state.errored is None and not state.buffered)


def _call_final(stream: Any, state: WritableState) -> None:
    called = False

    def on_finish(err: BaseException | None = None) -> None:
        nonlocal called
        if called:
            _error_or_destroy(stream, errors.make("ERR_MULTIPLE_CALLBACK"))
            return
        called = True
        state.pendingcb -= 1
        if err is not None:
            callbacks, state.onFinished = state.onFinished, NO_ITEMS
            for callback in callbacks:
                callback(err)
            _error_or_destroy(stream, err, state.sync)
        elif _need_finish(state):
            state.flags |= PREFINISHED
            stream.emit("prefinish")
            state.pendingcb += 1
            stream._next_tick(_finish, stream, state)

    state.flags |= SYNC
    state.pendingcb += 1
    try:
        stream._final(on_finish)
    except Exception as e:  # noqa: BLE001 - Node routes a throwing _final to its callback
        on_finish(e)
    state.flags &= ~SYNC


def _prefinish(stream: Any, state: WritableState) -> None:
    if not state.flags & PREFINISHED and not state.flags & FINAL_CALLED:
        if stream._final is not None and not state.flags & DESTROYED:
            state.flags |= FINAL_CALLED
            _call_final(stream, state)
        else:
            state.flags |= PREFINISHED
            stream.emit("prefinish")


def _finish_maybe(stream: Any, state: WritableState, sync: bool = False) -> None:
    if _need_finish(state):
        _prefinish(stream, state)
        if state.pendingcb == 0:
            if sync:
                state.pendingcb += 1
                stream._next_tick(_finish_if_needed, stream, state)
            elif _need_finish(state):
                state.pendingcb += 1
                _finish(stream, state)


def _finish_if_needed(stream: Any, state: WritableState) -> None:
    if _need_finish(state):
        _finish(stream, state)
    else:
        state.pendingcb -= 1


def _finish(stream: Any, state: WritableState) -> None:
    state.pendingcb -= 1
    state.flags |= FINISHED
    callbacks, state.onFinished = state.onFinished, NO_ITEMS
    for callback in callbacks:
        callback(None)
    stream.emit("finish")
    if not state.flags & NO_AUTO_DESTROY:
        r: ReadableState | None = getattr(stream, "_readableState", None)
        # A duplex is destroyed only once its readable side has ended too.
        if r is None or (not r.flags & NO_AUTO_DESTROY and (
                r.flags & END_EMITTED or r.flags & (READABLE_SET | READABLE) == READABLE_SET)):
            stream.destroy()


# ---------------------------------------------------------------------------
# Duplex

class Duplex(Readable, _WritableSide):
    """Node's ``stream.Duplex``: a Readable and a Writable in one object."""

    def __init__(self, options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self._init_duplex(_options(options, kwargs))

    def _init_duplex(self, opts: dict[str, Any]) -> None:
        """The constructor's work on options already in Node's camelCase (a subclass
        that normalised them itself, like Socket, calls this directly)."""
        EventEmitter.__init__(self)
        self._readableState = ReadableState(opts, True)
        self._writableState = WritableState(opts, True)
        if callable(opts.get("read")):
            self._read = opts["read"]  # type: ignore[method-assign]
        _init_writable_hooks(self, opts)
        self.allowHalfOpen = opts.get("allowHalfOpen", True) is not False
        if opts.get("readable") is False:
            r = self._readableState
            r.readable = False
            r.ended = r.endEmitted = True
        if opts.get("writable") is False:
            w = self._writableState
            w.writable = False
            w.ending = w.ended = w.finished = True
        self._init_base(opts)

    @property
    def writableAborted(self) -> None:  # type: ignore[override]
        """None, as ``undefined`` in Node: its Duplex copies the other writable*
        properties from Writable but not this one, so every Duplex and every
        net.Socket there answers undefined (Node 20; still so on Node's main)."""
        return None


class PassThrough(Duplex):
    """Node's ``stream.PassThrough``: what is written comes out unchanged."""

    def _read(self, n: int) -> None:
        return None

    def _write(self, chunk: Any, encoding: str, cb: _Callback) -> None:
        self.push(chunk, encoding if isinstance(chunk, str) else None)
        cb()

    def _final(self, cb: _Callback) -> None:
        self.push(None)
        cb()
