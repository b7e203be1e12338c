"""``net.Socket``: a ``stream.Duplex`` on one libuv stream handle.

The Readable/Writable state machines are ``stream.py``'s; this module is
Node's net.js part: connect, ``_read``/``_write``/``_writev``/``_final``/
``_destroy`` on the handle, timeouts, addresses.  Two shortcuts take the
branch Node's streams would take, without the walk through them: a flowing
socket with an empty buffer emits 'data' straight from the read upcall (and
then has the shim call its one 'data' listener itself, until something that
decides this changes: ``_direct_reads_off``), and a write with nothing
buffered, corked or in flight goes straight to the C ``pynet_write`` (and
once one has gone out whole, the next ones skip those tests, until something
that decides them changes: ``_direct_writes_off``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _connect, _encoding, _loop, errors
from . import _validators as v
from ._dns import validate_lookup_options
from ._ffi import lib
from ._ffi import pynet_read_to as _read_to
from ._ffi import pynet_socket_write as _pynet_socket_write
from ._ffi import pynet_write as _pynet_write
from ._ip import isIP
from ._names import options as _options
from ._names import stored
from ._pipe import Pipe
from ._stream import StreamHandle
from ._stream_state import (
    DATA_EMITTED,
    DATA_LISTENING,
    DEFAULT_HWM,
    DESTROYED,
    END_EMITTED,
    ENDING,
    NEED_DRAIN,
    NEED_READABLE,
    NO_DECODE_STRINGS,
    NO_EMIT_CLOSE,
    READING,
    SYNC,
    WRITING,
    ReadableState,
    WritableState,
    _high_water_mark,
)
from ._tcp import TCP
from ._timers import TimerHandle
from ._types import AddressInfo
from .abort import abort_error, validate_abort_signal
from .blocklist import BlockList
from .stream import Duplex, _chunk_len, _clear_await_drain, _nop, _write_result
from .stream import _read as _readable_read
from .stream import _write as _write_public

if TYPE_CHECKING:
    from .server import Server

__all__ = ["Socket", "normalize_args"]

_UV_EOF = lib.UV_EOF
# A write can go straight to C only when none of these is set.
_WRITE_BUSY = WRITING | ENDING | DESTROYED | NEED_DRAIN
# A read can go straight to the 'data' listener when, of these bits, exactly
# DATA_LISTENING and DATA_EMITTED are set: Node's addChunk test (less the
# flowing/length part), past the first chunk, which push() emits and marks.
_READ_STRAIGHT_MASK = SYNC | DATA_LISTENING | DATA_EMITTED
_READ_STRAIGHT = DATA_LISTENING | DATA_EMITTED
_Callback = Callable[..., Any] | None


def normalize_args(args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> tuple[dict[str, Any], _Callback]:
    """Node's normalizeArgs for connect()/listen(): (options, callback)."""
    if not args:
        return _options(None, kwargs), None
    arg0 = args[0]
    opts: dict[str, Any]
    if isinstance(arg0, dict):
        opts = _options(arg0, kwargs)
    elif hasattr(arg0, "_handle") and not isinstance(arg0, (str, int, float)):
        opts = _options({"handle": arg0}, kwargs)  # listen(handle): a Server or Socket
    elif _is_pipe_name(arg0):
        opts = _options({"path": arg0}, kwargs) if kwargs else {"path": arg0}
    else:
        opts = _options({"port": arg0}, kwargs) if kwargs else {"port": arg0}
        if len(args) > 1 and isinstance(args[1], str):
            opts["host"] = args[1]
    # A trailing callable is the callback (listen(cb) too: Node then makes the port 0).
    cb = args[-1] if callable(args[-1]) else None
    return opts, cb


class _NormalizedArgs:
    """connect()'s arguments that normalize_args already made (net.connect's):
    Socket.connect takes them as they are, as Node's connect() does with an
    argument array marked by its normalizedArgsSymbol."""

    __slots__ = ("options", "callback")

    def __init__(self, options: dict[str, Any], callback: _Callback) -> None:
        self.options = options
        self.callback = callback


def _is_pipe_name(value: Any) -> bool:
    """Node's isPipeName: a string that is not a non-negative number."""
    return isinstance(value, str) and not (v.to_number(value) >= 0)


# Every option Socket's constructor reads, with the Duplex's and the stream
# states' under it, except the three it overrides whatever they say (emitClose,
# autoDestroy, decodeStrings).  Options that set none of these make a socket
# in one step (Socket._init_fresh); tests/test_socket_stream.py reads the
# constructors' source to keep this list whole.
_CONSTRUCTOR_OPTIONS = frozenset({
    "objectMode", "readableObjectMode", "writableObjectMode", "signal", "blockList", "handle",
    "fd", "allowHalfOpen", "noDelay", "keepAlive", "keepAliveInitialDelay", "onread",
    "pauseOnCreate", "manualStart", "readable", "writable", "highWaterMark",
    "readableHighWaterMark", "writableHighWaterMark", "defaultEncoding", "encoding", "read",
    "write", "writev", "final", "destroy",
})


class Socket(Duplex):
    """Node's ``net.Socket`` (spec: "Class: net.Socket"): a Duplex on one libuv stream."""

    # The write gate (see _init_socket) is a slot: Socket.write in C reads it
    # at a fixed offset, where the instance dict would cost a generic getattr
    # (a tenth of an echoed request).  Every other attribute stays in the
    # dict, as user subclasses expect.
    __slots__ = ("_write_gate",)

    def __init__(self, options: dict[str, Any] | int | None = None, **kwargs: Any) -> None:
        if isinstance(options, int) and not isinstance(options, bool):
            options = {"fd": options}  # Node's legacy Socket(fd)
        opts = _options(options, kwargs)
        if opts.keys().isdisjoint(_CONSTRUCTOR_OPTIONS):
            # What the steps below come to when none of their options is given:
            # every net.connect(), whose options are the connection's.
            self._init_fresh(_loop.current(), DEFAULT_HWM, False)
            return
        for key in ("objectMode", "readableObjectMode", "writableObjectMode"):
            if opts.get(key):
                raise errors.make("ERR_INVALID_ARG_VALUE", f"options.{key}", opts[key],
                                  "is not supported")
        self._loop = _loop.current()
        signal = opts.pop("signal", None)
        if signal is not None:
            validate_abort_signal(signal, "options.signal")
        block_list = opts.get("blockList")
        if block_list is not None and not BlockList.isBlockList(block_list):
            raise errors.make("ERR_INVALID_ARG_TYPE", "options.blockList", "net.BlockList",
                              block_list)
        handle = opts.get("handle")
        fd = opts.get("fd")
        if handle is None and fd is not None:
            handle = _handle_for_fd(self._loop, fd)  # validates; raises before any state
        # Node's Socket: no half-open unless asked, 'close' comes from the handle.
        opts["allowHalfOpen"] = bool(opts.get("allowHalfOpen", False))
        opts["emitClose"] = False
        opts["autoDestroy"] = True
        # Strings are kept as strings until written, and count their length in
        # UTF-16 code units against the high-water mark.
        opts["decodeStrings"] = False
        self._init_duplex(opts)
        self._init_socket()
        if block_list is not None:
            self._blockList = block_list
        if opts.get("noDelay"):
            self._set_no_delay = True
        if opts.get("keepAlive"):
            self._set_keep_alive = True
        if opts.get("keepAliveInitialDelay"):
            self._keep_alive_delay = _keep_alive_seconds(opts["keepAliveInitialDelay"])
        if opts.get("onread") is not None:
            self._onread_buf, self._onread_cb, self._onread_gen = _onread_option(opts["onread"])
        self.on("end", self._on_readable_stream_end)
        if handle is not None:
            self._attach(handle)
            if opts.get("readable") is not False:
                if opts.get("pauseOnCreate"):
                    self._pause_on_create(handle)
                elif not opts.get("manualStart"):
                    self.read(0)
        if signal is not None:
            _add_abort_signal_later(self, signal)

    def _init_socket(self) -> None:
        """What every socket sets after the Duplex's state, in this order (see below)."""
        self._handle: StreamHandle | None = None
        # Read by every write: an instance attribute.  A class-level default read
        # on the hot path is a type lookup on CPython 3.11; with some hash seeds
        # its cache entry collides and a request costs 0.5 µs more.
        self.connecting = False
        # Both are read on every request: 8 bytes per socket each, for some 210
        # instructions a request each on 3.11, whose LOAD_ATTR cannot specialise
        # a read that falls through to a class attribute.
        self._idle_timer: TimerHandle | None = None
        self._onread_cb: Any = None
        # The write gate (see write()): the handle's pointer while plain writes
        # may go straight to C; None while they must be checked first; False
        # when they never may, as this class has a _write of its own, which
        # Node calls for every write.
        self._write_gate: Any = None if type(self)._write is _socket_write else False
        # Everything else starts at its class-level default (below) and becomes an
        # instance attribute only when set.  CPython shares one key table among all
        # sockets (under 30 attributes), which saves over 1 KiB per connection, but
        # each name in it costs every socket made later 8 bytes (on 3.11): state
        # that is rarely set is set only when it changes.

    def _init_fresh(self, loop: _loop.Loop, high_water_mark: int, allow_half_open: bool) -> None:
        """What __init__ sets from options that set none of _CONSTRUCTOR_OPTIONS
        but these two, in the same order (the shared key table of the instance
        dicts depends on it)."""
        self._loop = loop
        self._events = {}
        # As __init__ forces them: emitClose false, strings kept until written.
        self._readableState = ReadableState.fresh(SYNC | NO_EMIT_CLOSE, high_water_mark)
        self._writableState = WritableState.fresh(SYNC | NO_EMIT_CLOSE | NO_DECODE_STRINGS,
                                                  high_water_mark)
        if allow_half_open:
            self._allowHalfOpen = True
        self._init_socket()
        self._events["end"] = self._on_readable_stream_end  # on('end') of a new emitter

    @classmethod
    def _for_connect(cls, opts: dict[str, Any]) -> Socket:
        """``new Socket(options)`` for net.connect(), whose options normalize_args
        has already made: the constructor's one-step case without reading them
        again."""
        if not opts.keys().isdisjoint(_CONSTRUCTOR_OPTIONS):
            return cls(opts)
        self = cls.__new__(cls)
        self._init_fresh(_loop.current(), DEFAULT_HWM, False)
        return self

    def _pause_on_create(self, handle: StreamHandle) -> None:
        handle.read_stop()
        self._readableState.flowing = False

    @classmethod
    def _accepted(cls, handle: StreamHandle, allow_half_open: bool, pause_on_create: bool,
                  high_water_mark: float | None) -> Socket:
        """What Node's onconnection makes, ``new Socket({handle, allowHalfOpen,
        pauseOnCreate, readableHighWaterMark, writableHighWaterMark})``, without
        reading options: a server makes one per connection, and the options'
        normalisation and checks were a sixth of its cost.  It sets the same
        attributes in the same order as __init__ (the shared key table of the
        instance dicts depends on it; tests/test_socket_stream.py compares the
        two), and the states say the same as ones read from those options."""
        # The server checked it is a number >= 0; a fraction fails here, as in
        # Node, under the name of the option Node's onconnection passes it as.
        hwm = DEFAULT_HWM if high_water_mark is None else _high_water_mark(
            {"readableHighWaterMark": high_water_mark}, "readableHighWaterMark", False)
        self = cls.__new__(cls)
        self._init_fresh(handle.loop, hwm, allow_half_open)
        readable = self._readableState
        # _attach, whose undestroy has nothing to undo in new states.
        self._sockname = None
        self._handle = handle
        handle.owner = self
        if pause_on_create:
            self._pause_on_create(handle)
        else:
            # What read(0) comes to on a new socket: it asks _read() for data,
            # which starts the handle reading, and waits for it.
            readable.flags = (readable.flags & ~SYNC) | READING | NEED_READABLE
            self._try_read_start()
        return self

    # Class-level defaults of the per-socket state that is rarely set.
    _allowHalfOpen = False
    server: Server | None = None
    _blockList: Any = None
    _pending_data: Any = None  # the write waiting for 'connect' (Node's _pendingData)
    _write_req_cb: _Callback = None  # onwrite of the write libuv still holds
    _shutdown_cb: _Callback = None
    _write_after_fin = False
    _reset_and_closing = False
    _peername: AddressInfo | None = None
    _sockname: AddressInfo | None = None
    _connect_target: tuple[str, int | None, int | None] = ("", None, None)
    _autoSelectFamilyAttemptedAddresses: list[str] | None = None
    # setNoDelay/setKeepAlive before connect (or the options) apply on connect.
    _set_no_delay = False
    _set_keep_alive = False
    _keep_alive_delay = 0
    _timeout: Any = None  # Node's socket.timeout (undefined until set)
    _idle_timer: TimerHandle | None = None
    _idle_ms = 0
    _last_write_queue_size = 0
    _onread_buf: Any = None
    _onread_cb: Any = None
    _onread_gen: Any = None
    _onread_rest = b""
    # The handle counts bytes in C (a Python int += would cost every request an
    # allocation); these keep the last handle's counts once it is gone, as
    # Node's kBytesRead/kBytesWritten do.
    _bytes_read = 0
    _bytes_dispatched = 0

    autoSelectFamilyAttemptedAddresses = stored(
        "autoSelectFamilyAttemptedAddresses", "'ip:port' of each happy-eyeballs attempt.")
    blockList = stored("blockList", "Destinations it blocks fail with ERR_IP_BLOCKED.")

    @property
    def allowHalfOpen(self) -> bool:
        """Whether the writable side stays open after the peer's FIN."""
        return self._allowHalfOpen

    @allowHalfOpen.setter
    def allowHalfOpen(self, value: bool) -> None:
        if bool(value) is not self._allowHalfOpen:
            self._allowHalfOpen = bool(value)

    # A method here: the stream base sees it and does not set its own.
    def _next_tick(self, fn: Callable[..., Any], *args: Any) -> None:
        """The loop's nextTick (Loop.next_tick) in one call: a connection's life
        queues seven ticks, and a property handing out the loop's bound method
        (no per-socket attribute) made each one two calls."""
        loop = self._loop
        loop.ticks.append((fn, args))
        if loop.driver is not None:
            loop.driver.schedule()

    @property
    def bytesRead(self) -> int:
        """Bytes received so far."""
        h = self._handle
        return h.bytes_read if h is not None else self._bytes_read

    # ------------------------------------------------------------------
    # handle plumbing

    def _attach(self, handle: StreamHandle) -> None:
        """Node's initSocketHandle."""
        self._undestroy()
        self._sockname = None
        # Node reads the counters from the handle: a new handle starts at zero.
        self._handle = handle
        handle.owner = self
        if self._onread_gen is not None:
            buf = self._onread_gen()
            if isinstance(buf, (bytearray, memoryview)):
                self._onread_buf = buf

    def _try_read_start(self) -> None:
        h = self._handle
        if h is None:
            return
        if self._onread_rest:
            rest, self._onread_rest = self._onread_rest, b""
            if not self._onread_deliver(rest):
                return
        err = h.read_start()
        if err:
            self.destroy(errors.errno_exception(err, "read"))

    # ------------------------------------------------------------------
    # connect

    def connect(self, *args: Any, **kwargs: Any) -> Socket:
        """socket.connect(port[, host][, connectListener]) or (options[, connectListener])."""
        if len(args) == 1 and type(args[0]) is _NormalizedArgs and not kwargs:
            opts, cb = args[0].options, args[0].callback
        else:
            opts, cb = normalize_args(args, kwargs)
        path = opts.get("path")
        if path is not None:
            return self._connect_pipe(path, cb)
        port = opts.get("port")
        if port is None:
            raise errors.make("ERR_MISSING_ARGS", "options", "port", "path")
        _validate_connect_options(opts)
        if not isinstance(port, (int, float, str)) or isinstance(port, bool):
            raise errors.make("ERR_INVALID_ARG_TYPE", "options.port", ["number", "string"], port)
        port = v.validate_port(port)
        self._begin_connect(TCP, cb)
        try:
            _connect.lookup_and_connect(self, opts, port)
        except BaseException:
            self.destroy()  # no half-made handle: the handle goes with the error
            raise
        return self

    def _connect_pipe(self, path: Any, cb: _Callback) -> Socket:
        """connect(path): a Unix domain socket (a named pipe on Windows)."""
        v.validate_string(path, "options.path")
        self._begin_connect(Pipe, cb)
        self._connect_target = (path, None, None)
        self._handle.connect(path)  # type: ignore[union-attr]
        return self

    def _begin_connect(self, handle_type: type[TCP] | type[Pipe], cb: _Callback) -> None:
        """What every connect() does once its arguments are valid (a destroyed socket
        may connect again, as in Node)."""
        if self._writableState.destroyed:
            self._handle = None  # _attach below undestroys, as Node's initSocketHandle
            self._peername = self._sockname = None
        self._write_after_fin = False
        if self._handle is None:
            self._attach(handle_type(self._loop))
        if cb is not None:
            self.once("connect", cb)
        self._direct_writes_off()
        self.connecting = True

    def _reinitialize_handle(self, handle: StreamHandle) -> None:
        """A fresh handle for the next connection attempt (Node's kReinitializeHandle)."""
        old = self._handle
        if old is not None:
            old.close()
        self._attach(handle)

    def _onconnect(self, status: int) -> None:
        """Node's afterConnect."""
        if self._writableState.destroyed:
            return
        address, port, address_type = self._connect_target
        self.connecting = False
        self._sockname = None
        if status < 0:
            ex = errors.exception_with_host_port(status, "connect", address, port)
            self.emit("connectionAttemptFailed", address, port, address_type, ex)
            self.destroy(ex)
            return
        self._refresh_idle_timer()
        h = self._handle
        if isinstance(h, TCP):
            if self._set_no_delay:
                h.set_no_delay(True)
            if self._set_keep_alive:
                h.set_keep_alive(True, self._keep_alive_delay)
        self.emit("connect")
        self.emit("ready")
        # Start the first read, or get an immediate EOF.
        if not self.isPaused():
            self.read(0)

    # ------------------------------------------------------------------
    # reading

    def _onread(self, data: bytes) -> None:
        """Node's onStreamRead for nread > 0 (the C shim has counted the bytes)."""
        timer = self._idle_timer
        if timer is not None:
            timer.start(self._idle_ms)  # activity: a new idle period
        rs = self._readableState
        if rs.flowing and not rs.length and rs.decoder is None and self._onread_cb is None \
                and rs.flags & _READ_STRAIGHT_MASK == _READ_STRAIGHT and self._plain_emit:
            # Node's addChunk fast path: flowing with an empty buffer emits at once.
            try:
                fn = self._events["data"]  # a subscript: cheaper than .get() on 3.11
            except KeyError:
                fn = None  # removeAllListeners('data'): push() emits to nobody
            if fn is not None:
                if rs.awaitDrainWriters is not None:
                    _clear_await_drain(rs)
                if type(fn) is not list:
                    if timer is None and (h := self._handle) is not None and h.reading is True \
                            and type(self)._onread is _socket_onread:
                        # Every read would now come here only to make this
                        # call: let the shim make it.  This holds until the
                        # flowing state, the decoder, the 'data' or 'readable'
                        # listeners or the idle timer change, and each of those
                        # calls _direct_reads_off first (stream.py, setTimeout).
                        # awaitDrainWriters is None now; only pipe()'s pause()
                        # sets it, and pause() switches this off.
                        _read_to(h.ptr, fn, None)
                        h.reading = fn
                    fn(data)
                else:
                    self.emit("data", data)
                return
        if self._onread_cb is not None:
            ok = self._onread_deliver(data)
        else:
            ok = self.push(data)
        h = self._handle
        if not ok and h is not None and h.reading is not False and not rs.flags & DESTROYED:
            err = h.read_stop()
            if err:
                self.destroy(errors.errno_exception(err, "read"))

    def _direct_reads_off(self) -> None:
        """Reads go through _onread again (see its fast path)."""
        h = self._handle
        if h is not None and type(h.reading) is not bool:
            _read_to(h.ptr, _socket_onread, self)
            h.reading = True

    def _onread_deliver(self, data: bytes) -> bool:
        """The ``onread`` option: copy into the user's buffer, at most its size per call."""
        view = memoryview(data)
        total = len(data)
        offset = 0
        while offset < total:
            buf = self._onread_buf
            n = min(len(buf), total - offset)
            buf[:n] = view[offset:offset + n]
            offset += n
            keep_reading = self._onread_cb(n, buf) is not False
            if self._onread_gen is not None:
                nxt = self._onread_gen()
                if isinstance(nxt, (bytearray, memoryview)):
                    self._onread_buf = nxt
            if not keep_reading:
                self._onread_rest = bytes(view[offset:])
                return False
        return True

    def _onreaderror(self, nread: int) -> None:
        """Node's onStreamRead for errors and EOF."""
        if nread != _UV_EOF:
            self.destroy(errors.errno_exception(nread, "read"))
            return
        h = self._handle
        if h is not None:
            h.read_stop()  # libuv stops reading at EOF; keep the flag in step
        if not self._readableState.flags & END_EMITTED:
            self.push(None)
            self.read(0)

    def _on_readable_stream_end(self) -> None:
        """Node's onReadableStreamEnd: without allowHalfOpen, writing after the FIN is EPIPE."""
        if not self._allowHalfOpen:
            self._write_after_fin = True

    def _read(self, n: int) -> None:
        if self.connecting or self._handle is None:
            self.once("connect", lambda: self._read(n))
        elif self._handle.reading is False:
            self._try_read_start()

    def read(self, n: int | None = None) -> Any:
        """Node's socket.read(): with ``onread``, a read() restarts reading."""
        if self._onread_cb is not None and not self.connecting and self._handle is not None \
                and self._handle.reading is False:
            self._try_read_start()
        return _readable_read(self, n)

    def pause(self) -> Socket:
        """Stops 'data' events (with ``onread``: stops reading at once)."""
        h = self._handle
        if self._onread_cb is not None and not self.connecting and h is not None \
                and h.reading is not False and not self._readableState.destroyed:
            err = h.read_stop()
            if err:
                self.destroy(errors.errno_exception(err, "read"))
        Duplex.pause(self)
        return self

    def resume(self) -> Socket:
        """Starts or restarts 'data' events (with ``onread``: restarts reading)."""
        h = self._handle
        if self._onread_cb is not None and not self.connecting and h is not None \
                and h.reading is False:
            self._try_read_start()
        Duplex.resume(self)
        return self

    # ------------------------------------------------------------------
    # writing

    def write(self, data: Any, encoding: Any = None, cb: _Callback = None) -> bool:
        """Sends ``data``; False when the buffer is over the high-water mark (wait for 'drain')."""
        # The first branch is also Socket.write in C (pynet_socket_write, below
        # the class), which calls this method for every write it does not take.
        if (gate := self._write_gate) and type(data) is bytes and cb is None \
                and encoding is None and data:
            # The gate is open (below): nothing has changed since a write found all that.
            if (r := _pynet_write(gate, data)) == 0:
                return True
            return _gated_write_not_whole(self, data, r)
        # Node's fast path for plain bytes: connected, nothing buffered, corked or
        # in flight, no 'drain' owed: writeOrBuffer would call _write straight
        # away, and this is that call, inlined.
        ws = self._writableState
        if type(data) is not bytes or cb is not None or encoding is not None or not data \
                or gate is False or ws.length or ws.flags & _WRITE_BUSY or ws.corked \
                or ws.errored is not None or self.connecting or (h := self._handle) is None:
            return _write_public(self, data, encoding, cb) is True
        timer = self._idle_timer
        if timer is not None:
            timer.start(self._idle_ms)
        if (r := _pynet_write(h.ptr, data)) == 0:
            # Sent now, whatever its size: as in Node 20.20, nothing is left
            # to count against the high-water mark and onwrite has nothing
            # to schedule (no callback, no 'drain' owed).  Nothing changed,
            # so the next plain write may skip the tests above: open the
            # gate until something that decides them changes, and each of
            # those calls _direct_writes_off first (stream.py: a write that
            # takes Node's path, cork, end, destroy; here: connect,
            # setTimeout) or closes it itself (a write left in flight).
            # Not with an idle timer: each write must restart it.
            if timer is None:
                self._write_gate = h.ptr
            return True
        return _write_in_flight(self, data, r)

    def _direct_writes_off(self) -> None:
        """Closes the write gate (see write()) if it is open."""
        if self._write_gate:
            self._write_gate = None

    def _write_after_end_error(self) -> BaseException:
        if self._write_after_fin:
            # Node's writeAfterFIN: an EPIPE that is not a system error.
            return errors.NodeError("This socket has been ended by the other party",
                                    code="EPIPE")
        return errors.make("ERR_STREAM_WRITE_AFTER_END")

    def _write(self, data: Any, encoding: str, cb: _Callback) -> None:
        self._write_generic(_buffer_of(data, encoding), cb)

    def _writev(self, chunks: list[dict[str, Any]], cb: _Callback) -> None:
        self._write_generic(b"".join(_buffer_of(c["chunk"], c["encoding"]) for c in chunks), cb)

    def _write_generic(self, data: Any, cb: Any) -> None:
        """Node's _writeGeneric: wait for 'connect', then one libuv write (a
        writev's chunks joined, strings encoded as the handle's write*String do)."""
        if self.connecting:
            self._pending_data = data

            def on_close(*_: Any) -> None:
                cb(errors.make("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"))

            def on_connect() -> None:
                self.removeListener("close", on_close)
                self._write_generic(data, cb)

            self.once("connect", on_connect)
            self.once("close", on_close)
            return
        self._pending_data = None
        h = self._handle
        if h is None:
            cb(errors.make("ERR_SOCKET_CLOSED"))
            return
        self._refresh_idle_timer()
        self._dispatched(h.write(data), cb)

    def _dispatched(self, r: int, cb: Any) -> None:
        """The end of _writeGeneric: ``r`` is pynet_write's answer (the shim counted the bytes)."""
        if r < 0:
            cb(errors.errno_exception(r, "write"))
            return
        if r == 0:
            cb()
        else:
            self._write_req_cb = cb  # libuv holds the rest; _onwritecomplete finishes
            self._last_write_queue_size = r

    def _onwritecomplete(self, status: int) -> None:
        """Node's onWriteComplete: libuv finished the write it had queued."""
        cb, self._write_req_cb = self._write_req_cb, None
        if cb is None:
            return
        if self._writableState.destroyed:
            cb()
            return
        if status < 0:
            cb(errors.errno_exception(status, "write"))
            return
        if self._idle_timer is not None:
            self._idle_timer.start(self._idle_ms)
        self._last_write_queue_size = 0
        cb()

    def _final(self, cb: _Callback) -> None:
        """Node's Socket._final: FIN (uv_shutdown) once connected and flushed."""
        if self.pending:
            self.once("connect", lambda: self._final(cb))
            return
        h = self._handle
        if h is None:
            cb()  # type: ignore[misc]
            return
        self._shutdown_cb = cb
        err = h.shutdown()
        if err == lib.UV_ENOTCONN:
            self._shutdown_cb = None
            cb()  # type: ignore[misc]
        elif err:
            self._shutdown_cb = None
            cb(errors.errno_exception(err, "shutdown"))  # type: ignore[misc]

    def _onshutdown(self, status: int) -> None:
        # Node's afterShutdown ignores the status: the FIN was at least attempted.
        cb, self._shutdown_cb = self._shutdown_cb, None
        if cb is not None:
            cb()

    def end(self, data: Any = None, encoding: Any = None, cb: _Callback = None) -> Socket:
        """Half-closes: sends ``data`` (if any), then FIN once everything queued is out."""
        Duplex.end(self, data, encoding, cb)
        return self

    @property
    def bufferSize(self) -> int:
        """Deprecated alias of writableLength (spec: socket.bufferSize)."""
        return self._writableState.length

    @property
    def bytesWritten(self) -> int:
        """Bytes sent, counting those still buffered (spec: socket.bytesWritten)."""
        h = self._handle
        total = h.bytes_written if h is not None else self._bytes_dispatched
        ws = self._writableState
        for chunk, encoding, _cb in ws.buffered[ws.bufferedIndex:]:
            # A string is buffered as it was given (Node's sockets set
            # decodeStrings false): it counts the bytes of its encoding.
            total += _chunk_len(_buffer_of(chunk, encoding))
        data = self._pending_data
        if data is not None:
            total += _chunk_len(data)
        return total

    # ------------------------------------------------------------------
    # destroying

    def _destroy(self, exception: BaseException | None, cb: _Callback) -> None:
        """Node's Socket._destroy: close (or reset) the handle; 'close' comes from libuv."""
        if self.connecting:
            self.connecting = False
        if self._idle_timer is not None:
            self._idle_timer.close()
            self._idle_timer = None
        h = self._handle
        had_error = exception is not None
        if h is not None:
            self._handle = None
            self._bytes_read, self._bytes_dispatched = h.bytes_read, h.bytes_written
            if self._sockname is not None:
                self._sockname = None
            h.read_stop()
            if self._reset_and_closing and isinstance(h, TCP):
                self._reset_and_closing = False
                err = h.reset(lambda: self.emit("close", had_error))
                if err:
                    # Node leaves the handle open here; closing it keeps the fd from leaking.
                    h.close(lambda: self.emit("close", had_error))
                    self.emit("error", errors.errno_exception(err, "reset"))
            else:
                h.close(lambda: self.emit("close", had_error))
            cb(exception)  # type: ignore[misc]
        else:
            cb(exception)  # type: ignore[misc]
            # Node's emitCloseNT: no handle, so no hadError to report.
            self._next_tick(self.emit, "close", False)
        server = self.server
        if server is not None:
            server._connection_closed(self)

    def destroySoon(self) -> None:
        """Ends the writable side, then destroys once everything is flushed."""
        if self.writable:
            self.end()
        if self.writableFinished:
            self.destroy()
        else:
            self.once("finish", self.destroy)

    def resetAndDestroy(self) -> Socket:
        """Closes the TCP connection with RST instead of FIN (spec: socket.resetAndDestroy())."""
        h = self._handle
        if h is None:
            self.destroy(errors.make("ERR_SOCKET_CLOSED"))
            return self
        if not isinstance(h, TCP):
            raise errors.make("ERR_INVALID_HANDLE_TYPE")
        if self.connecting:
            self.once("connect", self._reset)
        else:
            self._reset()
        return self

    def _reset(self) -> None:
        self._reset_and_closing = True
        self.destroy()

    # ------------------------------------------------------------------
    # addresses and options

    def _local_info(self) -> AddressInfo | None:
        """Node's _getsockname: cached while the handle lives, gone with it."""
        if self._sockname is None and isinstance(self._handle, TCP):
            name = self._handle.name(False)
            if isinstance(name, dict):
                self._sockname = AddressInfo(name)
        return self._sockname

    def _remote_info(self) -> AddressInfo | None:
        """Node's _getpeername: once read it is kept, even after destroy."""
        if self._peername is None and isinstance(self._handle, TCP) and not self.connecting:
            name = self._handle.name(True)
            if isinstance(name, dict):
                self._peername = AddressInfo(name)
        return self._peername

    def address(self) -> AddressInfo | dict[str, Any]:
        """The bound address: ``{'port': ..., 'family': ..., 'address': ...}`` ({} when none)."""
        info = self._local_info()
        return AddressInfo(info) if info is not None else {}

    @property
    def remoteAddress(self) -> str | None:
        """The peer's IP address, None when not connected (spec: socket.remoteAddress)."""
        info = self._remote_info()
        return info["address"] if info else None

    @property
    def remotePort(self) -> int | None:
        """The peer's port (spec: socket.remotePort)."""
        info = self._remote_info()
        return info["port"] if info else None

    @property
    def remoteFamily(self) -> str | None:
        """'IPv4' or 'IPv6' for the peer (spec: socket.remoteFamily)."""
        info = self._remote_info()
        return info["family"] if info else None

    @property
    def localAddress(self) -> str | None:
        """The local IP address the socket is bound to (spec: socket.localAddress)."""
        info = self._local_info()
        return info["address"] if info else None

    @property
    def localPort(self) -> int | None:
        """The local port (spec: socket.localPort)."""
        info = self._local_info()
        return info["port"] if info else None

    @property
    def localFamily(self) -> str | None:
        """'IPv4' or 'IPv6' for the local end (spec: socket.localFamily)."""
        info = self._local_info()
        return info["family"] if info else None

    @property
    def pending(self) -> bool:
        """True until connected: no handle yet, or still connecting (spec: socket.pending)."""
        return self._handle is None or self.connecting

    @property
    def readyState(self) -> str:
        """'opening', 'open', 'readOnly', 'writeOnly' or 'closed' (spec: socket.readyState)."""
        if self.connecting:
            return "opening"
        readable, writable = self.readable, self.writable
        if readable and writable:
            return "open"
        if readable:
            return "readOnly"
        if writable:
            return "writeOnly"
        return "closed"

    def _refresh_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.start(self._idle_ms)

    def setTimeout(self, msecs: float, callback: Callable[..., Any] | None = None) -> Socket:
        """Emits 'timeout' after ``msecs`` of inactivity (0 turns it off); it does not close."""
        self._timeout = msecs  # before validating, as Node does
        if isinstance(msecs, bool) or not isinstance(msecs, (int, float)):
            raise errors.make("ERR_INVALID_ARG_TYPE", "msecs", "number", msecs)
        if msecs < 0 or msecs != msecs or msecs in (float("inf"), float("-inf")):
            raise errors.make("ERR_OUT_OF_RANGE", "msecs", "a non-negative finite number", msecs)
        if self._idle_timer is not None:
            self._idle_timer.close()
            self._idle_timer = None
        if msecs == 0:
            if callback is not None:
                v.validate_function(callback, "callback")
                self.removeListener("timeout", callback)
            return self
        if self._writableState.destroyed:
            return self
        # Node's timers coerce the same way: under 1 ms (or over 2**31-1) is 1 ms.
        self._idle_ms = max(int(msecs), 1) if msecs <= 2**31 - 1 else 1
        self._direct_reads_off()  # each read must restart the timer
        self._direct_writes_off()  # and so must each write
        timer = self._idle_timer = TimerHandle(self._loop, self._on_idle_timeout)
        timer.unref()  # an idle timer never keeps the loop alive, as in Node
        timer.start(self._idle_ms)
        if callback is not None:
            v.validate_function(callback, "callback")
            self.once("timeout", callback)
        return self

    def _on_idle_timeout(self) -> None:
        """Node's _onTimeout: a write that is still making progress is not idle."""
        if self._writableState.destroyed:
            return
        h = self._handle
        last = self._last_write_queue_size
        if last > 0 and h is not None:
            size = int(lib.uv_stream_get_write_queue_size(h.ptr))
            if size != last:
                self._last_write_queue_size = size
                self._refresh_idle_timer()
                return
        self.emit("timeout")

    @property
    def timeout(self) -> Any:
        """The idle timeout set with setTimeout() (None until then)."""
        return self._timeout

    def setNoDelay(self, noDelay: bool = True) -> Socket:
        """Disables Nagle's algorithm (now, or on connect when not connected yet)."""
        if isinstance(self._handle, TCP) and not self.connecting:
            self._handle.set_no_delay(bool(noDelay))
        else:
            self._set_no_delay = bool(noDelay)
        return self

    def setKeepAlive(self, enable: bool = False, initialDelay: float = 0) -> Socket:
        """TCP keep-alive; the delay is in ms, truncated to seconds as Node does."""
        delay = _keep_alive_seconds(initialDelay)
        if isinstance(self._handle, TCP) and not self.connecting:
            self._handle.set_keep_alive(bool(enable), delay)
        else:
            self._set_keep_alive = bool(enable)
            self._keep_alive_delay = delay
        return self

    def ref(self) -> Socket:
        """Lets this socket keep run() alive again (spec: socket.ref())."""
        if self._handle is not None:
            self._handle.ref()
        return self

    def unref(self) -> Socket:
        """Lets run() end even while this socket is open (spec: socket.unref())."""
        if self._handle is not None:
            self._handle.unref()
        return self

    def __repr__(self) -> str:
        local, remote = self._sockname or self._local_info(), self._remote_info()
        where = ""
        if local:
            where = f" {local['address']}:{local['port']}"
        if remote:
            where += f" -> {remote['address']}:{remote['port']}"
        return f"<Socket{where} {self.readyState}>"


# A subclass with an _onread of its own gets every read there (read_upcall),
# so its reads never go straight to the listener.
_socket_onread = Socket._onread
# Likewise a subclass with its own _write gets every write there, as in Node
# (Socket.__init__ keeps its write gate shut).
_socket_write = Socket._write


def _write_in_flight(sock: Socket, data: bytes, r: int) -> bool:
    """A plain write the kernel did not take whole: queued (r > 0) or refused
    (r < 0).  The state writeOrBuffer leaves for a write in flight, then the
    same ending as every other write."""
    ws = sock._writableState
    n = len(data)
    ws.pendingcb += 1
    ws.length += n
    ws.flags |= WRITING | SYNC
    ws.writelen = n
    ws.writecb = _nop
    if r > 0:
        # _dispatched's queued branch, inlined: libuv holds the rest.
        sock._write_req_cb = sock._onwrite
        sock._last_write_queue_size = r
        if sock._loop.driver is not None:
            sock._loop.touch()  # an attached asyncio driver must run libuv
    else:
        sock._dispatched(r, sock._onwrite)
    ws.flags &= ~SYNC
    return _write_result(ws)


def _gated_write_not_whole(sock: Socket, data: bytes, r: int) -> bool:
    """A write through the open gate that the kernel did not take whole: the
    gate closes (a write is in flight now) and the write is recorded."""
    sock._write_gate = None
    return _write_in_flight(sock, data, r)


# Socket.write as written above; the class's write is the shim's C method
# around it: a plain write through an open gate costs no interpreter frame,
# every other call is this function's.  It stays a method of the class (a
# subclass may override it and call super().write()), and inspect reads the
# same signature and docstring.
_python_write = Socket.write
if _pynet_socket_write is not None:
    # The shim finds the gate's slot where a probe socket holds _python_write.
    _probe = Socket.__new__(Socket)
    _probe._write_gate = _python_write
    setattr(Socket, "write", _pynet_socket_write(Socket, _python_write, _gated_write_not_whole,
                                                 _probe))
    del _probe


def _buffer_of(chunk: Any, encoding: str) -> Any:
    """A chunk as the handle writes it: a string encoded (as Node's
    write*String do), a buffer as it is."""
    if isinstance(chunk, str):
        return _encoding.encode(chunk, _encoding.check(encoding))
    return chunk


def adopt_fd(loop: _loop.Loop, fd: int) -> StreamHandle | int:
    """Node's createHandle(fd) + open(): a TCP or pipe handle owning ``fd``, or the
    libuv error of open().  Any other kind of fd raises ERR_INVALID_FD_TYPE."""
    kind = lib.uv_guess_handle(fd)
    handle: StreamHandle
    if kind == lib.UV_TCP:
        handle = TCP(loop)
    elif kind == lib.UV_NAMED_PIPE:
        handle = Pipe(loop)
    else:
        raise errors.make("ERR_INVALID_FD_TYPE", _HANDLE_TYPE_NAMES.get(kind, "UNKNOWN"))
    err = handle.open(fd)
    if err:
        handle.close()
        return int(err)
    return handle


def _handle_for_fd(loop: _loop.Loop, fd: Any) -> StreamHandle:
    """The ``fd`` option: validated, adopted, or Node's error."""
    handle = adopt_fd(loop, v.validate_int32(fd, "fd", 0))
    if isinstance(handle, int):
        raise errors.errno_exception(handle, "open")
    return handle


_HANDLE_TYPE_NAMES = {lib.UV_TTY: "TTY", lib.UV_UDP: "UDP", lib.UV_FILE: "FILE"}


def _onread_option(onread: Any) -> tuple[Any, Any, Any]:
    """Node accepts ``onread`` only when complete; anything else is ignored, as there."""
    if not isinstance(onread, dict):
        return None, None, None
    buffer, callback = onread.get("buffer"), onread.get("callback")
    if not callable(callback):
        return None, None, None
    if isinstance(buffer, (bytearray, memoryview)):
        if isinstance(buffer, memoryview) and buffer.readonly:
            return None, None, None
        return buffer, callback, None
    if callable(buffer):
        return None, callback, buffer
    return None, None, None


def _add_abort_signal_later(sock: Socket, signal: Any) -> None:
    """Node's addClientAbortSignalOption: an abort destroys the socket with AbortError."""
    def on_abort(*_: Any) -> None:
        sock.destroy(abort_error(signal))

    if signal.aborted:
        sock._next_tick(on_abort)
        return
    signal.addEventListener("abort", on_abort, {"once": True})
    sock.once("close", lambda *_: signal.removeEventListener("abort", on_abort))


def _keep_alive_seconds(initial_delay: Any) -> int:
    """Node's ``~~(initialDelay / 1000)``, never negative."""
    return max(v.to_int32(v.to_number(initial_delay or 0) / 1000), 0)


def _validate_connect_options(opts: dict[str, Any]) -> None:
    """What Node's lookupAndConnect throws for, before anything is created."""
    local_address = opts.get("localAddress")
    if local_address and not isIP(local_address):
        raise errors.make("ERR_INVALID_IP_ADDRESS", local_address)
    if opts.get("localPort"):
        v.validate_number(opts["localPort"], "options.localPort")
    if opts.get("autoSelectFamily") is not None:
        v.validate_boolean(opts["autoSelectFamily"], "options.autoSelectFamily")
    if opts.get("autoSelectFamilyAttemptTimeout") is not None:
        v.validate_int32(opts["autoSelectFamilyAttemptTimeout"],
                         "options.autoSelectFamilyAttemptTimeout", 1)
    host = opts.get("host") or "localhost"
    if not isinstance(host, str):
        raise errors.make("ERR_INVALID_ARG_TYPE", "hostname", "string", host)
    if not isIP(host):
        if opts.get("lookup") is not None:
            v.validate_function(opts["lookup"], "options.lookup")
        else:
            validate_lookup_options({"family": _connect._socket_to_dns_family(
                opts.get("family", 0)) or 0, "hints": opts.get("hints", 0)})
