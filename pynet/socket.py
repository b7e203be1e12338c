"""``net.Socket``: a TCP connection with Node's events and their order.

This is the core's Socket: Node's connect/read/write/end/destroy life cycle
on one libuv stream handle, with Node's fast paths (a flowing socket with an
empty buffer emits straight from the read upcall; a write with nothing
pending goes straight to the C ``pynet_write``).  The complete Readable /
Writable machinery (cork, ``read(n)``, pipe, timeouts) grows on top of it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from . import _connect, _encoding, _loop, errors
from . import _validators as v
from ._dns import validate_lookup_options
from ._ffi import lib
from ._ip import isIP
from ._names import options as _options
from ._names import stored
from ._pipe import Pipe
from ._stream import StreamHandle
from ._tcp import TCP
from ._timers import TimerHandle
from ._types import AddressInfo
from .blocklist import BlockList
from .events import EventEmitter

if TYPE_CHECKING:
    from .server import Server

__all__ = ["Socket", "normalize_args"]

_UV_EOF = lib.UV_EOF
_pynet_write = lib.pynet_write
_HWM = 16 * 1024  # Node's default highWaterMark for both sides
_Callback = Callable[..., Any] | None

_BUFFER_TYPES = (bytes, bytearray, memoryview)


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
        opts = _options({"path": arg0}, kwargs)
    else:
        opts = _options({"port": arg0}, kwargs)
        if len(args) > 1 and isinstance(args[1], str):
            opts["host"] = args[1]
    # A trailing callable is the callback (listen(cb) too: Node then makes the port 0).
    cb = args[-1] if callable(args[-1]) else None
    return opts, cb


def _is_pipe_name(value: Any) -> bool:
    """Node's isPipeName: a string that is not a non-negative number."""
    if not isinstance(value, str):
        return False
    n = v.to_number(value)
    return not (n >= 0)


class Socket(EventEmitter):
    """Node's ``net.Socket`` (spec: "Class: net.Socket")."""

    def __init__(self, options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        opts = _options(options, kwargs)
        self._loop = _loop.current()
        self._handle: StreamHandle | None = None
        self.connecting = False
        self._allowHalfOpen = bool(opts.get("allowHalfOpen", False))
        self.server: Server | None = None
        self._destroyed = False
        self._error_emitted = False
        # writable side
        self._pending: deque[tuple[bytes, _Callback]] = deque()  # written while connecting
        self._queued: deque[tuple[int, _Callback]] = deque()  # in libuv's write queue
        self._writable_length = 0
        self._need_drain = False
        self._ending = False  # end() called: writableEnded
        self._final_started = False
        self._finished = False
        self._end_cbs: list[Callable[..., Any]] = []
        self._bytes_dispatched = 0
        self._write_direct = False  # see _update_write_direct
        self._sptr: Any = None
        self._writableHighWaterMark = int(opts.get("highWaterMark") or _HWM)
        # readable side
        self._readableHighWaterMark = int(opts.get("highWaterMark") or _HWM)
        self._flowing: bool | None = None
        self._rbuf: deque[Any] = deque()
        self._rlen = 0
        self._eof = False  # the peer's FIN arrived (push(null))
        self._end_emitted = False
        self._decoder: _encoding.Decoder | None = None
        self._read_direct = False  # see _update_read_direct
        self._bytes_read = 0
        self._peername: AddressInfo | None = None
        self._sockname: AddressInfo | None = None
        self._connect_target: tuple[str, int | None, int | None] = ("", None, None)
        self._autoSelectFamilyAttemptedAddresses: list[str] | None = None
        # setNoDelay/setKeepAlive before connect (or the options) apply on connect.
        self._set_no_delay = bool(opts.get("noDelay", False))
        self._set_keep_alive = bool(opts.get("keepAlive", False))
        self._keep_alive_delay = _keep_alive_seconds(opts.get("keepAliveInitialDelay", 0))
        self._timeout: Any = None  # Node's socket.timeout (undefined until set)
        self._idle_timer: TimerHandle | None = None
        self._idle_ms = 0
        self._blockList = opts.get("blockList")
        if self._blockList is not None and not BlockList.isBlockList(self._blockList):
            raise errors.make("ERR_INVALID_ARG_TYPE", "options.blockList", "net.BlockList",
                              self._blockList)
        handle = opts.get("handle")
        if handle is not None:
            self._attach(handle)
            if opts.get("pauseOnCreate"):
                self._flowing = False
            else:
                self._read_start()

    allowHalfOpen = stored("allowHalfOpen")
    autoSelectFamilyAttemptedAddresses = stored(
        "autoSelectFamilyAttemptedAddresses", "'ip:port' of each happy-eyeballs attempt.")
    blockList = stored("blockList", "Destinations it blocks fail with ERR_IP_BLOCKED.")
    writableHighWaterMark = stored("writableHighWaterMark")
    readableHighWaterMark = stored("readableHighWaterMark")

    @property
    def bytesRead(self) -> int:
        """Bytes received so far."""
        return self._bytes_read

    # ------------------------------------------------------------------
    # handle plumbing

    def _update_write_direct(self) -> None:
        """May write() go straight to C?  Only when open with nothing queued ahead in Python."""
        self._write_direct = (self._handle is not None and not self.connecting
                              and not self._ending and not self._destroyed and not self._pending)

    def _attach(self, handle: StreamHandle) -> None:
        self._handle = handle
        self._sptr = handle.sptr
        handle.owner = self
        handle.onread = self._onread
        handle.onreaderror = self._onreaderror
        handle.onwrite = self._onwrite
        handle.onshutdown = self._onshutdown
        handle.onconnect = self._onconnect
        self._update_write_direct()

    def _read_start(self) -> None:
        h = self._handle
        if h is not None and not self.connecting and not self._eof:
            err = h.read_start()
            if err:
                self.destroy(errors.errno_exception(err, "read"))

    # ------------------------------------------------------------------
    # connect

    def connect(self, *args: Any, **kwargs: Any) -> Socket:
        """socket.connect(port[, host][, connectListener]) or (options[, connectListener])."""
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
        _connect.lookup_and_connect(self, opts, port)
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
        if self._destroyed:
            self._undestroy()
        if self._handle is None:
            self._attach(handle_type(self._loop))
        if cb is not None:
            self.once("connect", cb)
        self.connecting = True
        self._update_write_direct()

    def _undestroy(self) -> None:
        self._destroyed = self._error_emitted = False
        self._ending = self._final_started = self._finished = False
        self._eof = self._end_emitted = False
        self._writable_length = 0
        self._peername = self._sockname = None

    def _reinitialize_handle(self, handle: StreamHandle) -> None:
        """A fresh handle for the next connection attempt (Node's kReinitializeHandle)."""
        old = self._handle
        if old is not None:
            old.close()
        self._attach(handle)

    def _onconnect(self, status: int) -> None:
        """Node's afterConnect."""
        if self._destroyed:
            return
        address, port, address_type = self._connect_target
        self.connecting = False
        self._sockname = None
        self._update_write_direct()
        if status < 0:
            ex = errors.exception_with_host_port(status, "connect", address, port)
            self.emit("connectionAttemptFailed", address, port, address_type, ex)
            self.destroy(ex)
            return
        h = self._handle
        if isinstance(h, TCP):
            if self._set_no_delay:
                h.set_no_delay(True)
            if self._set_keep_alive:
                h.set_keep_alive(True, self._keep_alive_delay)
        self.emit("connect")
        self.emit("ready")
        if self._flowing is not False:
            self._read_start()

    # ------------------------------------------------------------------
    # reading

    def _update_read_direct(self) -> None:
        """May a read go straight to the 'data' listener?  Flowing, undecoded, nothing buffered."""
        self._read_direct = bool(self._flowing) and self._decoder is None and not self._rbuf

    def _onread(self, data: bytes) -> None:
        self._bytes_read += len(data)
        if self._idle_timer is not None:
            self._idle_timer.start(self._idle_ms)  # activity: a new idle period
        if self._read_direct:  # Node's fast path: flowing with an empty buffer
            fn = self._events.get("data")
            if fn is not None and type(fn) is not list:
                fn(data)
            else:
                self.emit("data", data)
            return
        if self._decoder is not None:
            chunk: Any = self._decoder.write(data)
            if not chunk:
                return
        else:
            chunk = data
        if self._flowing and not self._rbuf:
            self.emit("data", chunk)  # Node's fast path: no buffering at all
            return
        self._rbuf.append(chunk)
        self._rlen += len(chunk)
        self._read_direct = False
        if self._rlen >= self._readableHighWaterMark and self._handle is not None:
            self._handle.read_stop()

    def _onreaderror(self, nread: int) -> None:
        if nread != _UV_EOF:
            self.destroy(errors.errno_exception(nread, "read"))
            return
        self._eof = True
        if self._handle is not None:
            self._handle.read_stop()
        if self._decoder is not None:
            tail = self._decoder.end()
            if tail:
                self._rbuf.append(tail)
                self._rlen += len(tail)
        if not self._allowHalfOpen:
            # Node's onReadableStreamEnd: nothing more may be written after the FIN.
            self._write_after_fin = True
        self._maybe_end()

    def _maybe_end(self) -> None:
        if self._eof and not self._rbuf and not self._end_emitted:
            self._loop.next_tick(self._emit_end)

    def _emit_end(self) -> None:
        if self._end_emitted or self._destroyed or self._rbuf:
            return
        self._end_emitted = True
        self.emit("end")
        if not self._allowHalfOpen and not self._ending:
            self._loop.next_tick(self.end)
        elif self._finished or not self._writable_side():
            self.destroy()

    def _writable_side(self) -> bool:
        return self._handle is not None and not self._ending

    def _added(self, name: Any) -> None:
        if name == "data" and self._flowing is not False:
            self.resume()

    def _flow(self) -> None:
        while self._flowing and self._rbuf and not self._destroyed:
            chunk = self._rbuf.popleft()
            self._rlen -= len(chunk)
            self.emit("data", chunk)
        self._update_read_direct()
        if self._flowing and not self._rbuf:
            if self._eof:
                self._maybe_end()
            elif not self.connecting:
                self._read_start()

    def pause(self) -> Socket:
        """Stops 'data' events; data is buffered (and reading stops at the high-water mark)."""
        if self._flowing is not False:
            self._flowing = False
            self._read_direct = False
            self.emit("pause")
        return self

    def resume(self) -> Socket:
        """Starts (or restarts) 'data' events."""
        if not self._flowing:
            self._flowing = True
            self._loop.next_tick(self._resume_tick)
        return self

    def _resume_tick(self) -> None:
        self.emit("resume")
        self._flow()

    def isPaused(self) -> bool:
        """Whether reading is paused (spec: readable.isPaused())."""
        return self._flowing is False

    def setEncoding(self, encoding: str | None = None) -> Socket:
        """Delivers 'data' as str decoded with ``encoding`` (no character split across reads)."""
        enc = _encoding.check(encoding)
        self._decoder = _encoding.Decoder(enc)
        self._read_direct = False
        if self._rbuf:
            raw = b"".join(c if isinstance(c, bytes) else c.encode() for c in self._rbuf)
            text = self._decoder.write(raw)
            self._rbuf = deque([text] if text else [])
            self._rlen = len(text)
        return self

    @property
    def readableFlowing(self) -> bool | None:
        """None, True or False: the flowing state (spec: readable.readableFlowing)."""
        return self._flowing

    @property
    def readableEnded(self) -> bool:
        """True once 'end' has been emitted (spec: readable.readableEnded)."""
        return self._end_emitted

    @property
    def readableLength(self) -> int:
        """Bytes (or characters) buffered for reading (spec: readable.readableLength)."""
        return self._rlen

    @property
    def readable(self) -> bool:
        """True while data can still be read (spec: readable.readable)."""
        return not self._destroyed and not self._end_emitted and not self._error_emitted

    # ------------------------------------------------------------------
    # writing

    _write_after_fin = False

    def write(self, data: Any, encoding: Any = None, cb: _Callback = None) -> bool:
        """Sends ``data``; False when the buffer is over the high-water mark (wait for 'drain')."""
        # Node's fast path: open, nothing buffered, plain bytes, no callback.
        # Straight to the C write; anything unusual takes the full path below.
        if self._idle_timer is not None and not self._destroyed:
            self._idle_timer.start(self._idle_ms)  # activity: a new idle period
        if self._write_direct and cb is None and type(data) is bytes and encoding is None:
            n = len(data)
            length = self._writable_length + n
            if length < self._writableHighWaterMark:
                r = _pynet_write(self._sptr, data, n)
                if r == 0:
                    self._bytes_dispatched += n
                    return True
                self._writable_length = length
                if r > 0:
                    self._loop.touch()  # queued: an attached asyncio driver must run libuv
                self._after_dispatch(r, n, None, True)
                return True
        if callable(encoding):
            cb, encoding = encoding, None
        if isinstance(data, str):
            data = _encoding.encode(data, _encoding.check(encoding))
        elif not isinstance(data, _BUFFER_TYPES):
            if data is None:
                raise errors.make("ERR_STREAM_NULL_VALUES")
            raise errors.make("ERR_INVALID_ARG_TYPE", "chunk",
                              ["string", "Buffer", "TypedArray", "DataView"], data)
        if cb is not None and not callable(cb):
            raise errors.make("ERR_INVALID_ARG_TYPE", "cb", "function", cb)
        if self._ending:
            err: Exception = (_ended_by_peer() if self._write_after_fin
                              else errors.make("ERR_STREAM_WRITE_AFTER_END"))
            if cb is not None:
                self._loop.next_tick(cb, err)
            self.destroy(err)
            return False
        if self._destroyed:
            err = errors.make("ERR_STREAM_DESTROYED", "write")
            if cb is not None:
                self._loop.next_tick(cb, err)
            return False
        n = len(data) if type(data) is not memoryview else data.nbytes
        length = self._writable_length + n
        self._writable_length = length
        ret = length < self._writableHighWaterMark
        if not ret:
            self._need_drain = True
        h = self._handle
        if self.connecting or self._pending:
            self._pending.append((bytes(data), cb))
            if len(self._pending) == 1 and self.connecting:
                self.once("connect", self._flush_pending)
            return ret
        if h is None:
            err = errors.make("ERR_SOCKET_CLOSED")
            if cb is not None:
                cb(err)
            self.destroy(err)
            return False
        self._dispatch(h, data, n, cb, True)
        return ret

    def _dispatch(self, h: StreamHandle, data: Any, n: int, cb: _Callback, sync: bool) -> None:
        self._after_dispatch(h.write(data), n, cb, sync)

    def _after_dispatch(self, r: int, n: int, cb: _Callback, sync: bool) -> None:
        """Accounts for one write handed to libuv: ``r`` is pynet_write's answer."""
        self._bytes_dispatched += n
        if r == 0:
            self._writable_length -= n
            if cb is None and not self._need_drain:
                return  # the echo fast path: nothing to report
            if sync:
                self._loop.next_tick(self._after_write, cb)
            else:
                self._after_write(cb)
        elif r > 0:
            # The part try_write sent is no longer buffered; the rest completes in onwrite.
            self._writable_length -= n - r
            self._queued.append((r, cb))
        else:
            self._writable_length -= n
            err = errors.errno_exception(r, "write")
            if cb is not None:
                self._loop.next_tick(cb, err)
            self.destroy(err)

    def _after_write(self, cb: _Callback) -> None:
        if self._need_drain and self._writable_length == 0 and not self._ending \
                and not self._destroyed:
            self._need_drain = False
            self.emit("drain")
        if cb is not None:
            cb(None)
        self._maybe_final()

    def _onwrite(self, status: int) -> None:
        n, cb = self._queued.popleft()
        self._writable_length -= n
        if status < 0:
            if self._destroyed:
                if cb is not None:
                    cb(None)
                return
            err = errors.errno_exception(status, "write")
            if cb is not None:
                cb(err)
            self.destroy(err)
            return
        self._after_write(cb)

    def _flush_pending(self) -> None:
        # Pop one at a time: what is still pending must stay visible, so that
        # end() waits for it and a write from a callback queues behind it.
        pending = self._pending
        while pending:
            h = self._handle
            if h is None or self._destroyed:
                rest = list(pending)
                pending.clear()
                self._fail_pending(rest)
                return
            data, cb = pending.popleft()
            self._dispatch(h, data, len(data), cb, False)
        self._update_write_direct()
        self._maybe_final()

    def _fail_pending(self, pending: list[tuple[bytes, _Callback]]) -> None:
        """Node's errorBuffer: writes never dispatched get ERR_STREAM_DESTROYED."""
        for data, cb in pending:
            self._writable_length -= len(data)
            if cb is not None:
                cb(errors.make("ERR_STREAM_DESTROYED", "write"))

    def end(self, data: Any = None, encoding: Any = None, cb: _Callback = None) -> Socket:
        """Half-closes: sends ``data`` (if any), then FIN once everything queued is out."""
        if callable(data):
            data, cb = None, data
        elif callable(encoding):
            encoding, cb = None, encoding
        if data is not None:
            self.write(data, encoding)
        if cb is not None:
            if self._finished:
                self._loop.next_tick(cb, None)
            else:
                self._end_cbs.append(cb)
        if self._ending:
            return self
        self._ending = True
        self._write_direct = False
        self._maybe_final()
        return self

    def _maybe_final(self) -> None:
        if not self._ending or self._final_started or self._destroyed:
            return
        if self._pending or self._queued or self.connecting:
            return
        self._final_started = True
        h = self._handle
        if h is None:
            self._loop.next_tick(self._finish)
            return
        err = h.shutdown()
        if err:
            if err == lib.UV_ENOTCONN:
                self._loop.next_tick(self._finish)
            else:
                self.destroy(errors.errno_exception(err, "shutdown"))

    def _onshutdown(self, status: int) -> None:
        # Node's afterShutdown ignores the status: the FIN was at least attempted.
        self._finish()

    def _finish(self) -> None:
        if self._finished or self._destroyed:
            return
        self._finished = True
        cbs, self._end_cbs = self._end_cbs, []
        for cb in cbs:
            cb(None)
        self.emit("finish")
        if self._end_emitted or not self.readable:
            self.destroy()

    @property
    def writable(self) -> bool:
        """True until end() or destroy() (spec: writable.writable)."""
        return not self._destroyed and not self._ending

    @property
    def writableLength(self) -> int:
        """Bytes written but not yet handed to the kernel (spec: writable.writableLength)."""
        return self._writable_length

    bufferSize = writableLength

    @property
    def writableEnded(self) -> bool:
        """True once end() has been called (spec: writable.writableEnded)."""
        return self._ending

    @property
    def writableFinished(self) -> bool:
        """True once 'finish' has been emitted (spec: writable.writableFinished)."""
        return self._finished

    @property
    def writableNeedDrain(self) -> bool:
        """True when write() said False and 'drain' is due (spec: writable.writableNeedDrain)."""
        return self._need_drain

    @property
    def bytesWritten(self) -> int:
        """Bytes sent, counting those still queued (spec: socket.bytesWritten)."""
        return self._bytes_dispatched + sum(len(d) for d, _ in self._pending)

    # ------------------------------------------------------------------
    # destroying

    def destroy(self, error: BaseException | None = None) -> Socket:
        """Closes the connection now; 'error' (if ``error``) then 'close'(had_error)."""
        if self._destroyed:
            return self
        self._destroyed = True
        self._write_direct = False
        self.connecting = False
        if self._idle_timer is not None:
            self._idle_timer.close()
            self._idle_timer = None
        had_error = error is not None
        pending = list(self._pending)
        self._pending.clear()
        self._fail_pending(pending)
        if self._rbuf:
            self._rbuf.clear()
            self._rlen = 0
        if error is not None:
            self._loop.next_tick(self._emit_error, error)
        h = self._handle
        if h is not None:
            self._peername = self._remote_info()
            self._sockname = self._local_info()
            self._handle = None
            h.read_stop()
            h.close(lambda: self._emit_close(had_error))
        else:
            # Node's emitCloseNT passes no hadError for a socket that never had a handle.
            self._loop.next_tick(self._emit_close, False)
        return self

    def _emit_error(self, error: BaseException) -> None:
        if self._error_emitted:
            return
        self._error_emitted = True
        self.emit("error", error)

    def _emit_close(self, had_error: bool) -> None:
        server = self.server
        if server is not None:
            server._connection_closed(self)
        self.emit("close", had_error)

    def destroySoon(self) -> None:
        """Ends the writable side, then destroys once everything is flushed."""
        if self.writable:
            self.end()
        if self._finished:
            self.destroy()
        else:
            self.once("finish", self.destroy)

    @property
    def destroyed(self) -> bool:
        """True once destroy() has been called (spec: socket.destroyed)."""
        return self._destroyed

    # ------------------------------------------------------------------
    # addresses and options

    def _local_info(self) -> AddressInfo | None:
        if self._sockname is None and isinstance(self._handle, TCP):
            name = self._handle.name(False)
            if isinstance(name, dict):
                self._sockname = AddressInfo(name)
        return self._sockname

    def _remote_info(self) -> AddressInfo | None:
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

    def setTimeout(self, msecs: float, callback: Callable[..., Any] | None = None) -> Socket:
        """Emits 'timeout' after ``msecs`` of inactivity (0 turns it off); it does not close."""
        if self._destroyed:
            return self
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
        # Node's timers coerce the same way: under 1 ms (or over 2**31-1) is 1 ms.
        self._idle_ms = max(int(msecs), 1) if msecs <= 2**31 - 1 else 1
        timer = self._idle_timer = TimerHandle(self._loop, self._on_idle_timeout)
        timer.unref()  # an idle timer never keeps the loop alive, as in Node
        timer.start(self._idle_ms)
        if callback is not None:
            v.validate_function(callback, "callback")
            self.once("timeout", callback)
        return self

    def _on_idle_timeout(self) -> None:
        if not self._destroyed:
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

    async def __aiter__(self) -> AsyncIterator[Any]:
        """``async for chunk in sock:`` (Node's ``for await``), with backpressure.

        Reading pauses while the consumer lags; the loop ends at 'end' and
        raises the socket's 'error'.
        """
        queue: deque[Any] = deque()
        waiter: list[asyncio.Future[None]] = []
        state: dict[str, Any] = {"done": False, "error": None}

        def wake() -> None:
            while waiter:
                fut = waiter.pop()
                if not fut.done():
                    fut.set_result(None)

        def on_data(chunk: Any) -> None:
            queue.append(chunk)
            self.pause()  # one chunk ahead of the consumer at most
            wake()

        def on_end() -> None:
            state["done"] = True
            wake()

        def on_error(err: BaseException) -> None:
            state["error"] = err
            wake()

        def on_close(*_: Any) -> None:
            on_end()

        self.on("data", on_data)
        self.on("end", on_end)
        self.on("close", on_close)
        self.on("error", on_error)
        try:
            while True:
                if queue:
                    chunk = queue.popleft()
                    if not queue:
                        self.resume()
                    yield chunk
                    continue
                if state["error"] is not None:
                    raise state["error"]
                if state["done"]:
                    return
                fut = asyncio.get_running_loop().create_future()
                waiter.append(fut)
                await fut
        finally:
            self.removeListener("data", on_data)
            self.removeListener("end", on_end)
            self.removeListener("close", on_close)
            self.removeListener("error", on_error)

    def __repr__(self) -> str:
        local, remote = self._sockname or self._local_info(), self._remote_info()
        where = ""
        if local:
            where = f" {local['address']}:{local['port']}"
        if remote:
            where += f" -> {remote['address']}:{remote['port']}"
        return f"<Socket{where} {self.readyState}>"


def _ended_by_peer() -> errors.NodeError:
    """Node's writeAfterFIN error: an EPIPE that is not a system error."""
    return errors.NodeError("This socket has been ended by the other party", code="EPIPE")


def _keep_alive_seconds(initial_delay: Any) -> int:
    """Node's ``~~(initialDelay / 1000)``, never negative."""
    try:
        return max(int(float(initial_delay or 0) / 1000), 0)
    except (TypeError, ValueError):
        return 0


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
