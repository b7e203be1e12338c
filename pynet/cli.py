"""``pynet`` / ``python -m pynet``: a netcat/socat-class tool built on pynet's public API.

    pynet listen PORT|PATH [--host H] [--keep-open]   # like nc -l
    pynet connect HOST PORT | PATH                    # like nc
    pynet echo PORT|PATH [--host H]                   # an echo server
    pynet proxy LISTEN TARGET [--max-connections N] [--allow CIDR] [--deny CIDR]
                              [--idle-timeout SECONDS]

Endpoints follow ``listen()``'s rules: a number is a port, anything else is a
pipe path.  ``HOST:PORT`` (``[v6]:PORT``) names a TCP endpoint in ``proxy``;
``@name`` is the Linux abstract socket ``\\0name`` (a NUL cannot be typed).
Exit status: 0 when done, 1 with Node's error code on a network failure, 2 on
bad arguments, 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from . import _loop
from ._handle import AsyncHandle
from .blocklist import BlockList
from .errors import NodeError
from .net import connect, createServer
from .server import Server
from .socket import Socket
from .stream import Readable, Writable
from .timers import setInterval

__all__ = ["main"]

_CHUNK = 64 * 1024


# ---------------------------------------------------------------------------
# endpoints

def _endpoint(text: str, default_host: str | None = None) -> dict[str, Any]:
    """``8080``, ``host:8080``, ``[::1]:8080``, a path, or ``@abstract``: listen/connect options."""
    if text.isdigit():
        opts: dict[str, Any] = {"port": int(text)}
        if default_host:
            opts["host"] = default_host
        return opts
    if text.startswith("@"):
        return {"path": "\0" + text[1:]}
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and host and "/" not in host and "\\" not in host:
        return {"host": host.strip("[]"), "port": int(port)}
    return {"path": text}


def _bound(server: Server, opts: dict[str, Any]) -> str:
    """Where a listening server really is (port 0 becomes the port it got)."""
    address = server.address()
    if isinstance(address, dict):
        return _describe({"host": address["address"], "port": address["port"]})
    return _describe(opts)


def _describe(opts: dict[str, Any]) -> str:
    if "path" in opts:
        path = str(opts["path"])
        return "@" + path[1:] if path.startswith("\0") else path
    host = opts.get("host", "")
    return f"[{host}]:{opts['port']}" if ":" in host else f"{host}:{opts['port']}"


def _peer(sock: Socket) -> str:
    if sock.remoteAddress is None:
        return "local peer"
    address = sock.remoteAddress
    return f"[{address}]:{sock.remotePort}" if ":" in address else f"{address}:{sock.remotePort}"


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


# ---------------------------------------------------------------------------
# stdio as streams

class StdinReader(Readable):
    """Standard input as a Readable, whatever it is (tty, pipe, file, socket).

    A thread does the blocking reads and hands each chunk to the loop through a
    uv_async; it waits while the stream is over its high-water mark, so a slow
    network peer slows the reads instead of growing a buffer.
    """

    def __init__(self, fd: int = 0) -> None:
        super().__init__(highWaterMark=_CHUNK)
        self._fd = fd
        self._chunks: deque[bytes] = deque()
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._wanted.set()
        self._wakeup = AsyncHandle(_loop.current(), self._deliver)
        self._thread = threading.Thread(target=self._run, name="pynet-stdin", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            try:
                data = os.read(self._fd, _CHUNK)
            except OSError:
                data = b""
            with self._lock:
                self._chunks.append(data)
            self._wakeup.send()
            if not data:
                return

    def _deliver(self) -> None:
        while True:
            with self._lock:
                if not self._chunks:
                    return
                data = self._chunks.popleft()
            if not data:
                self._wakeup.close()
                self.push(None)
                return
            if not self.push(data):
                self._wanted.clear()

    def _read(self, n: int) -> None:
        self._wanted.set()

    def _destroy(self, error: BaseException | None, cb: Any) -> None:
        self._wakeup.close()  # the thread may stay blocked in read(): it is a daemon
        cb(error)


class StdoutWriter(Writable):
    """Standard output as a Writable: blocking writes, as Node does for files and ttys."""

    def __init__(self, fd: int = 1) -> None:
        super().__init__(highWaterMark=_CHUNK)
        self._fd = fd

    def _write(self, chunk: Any, encoding: str, cb: Any) -> None:
        view = memoryview(chunk)
        try:
            while view:
                view = view[os.write(self._fd, view):]
        except OSError as e:
            cb(e)
            return
        cb()


# ---------------------------------------------------------------------------
# the session: connections, counters, logging, shutdown

class Session:
    """What one invocation owns: its servers and sockets, counters, and stderr output."""

    def __init__(self, verbose: bool, stats: bool) -> None:
        self.verbose = verbose
        self.stats = stats
        self.tty = sys.stderr.isatty()
        self.servers: list[Server] = []
        self.sockets: set[Socket] = set()
        self.total = 0
        self.closed_in = 0
        self.closed_out = 0
        self.started = time.monotonic()
        self.failure: BaseException | None = None
        self._last = (self.started, 0)
        self._line_shown = False
        self.stdin: StdinReader | None = None
        if stats:
            interval = setInterval(self._status, 1000 if self.tty else 5000)
            interval.unref()

    # -- accounting ----------------------------------------------------------
    def track(self, sock: Socket, label: str) -> None:
        self.sockets.add(sock)
        self.total += 1
        started = time.monotonic()
        if self.verbose:
            self.log(f"{label} {_peer(sock)}")

        def on_close(*_: Any) -> None:
            self.sockets.discard(sock)
            self.closed_in += sock.bytesRead
            self.closed_out += sock.bytesWritten
            if self.verbose:
                self.log(f"closed {_peer(sock)}: {_size(sock.bytesRead)} in, "
                         f"{_size(sock.bytesWritten)} out, {time.monotonic() - started:.3f} s")

        sock.on("close", on_close)

    def bytes_in_out(self) -> tuple[int, int]:
        live_in = sum(s.bytesRead for s in self.sockets)
        live_out = sum(s.bytesWritten for s in self.sockets)
        return self.closed_in + live_in, self.closed_out + live_out

    # -- output --------------------------------------------------------------
    def log(self, text: str) -> None:
        if self._line_shown:
            sys.stderr.write("\r\x1b[K")
            self._line_shown = False
        sys.stderr.write(f"pynet: {text}\n")
        sys.stderr.flush()

    def _status_text(self) -> str:
        now = time.monotonic()
        bin_, bout = self.bytes_in_out()
        last_t, last_bytes = self._last
        rate = (bin_ + bout - last_bytes) / max(now - last_t, 1e-6)
        self._last = (now, bin_ + bout)
        return (f"{len(self.sockets)} open, {self.total} total, {_size(bin_)} in, "
                f"{_size(bout)} out, {_size(rate)}/s")

    def _status(self) -> None:
        text = self._status_text()
        if self.tty:
            sys.stderr.write(f"\r\x1b[K[pynet] {text}")
            self._line_shown = True
            sys.stderr.flush()
        else:
            self.log(text)

    def summary(self) -> None:
        if not self.stats:
            return
        bin_, bout = self.bytes_in_out()
        elapsed = time.monotonic() - self.started
        self.log(f"summary: {self.total} connections, {_size(bin_)} in, {_size(bout)} out, "
                 f"{elapsed:.2f} s")

    # -- ending --------------------------------------------------------------
    def fail(self, err: BaseException) -> None:
        if self.failure is None:
            self.failure = err
        code = getattr(err, "code", None)
        self.log(f"{err}" + (f" ({code})" if code and code not in str(err) else ""))

    def shutdown(self) -> None:
        """Closes every server (their socket files go) and connection."""
        for server in self.servers:
            if server.listening:
                server.close()
        for sock in list(self.sockets):
            sock.destroy()
        if self.stdin is not None:
            self.stdin.destroy()


# ---------------------------------------------------------------------------
# subcommands

def _cmd_connect(args: argparse.Namespace, session: Session) -> None:
    if args.port is None:
        opts = _endpoint(args.target)
        if "path" not in opts:
            raise _UsageError("connect needs HOST PORT, or a socket PATH")
    else:
        if not args.port.isdigit():
            raise _UsageError(f"PORT must be a number, not {args.port!r}")
        opts = {"host": args.target, "port": int(args.port)}
    opts["allowHalfOpen"] = True
    sock = connect(opts)
    session.track(sock, "connecting to")
    stdout = StdoutWriter()
    sock.on("error", session.fail)

    def on_connect() -> None:
        stdin = session.stdin = StdinReader()
        stdin.pipe(sock)  # stdin EOF -> end() -> FIN: the half-close

        def on_peer_end() -> None:
            stdin.unpipe(sock)
            stdin.destroy()
            sock.end()
        sock.on("end", on_peer_end)

    sock.on("connect", on_connect)
    sock.pipe(stdout, {"end": False})


def _serve(args: argparse.Namespace, session: Session, on_connection: Any,
           server_opts: dict[str, Any] | None = None) -> Server:
    where = _endpoint(args.where, args.host)
    server = createServer(server_opts or {}, on_connection)
    session.servers.append(server)
    server.on("error", session.fail)

    def on_listening() -> None:
        if session.verbose:
            session.log(f"listening on {_bound(server, where)}")
    server.listen(where, on_listening)
    return server


def _cmd_listen(args: argparse.Namespace, session: Session) -> None:
    stdout = StdoutWriter()
    peers: list[Socket] = []

    def start_stdin() -> None:
        stdin = session.stdin = StdinReader()

        def to_peers(data: bytes) -> None:
            for peer in peers:
                if peer.writable and not peer.write(data):
                    stdin.pause()
                    peer.once("drain", stdin.resume)

        def stdin_ended() -> None:
            for peer in peers:
                peer.end()
        stdin.on("data", to_peers)
        stdin.on("end", stdin_ended)

    def on_connection(sock: Socket) -> None:
        session.track(sock, "connection from")
        sock.on("error", session.fail)
        peers.append(sock)
        sock.on("close", lambda *_: peers.remove(sock))
        sock.pipe(stdout, {"end": False})
        if session.stdin is None:
            start_stdin()
        elif session.stdin.readableEnded:
            sock.end()
        if not args.keep_open:
            server.close()  # like nc -l: one connection, then done

        def on_end() -> None:
            # The peer is done sending; with nothing more to say, close our side too.
            if not args.keep_open and session.stdin is not None:
                session.stdin.destroy()
            sock.end()
        sock.on("end", on_end)

    server = _serve(args, session, on_connection, {"allowHalfOpen": True})


def _cmd_echo(args: argparse.Namespace, session: Session) -> None:
    def on_connection(sock: Socket) -> None:
        session.track(sock, "connection from")
        sock.on("error", lambda err: session.log(f"{_peer(sock)}: {err}"))
        sock.pipe(sock)

    _serve(args, session, on_connection)


def _cmd_proxy(args: argparse.Namespace, session: Session) -> None:
    listen_at = _endpoint(args.listen, "127.0.0.1")
    target = _endpoint(args.target, "127.0.0.1")
    deny = BlockList()
    for cidr in args.deny:
        _add_rule(deny, cidr)
    allow: BlockList | None = None
    if args.allow:
        allow = BlockList()
        for cidr in args.allow:
            _add_rule(allow, cidr)

    def on_connection(client: Socket) -> None:
        if allow is not None and client.remoteAddress is not None and not allow.check(
                client.remoteAddress, (client.remoteFamily or "IPv4").lower()):
            if session.verbose:
                session.log(f"refused {_peer(client)}: not in --allow")
            client.destroy()
            return
        session.track(client, "connection from")
        upstream = connect(dict(target, allowHalfOpen=True))
        session.track(upstream, f"forwarding {_peer(client)} to")

        def broken(err: BaseException) -> None:
            if session.verbose:
                session.log(f"{_peer(client)}: {err}")
            client.destroy()
            upstream.destroy()

        client.on("error", broken)
        upstream.on("error", broken)
        client.on("close", lambda *_: upstream.destroy() if upstream.connecting else None)
        if args.idle_timeout:
            for s in (client, upstream):
                s.setTimeout(args.idle_timeout * 1000, lambda: (client.destroy(),
                                                                 upstream.destroy()))
        client.pipe(upstream)
        upstream.pipe(client)

    server = createServer({"allowHalfOpen": True, "blockList": deny}, on_connection)
    session.servers.append(server)
    if args.max_connections is not None:
        server.maxConnections = args.max_connections
    server.on("error", session.fail)
    server.on("drop", lambda info: session.log(
        f"dropped {info.get('remoteAddress')}:{info.get('remotePort')}") if session.verbose
        else None)

    def on_listening() -> None:
        if session.verbose:
            session.log(f"proxy {_bound(server, listen_at)} -> {_describe(target)}")
    server.listen(listen_at, on_listening)


def _add_rule(blocklist: BlockList, cidr: str) -> None:
    address, sep, prefix = cidr.partition("/")
    family = "ipv6" if ":" in address else "ipv4"
    try:
        if sep:
            blocklist.addSubnet(address, int(prefix), family)
        else:
            blocklist.addAddress(address, family)
    except (ValueError, TypeError, NodeError) as e:
        raise _UsageError(f"bad address or CIDR {cidr!r}: {e}") from None


# ---------------------------------------------------------------------------
# main

class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true",
                        help="log connections (address, bytes each way, duration) to stderr")
    common.add_argument("--stats", action="store_true",
                        help="a live status line on stderr (plain lines when not a terminal) "
                             "and a summary at exit")
    parser = argparse.ArgumentParser(
        prog="pynet", description="Node-style TCP and IPC from the command line (pynet).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("listen", parents=[common], help="accept connections, like nc -l",
                       description="Accept a connection; copy stdin to it and it to stdout.")
    p.add_argument("where", metavar="PORT|PATH")
    p.add_argument("--host", help="address to listen on (default: all)")
    p.add_argument("-k", "--keep-open", action="store_true",
                   help="keep accepting after the first connection")
    p = sub.add_parser("connect", parents=[common], help="connect, like nc",
                       description="Connect; copy stdin to the peer (FIN at stdin EOF) and "
                                   "the peer to stdout.")
    p.add_argument("target", metavar="HOST|PATH")
    p.add_argument("port", metavar="PORT", nargs="?")
    p = sub.add_parser("echo", parents=[common], help="an echo server")
    p.add_argument("where", metavar="PORT|PATH")
    p.add_argument("--host", help="address to listen on (default: all)")
    p = sub.add_parser("proxy", parents=[common], help="forward connections to a target",
                       description="Forward each connection to LISTEN on to TARGET "
                                   "(TCP and Unix sockets, both ways).")
    p.add_argument("listen", metavar="LISTEN", help="PORT, HOST:PORT or PATH")
    p.add_argument("target", metavar="TARGET", help="PORT, HOST:PORT or PATH")
    p.add_argument("--max-connections", type=int, metavar="N",
                   help="refuse connections beyond N (Server.maxConnections)")
    p.add_argument("--allow", action="append", default=[], metavar="CIDR",
                   help="accept only clients in CIDR (repeatable)")
    p.add_argument("--deny", action="append", default=[], metavar="CIDR",
                   help="refuse clients in CIDR (repeatable; a net.BlockList)")
    p.add_argument("--idle-timeout", type=float, metavar="SECONDS",
                   help="close a connection idle this long")
    return parser


_COMMANDS = {"connect": _cmd_connect, "listen": _cmd_listen, "echo": _cmd_echo,
             "proxy": _cmd_proxy}


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    session = Session(args.verbose, args.stats)
    previous_term = signal.signal(signal.SIGTERM, _terminate)
    try:
        try:
            _COMMANDS[args.command](args, session)
        except _UsageError as e:
            parser.print_usage(sys.stderr)
            sys.stderr.write(f"pynet {args.command}: error: {e}\n")
            session.shutdown()
            _loop.run()
            return 2
        except (TypeError, ValueError) as e:  # Node's argument errors, e.g. a bad port
            parser.print_usage(sys.stderr)
            sys.stderr.write(f"pynet {args.command}: error: {e}\n")
            session.shutdown()
            _loop.run()
            return 2
        try:
            _loop.run()
        except KeyboardInterrupt:
            session.shutdown()
            _loop.run()
            session.summary()
            return 130
        session.summary()
        return 1 if session.failure is not None else 0
    finally:
        signal.signal(signal.SIGTERM, previous_term)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the run like Ctrl-C: everything closed cleanly


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
