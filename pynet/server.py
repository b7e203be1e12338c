"""``net.Server``: a listening TCP handle that makes a Socket per connection."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
from collections.abc import AsyncIterator, Callable
from typing import Any

from . import _loop, errors
from . import _validators as v
from ._dns import lookup as dns_lookup
from ._ffi import lib
from ._names import options as _options
from ._names import stored
from ._pipe import Pipe, is_abstract
from ._stream import StreamHandle
from ._tcp import TCP
from ._types import AddressInfo
from .abort import validate_abort_signal
from .blocklist import BlockList
from .events import EventEmitter, call_with_optional_arg, once
from .socket import Socket, _is_pipe_name, adopt_fd, normalize_args

__all__ = ["Server"]

_DEFAULT_BACKLOG = 511

# Server options handed to every accepted Socket, with Node's defaults.
_SERVER_OPTIONS = {
    "allowHalfOpen": False,
    "pauseOnConnect": False,
    "noDelay": False,
    "keepAlive": False,
    "keepAliveInitialDelay": 0,
    "highWaterMark": None,
    "blockList": None,
}


class Server(EventEmitter):
    """Node's ``net.Server`` (spec: "Class: net.Server")."""

    def __init__(self, options: Any = None, connectionListener: Callable[..., Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__()
        if callable(options) and connectionListener is None:
            options, connectionListener = None, options
        if options is not None and not isinstance(options, dict):
            raise errors.make("ERR_INVALID_ARG_TYPE", "options", "object", options)
        opts = _options(options, kwargs)
        self._blockList: BlockList | None = None
        for name, default in _SERVER_OPTIONS.items():
            setattr(self, "_" + name, opts.get(name, default))
        if self.highWaterMark is not None:
            v.validate_number(self.highWaterMark, "options.highWaterMark", 0)
        if self._blockList is not None and not BlockList.isBlockList(self._blockList):
            raise errors.make("ERR_INVALID_ARG_TYPE", "options.blockList", "net.BlockList",
                              self._blockList)
        if connectionListener is not None:
            self.on("connection", connectionListener)
        self._loop = _loop.current()
        self._handle: StreamHandle | None = None
        self._pipe_name: str | None = None
        self._truncated_name: bytes | None = None
        self._connections = 0
        self._unref = False
        self._listen_pending = False
        self._maxConnections: int | None = None

    # Set from _SERVER_OPTIONS in __init__; every connection reads these.
    _allowHalfOpen: bool
    _pauseOnConnect: bool
    _highWaterMark: float | None
    _noDelay: bool
    _keepAlive: bool
    _keepAliveInitialDelay: float

    maxConnections = stored("maxConnections", "Refuse connections beyond this many ('drop').")
    allowHalfOpen = stored("allowHalfOpen")
    pauseOnConnect = stored("pauseOnConnect")
    noDelay = stored("noDelay")
    keepAlive = stored("keepAlive")
    keepAliveInitialDelay = stored("keepAliveInitialDelay")
    highWaterMark = stored("highWaterMark")
    blockList = stored("blockList", "Connections from addresses it blocks are dropped ('drop').")

    # ------------------------------------------------------------------
    # listen

    def listen(self, *args: Any, **kwargs: Any) -> Server:
        """server.listen([port[, host[, backlog]]][, callback]) or (options[, callback])."""
        opts, cb = normalize_args(args, kwargs)
        if self._handle is not None or self._listen_pending:
            raise errors.make("ERR_SERVER_ALREADY_LISTEN")
        self._add_abort_signal(opts.get("signal"))
        backlog_from_args = _backlog_arg(args)
        handle_opts = _listen_handle(opts)
        if handle_opts is not None:
            if cb is not None:
                self.once("listening", cb)
            self._listen_handle(handle_opts, backlog_from_args or _DEFAULT_BACKLOG)
            return self
        if not args or callable(args[0]) or ("port" in opts and opts["port"] is None):
            opts["port"] = 0
        port = opts.get("port")
        if isinstance(port, (int, float, str)) and not isinstance(port, bool):
            port = v.validate_port(port, "options.port")
            backlog = _backlog(opts.get("backlog") or backlog_from_args or _DEFAULT_BACKLOG)
            if cb is not None:
                self.once("listening", cb)
            host = opts.get("host")
            ipv6_only = bool(opts.get("ipv6Only", False))
            if host:
                self._lookup_and_listen(host, port, backlog, ipv6_only)
            else:
                self._setup_listen(None, port, backlog, ipv6_only)
            return self
        path = opts.get("path")
        if path and _is_pipe_name(path):
            backlog = _backlog(opts.get("backlog") or backlog_from_args or _DEFAULT_BACKLOG)
            if cb is not None:
                self.once("listening", cb)
            self._listen_pipe(opts, path, backlog)
            return self
        if "port" not in opts and "path" not in opts:
            raise errors.make("ERR_INVALID_ARG_VALUE", "options", opts,
                              'must have the property "port" or "path"')
        raise errors.make("ERR_INVALID_ARG_VALUE", "options", opts)

    def _listen_handle(self, what: Any, backlog: int) -> None:
        """listen(handle): an existing Server's or Socket's handle, or ``{'fd': n}``."""
        if isinstance(what, StreamHandle):
            handle = what
        else:
            try:
                adopted = adopt_fd(self._loop, what)
            except errors.NodeTypeError:  # ERR_INVALID_FD_TYPE, the only one it raises
                # createServerHandle turns Node's ERR_INVALID_FD_TYPE into EINVAL,
                # emitted as a listen error.
                adopted = int(lib.UV_EINVAL)
            if isinstance(adopted, int):
                self._loop.next_tick(self._emit_error, errors.uv_exception(adopted, "listen"))
                return
            handle = adopted
        err = handle.listen(backlog)
        if err:
            handle.close()
            self._loop.next_tick(self._emit_error, errors.uv_exception(err, "listen"))
            return
        self._start_accepting(handle)

    def _add_abort_signal(self, signal: Any) -> None:
        """Node's addServerAbortSignalOption: aborting the signal closes the server."""
        if signal is None:
            return
        validate_abort_signal(signal, "options.signal")
        if signal.aborted:
            self._loop.next_tick(self.close)
            return

        def on_abort() -> None:
            self.close()

        signal.addEventListener("abort", on_abort, {"once": True})
        self.once("close", lambda: signal.removeEventListener("abort", on_abort))

    def _listen_pipe(self, opts: dict[str, Any], path: str, backlog: int) -> None:
        """listen(path): a Unix domain socket (a named pipe on Windows)."""
        readable_all = opts.get("readableAll") is True
        writable_all = opts.get("writableAll") is True
        if is_abstract(path) and (readable_all or writable_all):
            # Node's message, its typo included, so that ported checks still match.
            raise errors.make("ERR_INVALID_ARG_VALUE", "options", opts,
                              "can not set readableAll or writableAllt to true when path is "
                              "abstract unix socket")
        self._pipe_name = path
        handle = Pipe(self._loop)
        pending = os.environ.get("NODE_PENDING_PIPE_INSTANCES", "")
        if pending.isdigit():  # Windows only, read from the same variable as Node
            handle.set_pending_instances(int(pending))
        err = handle.bind(path) or handle.listen(backlog)
        if err:
            # Node reports a failed bind as a listen error, with port -1.
            handle.close()
            self._loop.next_tick(self._emit_error, errors.uv_exception(err, "listen", path, -1))
            return
        if readable_all or writable_all:
            err = handle.chmod(readable_all, writable_all)
            if err:
                handle.close()
                raise errors.errno_exception(err, "uv_pipe_chmod")
        if not is_abstract(path):
            bound = handle.sockname()
            if bound is not None and bound != os.fsencode(path):
                # Longer than sun_path: libuv bound a truncated name, as in Node 20,
                # and would unlink only the full one. Remove what was really made.
                self._truncated_name = bound
        self._start_accepting(handle)

    def _start_accepting(self, handle: StreamHandle) -> None:
        handle.owner = self
        self._handle = handle
        if self._unref:
            handle.unref()
        self._loop.next_tick(self._emit_listening)

    def _lookup_and_listen(self, host: Any, port: int, backlog: int, ipv6_only: bool) -> None:
        if not isinstance(host, str):
            raise errors.make("ERR_INVALID_ARG_TYPE", "hostname", "string", host)
        self._listen_pending = True

        def on_lookup(err: BaseException | None, ip: str = "", _family: int = 0) -> None:
            if not self._listen_pending:
                return  # close() came first: nothing to listen for any more
            self._listen_pending = False
            if err is not None:
                self.emit("error", err)
            else:
                self._setup_listen(ip, port, backlog, ipv6_only)

        # Node's lookupAndListen: dns.lookup, which answers an IP literal on the next tick.
        dns_lookup(self._loop, host, {}, on_lookup)

    def _setup_listen(self, address: str | None, port: int, backlog: int,
                      ipv6_only: bool) -> None:
        """Node's setupListenHandle: bind (``::`` first when no host), listen, 'listening'."""
        handle: TCP | None = None
        if address is None:
            bound = self._bound_handle("::", port, ipv6_only)
            if isinstance(bound, TCP):
                handle, address = bound, "::"
            else:  # no IPv6 on this host
                address = "0.0.0.0"
        if handle is None:
            bound = self._bound_handle(address, port, ipv6_only)
            if not isinstance(bound, TCP):
                self._loop.next_tick(self._emit_error,
                                     errors.uv_exception(bound, "listen", address, port))
                return
            handle = bound
        err = handle.listen(backlog)
        if err:
            # EADDRINUSE surfaces here, not at bind (libuv defers the bind error).
            handle.close()
            self._loop.next_tick(self._emit_error,
                                 errors.uv_exception(err, "listen", address, port))
            return
        self._start_accepting(handle)

    def _bound_handle(self, ip: str, port: int, ipv6_only: bool) -> TCP | int:
        handle = TCP(self._loop)
        err = handle.bind(ip, port, ipv6_only)
        if err:
            handle.close()
            return err
        return handle

    def _emit_listening(self) -> None:
        if self._handle is not None:
            self.emit("listening")

    def _emit_error(self, err: BaseException) -> None:
        self.emit("error", err)

    # ------------------------------------------------------------------
    # connections

    def _onconnection(self, status: int) -> None:
        if status < 0:
            self.emit("error", errors.errno_exception(status, "accept"))
            return
        assert self._handle is not None
        client: StreamHandle = TCP(self._loop) if isinstance(self._handle, TCP) \
            else Pipe(self._loop)
        err = self._handle.accept(client)
        if err:
            client.close()
            self.emit("error", errors.errno_exception(err, "accept"))
            return
        blocked = False
        if self._blockList is not None and isinstance(client, TCP):
            peer = client.name(True)
            blocked = isinstance(peer, dict) and self._blockList.check(
                peer["address"], peer["family"].lower())
        # As in Node, a maxConnections of 0 (or None) means no limit.
        if blocked or (self._maxConnections and self._connections >= self._maxConnections):
            info = _drop_info(client)
            client.close()
            self.emit("drop", info)
            return
        try:
            sock = Socket._accepted(client, self._allowHalfOpen, self._pauseOnConnect,
                                    self._highWaterMark)
        except BaseException:
            client.close()  # a highWaterMark Node's streams refuse: the error, not a leak
            raise
        if isinstance(client, TCP):
            if self._noDelay:
                client.set_no_delay(True)
            if self._keepAlive:
                client.set_keep_alive(True, int(self._keepAliveInitialDelay // 1000))
        self._connections += 1
        sock.server = self
        self.emit("connection", sock)

    def _connection_closed(self, sock: Socket) -> None:
        self._connections -= 1
        self._emit_close_if_drained()

    def getConnections(self, cb: Callable[..., Any]) -> Server:
        """Calls ``cb(None, count)`` with the number of open connections."""
        v.validate_function(cb, "cb")
        self._loop.next_tick(cb, None, self._connections)
        return self

    # ------------------------------------------------------------------
    # close

    def close(self, cb: Callable[..., Any] | None = None) -> Server:
        """Stops accepting; 'close' once the last connection has ended."""
        if callable(cb):
            call = call_with_optional_arg(cb)
            if self._handle is None:
                self.once("close", lambda *_: call(errors.make("ERR_SERVER_NOT_RUNNING")))
            else:
                self.once("close", lambda *_: call(None))
        self._listen_pending = False  # a listen() still looking up its host is called off
        if self._handle is not None:
            truncated, self._truncated_name = self._truncated_name, None
            self._handle.close((lambda: _unlink_socket(truncated)) if truncated else None)
            self._handle = None
        self._emit_close_if_drained()
        return self

    def _emit_close_if_drained(self) -> None:
        if self._handle is not None or self._connections:
            return
        self._loop.next_tick(self.emit, "close")

    # ------------------------------------------------------------------
    # state

    def address(self) -> AddressInfo | str | None:
        """``{'port': ..., 'family': ..., 'address': ...}`` while listening on TCP, else None.

        For a pipe server, the path it was given (Node returns it even after close).
        """
        if not isinstance(self._handle, TCP):
            return self._pipe_name
        name = self._handle.name(False)
        if isinstance(name, int):
            raise errors.uv_exception(name, "address")
        return AddressInfo(name)

    @property
    def listening(self) -> bool:
        """True while the server accepts connections (spec: server.listening)."""
        return self._handle is not None

    def ref(self) -> Server:
        """Lets this server keep run() alive again (spec: server.ref())."""
        self._unref = False
        if self._handle is not None:
            self._handle.ref()
        return self

    def unref(self) -> Server:
        """Lets run() end even while this server listens (spec: server.unref())."""
        self._unref = True
        if self._handle is not None:
            self._handle.unref()
        return self

    # ------------------------------------------------------------------
    # awaitables (inside a running asyncio loop)

    async def listenAsync(self, *args: Any, **kwargs: Any) -> Server:
        """``listen(...)``, resolved on 'listening'; raises the 'error' instead."""
        listening = once(self, "listening")
        try:
            self.listen(*args, **kwargs)
        except BaseException:
            listening.cancel()
            raise
        await listening
        return self

    async def aclose(self) -> None:
        """Node's ``server[Symbol.asyncDispose]()``: close, and wait for 'close'."""
        if self._handle is None:
            return
        closed = once(self, "close")
        self.close()
        await closed

    async def __aenter__(self) -> Server:
        """``async with server:``: closes the server (and waits) on the way out."""
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Awaits aclose()."""
        await self.aclose()

    async def __aiter__(self) -> AsyncIterator[Socket]:
        """``async for conn in server:`` each accepted Socket, until the server closes."""
        queue: asyncio.Queue[Socket | None] = asyncio.Queue()
        on_connection = queue.put_nowait
        on_close = lambda: queue.put_nowait(None)  # noqa: E731
        self.on("connection", on_connection)
        self.on("close", on_close)
        try:
            while (conn := await queue.get()) is not None:
                yield conn
        finally:
            self.removeListener("connection", on_connection)
            self.removeListener("close", on_close)

    def __repr__(self) -> str:
        addr = self.address()
        where = f" {addr['address']}:{addr['port']}" if isinstance(addr, dict) else \
            f" {addr}" if addr else ""
        return f"<Server{where} {'listening' if self.listening else 'not listening'}>"


def _listen_handle(opts: dict[str, Any]) -> StreamHandle | int | None:
    """Node's ``options._handle || options.handle || options`` for listen(handle)."""
    target = opts.get("_handle") or opts.get("handle")
    if isinstance(target, (Server, Socket)):
        target = target._handle
        if target is None:
            raise errors.make("ERR_INVALID_ARG_VALUE", "options", opts)
    if isinstance(target, StreamHandle):
        return target
    if isinstance(target, dict):
        opts = target
    fd = opts.get("fd")
    if isinstance(fd, int) and not isinstance(fd, bool) and fd >= 0:
        return fd
    return None


def _unlink_socket(name: bytes) -> None:
    """Removes a socket file we bound, if it is still a socket."""
    with contextlib.suppress(OSError):
        if stat.S_ISSOCK(os.lstat(name).st_mode):
            os.unlink(name)


def _drop_info(client: StreamHandle) -> AddressInfo | None:
    """What 'drop' carries: both ends of the refused TCP connection (None for a pipe)."""
    if not isinstance(client, TCP):
        return None
    local, remote = client.name(False), client.name(True)
    if not isinstance(local, dict) or not isinstance(remote, dict):
        return None
    return AddressInfo(localAddress=local["address"], localPort=local["port"],
                       localFamily=local["family"], remoteAddress=remote["address"],
                       remotePort=remote["port"], remoteFamily=remote["family"])


def _backlog(value: Any) -> int:
    """Node does not validate the backlog: C++ reads it as an int32 (junk is 0)."""
    return v.to_int32(value)


def _backlog_arg(args: tuple[Any, ...]) -> int | None:
    """Node's ``toNumber(args[1]) || toNumber(args[2])`` for the positional backlog."""
    for a in args[1:3]:
        if callable(a) or isinstance(a, bool) or a is None:
            continue
        n = v.to_number(a)
        if n == n and n > 0:
            return v.to_int32(n) or None
    return None
