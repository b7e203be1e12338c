"""Socket as a Duplex: the stream semantics a Node port relies on, over real sockets.

Where the outcome does not depend on timing, the same scenario runs in node
and the logs are compared.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import socket as pysocket
import sys

import psutil
import pytest

import pynet as net
from pynet import errors
from pynet import socket as _socket
from pynet._ffi import lib
from pynet.stream import Readable

from .conftest import assert_same_error, node_errors, run_node

JS_PRELUDE = """
const net = require('net');
const log = [];
process.on('exit', () => console.log(JSON.stringify(log)));
"""


def node_log(js: str) -> list:
    return json.loads(run_node(JS_PRELUDE + js)[-1])


PENDING_JS = """
const server = net.createServer((c) => { c.resume(); c.on('end', () => c.end()); });
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  const rets = [];
  for (let i = 0; i < 20; i++) rets.push(c.write(Buffer.alloc(1000, 97)));
  log.push(rets.indexOf(false), c.writableLength, c.bytesWritten, c.writableNeedDrain,
           c.pending, c.readyState);
  c.on('drain', () => log.push(['drain', c.writableLength, c.bytesWritten]));
  c.on('connect', () => log.push(['connect', c.pending, c.readyState]));
  c.on('finish', () => log.push(['finish', c.readyState]));
  c.on('close', (e) => { log.push(['close', e, c.readyState, c.bytesWritten]); server.close(); });
  c.end();
});
"""


def test_writes_before_connect_count_against_the_high_water_mark_like_node():
    log: list = []
    server = net.createServer(lambda c: (c.resume(), c.on("end", lambda: c.end())))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        rets = [c.write(b"a" * 1000) for _ in range(20)]
        log.extend([rets.index(False), c.writableLength, c.bytesWritten, c.writableNeedDrain,
                    c.pending, c.readyState])
        c.on("drain", lambda: log.append(["drain", c.writableLength, c.bytesWritten]))
        c.on("connect", lambda: log.append(["connect", c.pending, c.readyState]))
        c.on("finish", lambda: log.append(["finish", c.readyState]))

        def on_close(e):
            log.append(["close", e, c.readyState, c.bytesWritten])
            server.close()
        c.on("close", on_close)
        c.end()

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(PENDING_JS)


SENT_AT_ONCE_JS = """
let serverSock;
const server = net.createServer((c) => {
  serverSock = c;
  c.pause();
  let got = 0;
  c.on('data', (d) => { got += d.length; });
  c.on('end', () => { log.push(['server got', got]); c.end(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.on('drain', () => { log.push(['drain', c.writableLength, c.writableNeedDrain]); c.end(); });
    const rets = [c.write(Buffer.alloc(16384, 97)), c.write(Buffer.alloc(16384, 98)),
                  c.write(Buffer.alloc(100, 99))];
    log.push(['sent at once', rets, c.writableLength, c.writableNeedDrain]);
    const big = c.write(Buffer.alloc(32 << 20, 100));
    log.push(['queued', big, c.writableNeedDrain, c.writableLength > 0]);
    setImmediate(() => serverSock.resume());
  });
  c.on('close', () => { log.push('close'); server.close(); });
});
"""


def test_a_write_sent_at_once_says_true_whatever_its_size_like_node():
    # Node 20.20 measures the high-water mark after handing the write on: writes
    # the kernel takes at once leave nothing behind and say true (no 'drain' owed),
    # even at 16 KiB; a write libuv has to queue says false, and 'drain' follows.
    log: list = []
    server_sock: list = []

    def on_conn(c):
        server_sock.append(c)
        c.pause()
        got = [0]
        c.on("data", lambda d: got.__setitem__(0, got[0] + len(d)))

        def on_end():
            log.append(["server got", got[0]])
            c.end()
        c.on("end", on_end)

    server = net.createServer(on_conn)

    def on_listen():
        def on_connect():
            def on_drain():
                log.append(["drain", c.writableLength, c.writableNeedDrain])
                c.end()
            c.on("drain", on_drain)
            rets = [c.write(b"a" * 16384), c.write(b"b" * 16384), c.write(b"c" * 100)]
            log.append(["sent at once", rets, c.writableLength, c.writableNeedDrain])
            big = c.write(b"d" * (32 << 20))
            log.append(["queued", big, c.writableNeedDrain, c.writableLength > 0])
            net.setImmediate(lambda: server_sock[0].resume())

        c = net.connect(server.address().port, "127.0.0.1", on_connect)

        def on_close(*_):
            log.append("close")
            server.close()
        c.on("close", on_close)

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(SENT_AT_ONCE_JS)


READABLE_JS = """
const server = net.createServer((c) => c.end('hello world'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('readable', () => {
    let chunk;
    while ((chunk = c.read(5)) !== null) log.push(['read', chunk.toString(), c.readableLength]);
    log.push(['readable done', c.readableEnded]);
  });
  c.on('end', () => log.push(['end', c.readableLength]));
  c.on('close', () => { log.push('close'); server.close(); });
});
"""


def test_readable_and_read_n_on_a_socket_like_node():
    log: list = []
    server = net.createServer(lambda c: c.end("hello world"))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_readable():
            while (chunk := c.read(5)) is not None:
                log.append(["read", chunk.decode(), c.readableLength])
            log.append(["readable done", c.readableEnded])

        c.on("readable", on_readable)
        c.on("end", lambda: log.append(["end", c.readableLength]))
        c.on("close", lambda _: (log.append("close"), server.close()))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(READABLE_JS)


DATA_AFTER_REMOVE_ALL_JS = """
const server = net.createServer((c) => {
  c.write('a');
  c.on('data', (d) => c.write(d.toString() === '1' ? 'b' : 'c', () => {
    if (d.toString() === '2') c.end();
  }));
});
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1');
  log.push(['didRead', s.readableDidRead]);
  s.on('data', (d) => {
    log.push(['first', d.toString(), s.readableDidRead]);
    s.removeAllListeners('data');
    s.write('1');
    const poll = setInterval(() => {
      if (s.bytesRead < 2) return;
      clearInterval(poll);  // 'b' came, to nobody
      log.push(['bytesRead', s.bytesRead, s.readableLength]);
      s.on('data', (d2) => log.push(['again', d2.toString()]));
      s.write('2');
    }, 5);
  });
  s.on('end', () => log.push('end'));
  s.on('close', () => { log.push(['close', s.bytesRead, s.bytesWritten]); server.close(); });
});
"""


def test_data_after_remove_all_listeners_goes_to_nobody_like_node():
    # kDataListening outlives removeAllListeners('data'): the flowing socket goes
    # on emitting, so 'b' is lost, in Node as here; a new listener gets 'c'.
    log: list = []

    def on_connection(c):
        c.write("a")

        def on_data(d):
            def after(*_):
                if d == b"2":
                    c.end()
            c.write("b" if d == b"1" else "c", after)
        c.on("data", on_data)

    server = net.createServer(on_connection)

    def on_listen():
        s = net.connect(server.address().port, "127.0.0.1")
        log.append(["didRead", s.readableDidRead])

        def first(d):
            log.append(["first", d.decode(), s.readableDidRead])
            s.removeAllListeners("data")
            s.write("1")

            def poll():
                if s.bytesRead < 2:
                    return
                net.clearInterval(timer)
                log.append(["bytesRead", s.bytesRead, s.readableLength])
                s.on("data", lambda d2: log.append(["again", d2.decode()]))
                s.write("2")
            timer = net.setInterval(poll, 5)

        def on_close(_):
            log.append(["close", s.bytesRead, s.bytesWritten])
            server.close()

        s.on("data", first)
        s.on("end", lambda: log.append("end"))
        s.on("close", on_close)

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(DATA_AFTER_REMOVE_ALL_JS)


def test_cork_sends_the_writes_as_one_writev():
    received = []
    writev_sizes = []
    server = net.createServer(lambda c: (c.on("data", received.append),
                                         c.on("end", lambda: server.close())))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        original = c._writev

        def spy(chunks, cb):
            writev_sizes.append(len(chunks))
            original(chunks, cb)
        c._writev = spy

        def on_connect():
            c.cork()
            c.write(b"one,")
            c.write("two,")
            c.write(b"three", lambda err: received.append(("cb", err)))
            assert c.writableCorked == 1 and c.writableLength == 13
            net.nextTick(c.uncork)
            c.end()
        c.on("connect", on_connect)

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert writev_sizes == [3]
    assert ("cb", None) in received
    assert b"".join(d for d in received if isinstance(d, bytes)) == b"one,two,three"


ABORT_JS = """
const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const ac = new AbortController();
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', signal: ac.signal });
  c.on('connect', () => { log.push('connect'); ac.abort(); });
  c.on('error', (e) => log.push(['error', e.name, e.code, e.message]));
  c.on('close', (h) => { log.push(['close', h, c.destroyed]); server.close(); });
  server.on('connection', (s) => s.on('close', () => log.push('server side closed')));
});
"""


def test_abort_signal_destroys_the_socket_like_node():
    log: list = []
    server = net.createServer()

    def on_listen():
        ac = net.AbortController()
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "signal": ac.signal})
        c.on("connect", lambda: (log.append("connect"), ac.abort()))
        c.on("error", lambda e: log.append(["error", "AbortError", e.code, str(e)]))
        c.on("close", lambda h: (log.append(["close", h, c.destroyed]), server.close()))
        server.on("connection", lambda s: s.on("close", lambda _: log.append(
            "server side closed")))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(ABORT_JS)


RESET_JS = """
const server = net.createServer((s) => {
  s.on('error', (e) => log.push(['server error', e.code, e.syscall]));
  s.on('close', (h) => { log.push(['server close', h]); server.close(); });
  s.resume();
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.resetAndDestroy();  // while connecting: waits for the connection, then RST
  log.push(['connecting', c.connecting, c.destroyed]);
  c.on('connect', () => log.push('connect'));
  c.on('close', (h) => log.push(['client close', h]));
});
"""


def test_reset_and_destroy_sends_rst_after_connecting_like_node():
    log: list = []

    def on_conn(s):
        s.on("error", lambda e: log.append(["server error", e.code, e.syscall]))
        s.on("close", lambda h: (log.append(["server close", h]), server.close()))
        s.resume()

    server = net.createServer(on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.resetAndDestroy()
        log.append(["connecting", c.connecting, c.destroyed])
        c.on("connect", lambda: log.append("connect"))
        c.on("close", lambda h: log.append(["client close", h]))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(RESET_JS)


def test_reset_and_destroy_on_a_pipe_and_on_a_closed_socket(tmp_path):
    path = str(tmp_path / "s.sock")
    seen = []
    server = net.createServer(lambda s: s.on("close", lambda _: server.close()))

    def on_listen():
        c = net.connect(path)
        with pytest.raises(errors.ERR_INVALID_HANDLE_TYPE) as info:
            c.resetAndDestroy()
        assert str(info.value) == "This handle type cannot be sent"  # Node's message
        c.destroy()
        never = net.Socket()
        never.on("error", lambda e: seen.append(e.code))
        never.on("close", lambda h: seen.append(("close", h)))
        never.resetAndDestroy()

    server.listen(path, on_listen)
    net.run()
    assert seen == ["ERR_SOCKET_CLOSED", ("close", False)]


WRITE_AFTER_JS = """
const server = net.createServer((s) => { s.resume(); });
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.destroy();
    log.push(['ret', c.write('x', (e) => log.push(['destroyed cb', e.code, e.message]))]);
    const d = net.connect(server.address().port, '127.0.0.1', () => {
      d.end();
      log.push(['ret', d.write('y', (e) => log.push(['ended cb', e.code, e.message]))]);
    });
    d.on('error', (e) => log.push(['ended error', e.code]));
    d.on('close', (h) => { log.push(['d close', h]); server.close(); });
  });
  c.on('error', (e) => log.push(['destroyed error', e.code]));
  c.on('close', (h) => log.push(['c close', h]));
  server.on('connection', (s) => s.on('error', () => {}));
});
"""


def test_write_after_destroy_and_after_end_like_node():
    log: list = []
    server = net.createServer(lambda s: s.resume())

    def on_listen():
        port = server.address().port

        def on_c():
            c.destroy()
            log.append(["ret", c.write("x", lambda e: log.append(
                ["destroyed cb", e.code, str(e)]))])

            def on_d():
                d.end()
                log.append(["ret", d.write("y", lambda e: log.append(
                    ["ended cb", e.code, str(e)]))])

            d = net.connect(port, "127.0.0.1", on_d)
            d.on("error", lambda e: log.append(["ended error", e.code]))
            d.on("close", lambda h: (log.append(["d close", h]), server.close()))

        c = net.connect(port, "127.0.0.1", on_c)
        c.on("error", lambda e: log.append(["destroyed error", e.code]))
        c.on("close", lambda h: log.append(["c close", h]))
        server.on("connection", lambda s: s.on("error", lambda e: None))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert log == node_log(WRITE_AFTER_JS)


def test_onread_fills_the_users_buffer_and_false_pauses():
    payload = bytes(range(100))
    calls = []
    buf = bytearray(16)
    server = net.createServer(lambda s: s.end(payload))

    def on_listen():
        def on_read(nread, b):
            assert b is buf
            calls.append(bytes(b[:nread]))
            if len(calls) == 2:
                net.setTimeout(c.resume, 20)  # reading stays stopped meanwhile
                return False
            return None

        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "onread": {"buffer": buf, "callback": on_read}})
        c.on("data", lambda d: calls.append(("data event!", d)))
        c.on("end", lambda: calls.append("end"))
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert calls[-1] == "end"
    chunks = calls[:-1]
    assert all(isinstance(x, bytes) and 0 < len(x) <= 16 for x in chunks)
    assert b"".join(chunks) == payload


def test_onread_with_a_buffer_factory():
    made = []

    def factory():
        made.append(bytearray(8))
        return made[-1]

    got = []
    server = net.createServer(lambda s: s.end(b"x" * 20))

    def on_listen():
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "onread": {"buffer": factory,
                                    "callback": lambda n, b: got.append((n, b is made[-1]))}})
        c.on("close", lambda _: server.close())
        c.resume()

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert sum(n for n, _ in got) == 20
    assert all(same for _, same in got)
    assert len(made) == len(got) + 1  # one at init, a fresh one after each callback


def test_fd_option_wraps_an_existing_socket_and_readable_writable_flags():
    a, b = pysocket.socketpair()
    log = []
    sock = net.Socket({"fd": a.detach(), "readable": False})
    assert sock.readable is False and sock.writable is True
    assert sock.readyState == "writeOnly"
    sock.write(b"to the peer", lambda err: log.append(("written", err)))
    sock.end()
    sock.on("close", lambda h: log.append(("close", h)))
    net.run()
    b.settimeout(5)
    assert b.recv(100) == b"to the peer"
    assert b.recv(100) == b""  # the FIN came after the data
    b.close()
    assert log == [("written", None), ("close", False)]


def test_fd_option_validation_matches_node(tmp_path):
    f = open(tmp_path / "file", "wb")  # noqa: SIM115 - its fd is what is tested
    try:
        answers = node_errors("const net = require('net');"
                              "const fd = require('fs').openSync(process.execPath, 'r');", [
            "new net.Socket({fd: -1})",
            "new net.Socket({fd: 'x'})",
            "new net.Socket({fd: 1.5})",
            "new net.Socket({fd: fd})",
        ])
        # Each side opens a regular file of its own: both are FILE to libuv.
        calls = [lambda: net.Socket(fd=-1), lambda: net.Socket(fd="x"),
                 lambda: net.Socket(fd=1.5), lambda: net.Socket(fd=f.fileno())]
        for answer, call in zip(answers, calls, strict=True):
            assert answer is not None
            assert_same_error(answer, call)
    finally:
        f.close()


def test_peer_reset_mid_write_is_one_error_then_close_true():
    log = []

    def on_conn(s):
        s.once("data", lambda d: s.resetAndDestroy())

    server = net.createServer(on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        chunk = b"z" * 65536

        def pump():
            while c.write(chunk):
                pass
        c.on("connect", pump)
        c.on("drain", pump)
        c.on("error", lambda e: log.append(("error", e.code, type(e).__name__)))
        c.on("close", lambda h: (log.append(("close", h)), server.close()))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()  # nothing raised: the 'error' had a listener
    assert len(log) == 2
    kind, code, cls = log[0]
    assert kind == "error" and code in ("ECONNRESET", "EPIPE")
    assert cls in ("ConnectionResetError", "BrokenPipeError")
    assert log[1] == ("close", True)


def test_destroy_soon_flushes_then_closes():
    got = []
    server = net.createServer(lambda s: (s.on("data", got.append),
                                         s.on("end", lambda: server.close())))

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.write(b"a" * 100_000)
        c.destroySoon()
        c.on("close", lambda h: got.append(("client close", h, c.writableFinished)))

    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert b"".join(x for x in got if isinstance(x, bytes)) == b"a" * 100_000
    assert ("client close", False, True) in got


class _Source(Readable):
    """``total`` bytes of a repeating pattern, produced only as fast as they are read."""

    def __init__(self, total: int) -> None:
        super().__init__(highWaterMark=64 * 1024)
        self.left = total
        self.block = os.urandom(64 * 1024)
        self.digest = hashlib.sha256()

    def _read(self, n: int) -> None:
        if self.left <= 0:
            self.push(None)
            return
        chunk = self.block[: min(len(self.block), self.left)]
        self.left -= len(chunk)
        self.digest.update(chunk)
        self.push(chunk)


def test_pipe_through_a_slow_reader_keeps_memory_bounded():
    """64 MiB from a Readable into a socket whose peer reads slowly: RSS stays flat."""
    total = 64 * 1024 * 1024
    proc = psutil.Process()
    state = {"received": 0, "digest": hashlib.sha256(), "peak": 0, "max_buffered": 0}
    src = _Source(total)

    def on_conn(s):
        def on_data(d):
            state["received"] += len(d)
            state["digest"].update(d)
            if state["received"] % (4 * 1024 * 1024) < len(d):
                s.pause()  # a slow reader: stop for a moment every 4 MiB
                net.setTimeout(s.resume, 5)
                state["peak"] = max(state["peak"], proc.memory_info().rss)
        s.on("data", on_data)
        s.on("end", lambda: (s.end(), server.close()))

    server = net.createServer(on_conn)

    def on_listen():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("drain", lambda: state.__setitem__(
            "max_buffered", max(state["max_buffered"], c.writableLength)))
        src.pipe(c)

    rss_before = proc.memory_info().rss
    server.listen(0, "127.0.0.1", on_listen)
    net.run()
    assert state["received"] == total
    assert state["digest"].digest() == src.digest.digest()
    # Unbounded buffering would hold most of the 64 MiB; the high-water marks
    # (16 KiB per stream, 64 KiB for the source) plus socket buffers allow far less.
    assert state["peak"] - rss_before < 16 * 1024 * 1024


def test_async_for_break_destroys_the_socket_as_node_does():
    import asyncio

    async def main():
        server = net.createServer(lambda s: s.write(b"hello"))
        await server.listenAsync(0, "127.0.0.1")
        c = await net.connectAsync(server.address().port, "127.0.0.1")
        async for chunk in c:
            assert chunk == b"hello"
            break
        await net.once(c, "close")
        destroyed = c.destroyed
        await server.aclose()
        return destroyed

    assert asyncio.run(main()) is True


def test_full_64k_reads_are_handed_over_whole_and_kept_ones_never_reused():
    # A read that fills the loop's 64 KiB buffer becomes the 'data' chunk itself
    # (no copy), and the loop reads into it again only if nothing else holds
    # it: every chunk kept here must still hold exactly the bytes that were
    # sent when the transfer is over.
    payload = os.urandom(3 * 1024 * 1024 + 12345)
    chunks: list[bytes] = []

    def on_conn(sock):
        sock.end(payload)

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.pause()  # let the kernel buffers fill, so reads come back full
        c.on("data", chunks.append)
        c.on("end", lambda: server.close())
        net.setTimeout(c.resume, 100)

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert b"".join(chunks) == payload
    assert any(len(c) == 65536 for c in chunks)  # the no-copy path ran
    assert len({id(c) for c in chunks}) == len(chunks)


def _bulk_then_pings(bulk: bytes, pings: list, on_chunk) -> None:
    """A client sends ``bulk`` (the server side reads it in one go, from 50 ms
    on, so most reads fill the loop's 64 KiB buffer), then each of ``pings``
    once the server has answered everything before it: one byte for the bulk,
    a copy of each ping (so the client's reads are the pings' size too).  Each
    ping is a read of its own.  ``on_chunk(d)`` sees every chunk the server reads."""
    received = [0]

    def on_conn(c):
        c.pause()
        net.setTimeout(c.resume, 50)

        def on_data(d):
            on_chunk(d)
            received[0] += len(d)
            if received[0] == len(bulk) and bulk:
                c.write(b"k")
            elif received[0] > len(bulk):
                c.write(bytes(bytearray(d)))
        c.on("data", on_data)
        c.on("end", lambda: (c.end(), server.close()))

    server = net.createServer(on_conn)

    def go():
        s = net.connect(server.address().port, "127.0.0.1")
        left = list(pings)
        owed = [1 if bulk else 0]

        def on_answer(d):
            owed[0] -= len(d)
            if owed[0] == 0:
                if left:
                    owed[0] = len(left[0])
                    s.write(left.pop(0))
                else:
                    s.end()
        s.on("data", on_answer)
        if bulk:
            s.write(bulk)
        else:
            on_answer(b"")

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert received[0] == len(bulk) + sum(map(len, pings))


def test_chunks_let_go_are_read_into_again_and_forget_their_hash():
    # The loop reads into a chunk Python has let go of (a full one becomes the
    # 64 KiB buffer again, a short one takes the next read of its size): a
    # listener that hashed it (as a dict key does) must see the new bytes'
    # hash, not the one the old bytes cached.
    bulk = os.urandom(2 * 1024 * 1024)
    pings = [bytes([i]) * 1000 for i in range(1, 21)]
    seen: list = []
    digest = hashlib.sha1()

    def on_chunk(d):
        seen.append((len(d), hash(d) == hash(bytes(bytearray(d))), {d: 1}.get(bytes(d))))
        digest.update(d)

    _bulk_then_pings(bulk, pings, on_chunk)
    assert lib.pynet_reuses_chunks() == 1  # CPython 3.11-3.13: the layout check passes
    assert all(same and found == 1 for _, same, found in seen)
    assert [n for n, _, _ in seen].count(65536) > 8 and [n for n, _, _ in seen][-20:] == [1000] * 20
    assert digest.hexdigest() == hashlib.sha1(bulk + b"".join(pings)).hexdigest()


def test_a_chunk_something_still_holds_is_never_read_into():
    # Kept in a list, through a memoryview only, or by a pending timer: each
    # still holds the bytes that came, though later reads are the same size.
    pings = [bytes([i]) * 1000 for i in range(1, 31)]
    kept: list = []
    later: list = []

    def on_chunk(d):
        if len(d) != 1000:
            return
        if d[0] % 3 == 0:
            kept.append(d)
        elif d[0] % 3 == 1:
            kept.append(memoryview(d))
        else:
            net.setTimeout(later.append, 20, d)

    _bulk_then_pings(b"", pings, on_chunk)
    assert [bytes(k) for k in kept] + later == \
        [p for p in pings if p[0] % 3 != 2] + [p for p in pings if p[0] % 3 == 2]


def test_a_queued_write_keeps_its_bytes_until_sent_then_lets_go():
    # What the kernel does not take at once is queued as the bytes object itself,
    # not a copy: the write request holds one reference to it until libuv has
    # written the rest, and gives it back then.
    payload = os.urandom(16 * 1024 * 1024 + 777)
    digest = hashlib.sha256(payload).hexdigest()
    alone = sys.getrefcount(payload)
    held_while_queued: list[int] = []
    received = hashlib.sha256()
    count = [0]

    def on_conn(sock):
        sock.pause()  # the kernel buffers fill: most of the write stays queued

        def on_data(chunk: bytes) -> None:
            received.update(chunk)
            count[0] += len(chunk)

        sock.on("data", on_data)
        sock.on("end", server.close)
        net.setTimeout(sock.resume, 50)

    server = net.createServer(on_conn)

    def go():
        c = net.connect(server.address().port, "127.0.0.1")

        def on_connect() -> None:
            assert c.write(payload) is False
            held_while_queued.append(sys.getrefcount(payload) - alone)
            c.end()

        c.on("connect", on_connect)

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert held_while_queued == [1]  # the shim's reference, and no copy
    assert count[0] == len(payload) and received.hexdigest() == digest
    assert sys.getrefcount(payload) == alone


# -- reads handed straight to the one 'data' listener (Socket._onread) --------

def _drip(count: int, every_ms: int, on_data_socket) -> list:
    """A client sends one byte every ``every_ms`` ms, ``count`` times, then ends;
    ``on_data_socket(c, log)`` sets up the server side.  Returns the log."""
    log: list = []

    def on_connection(c):
        on_data_socket(c, log)
        c.on("end", lambda: (log.append("end"), server.close()))

    server = net.createServer(on_connection)

    def go():
        s = net.connect(server.address().port, "127.0.0.1")
        sent = [0]

        def tick():
            if sent[0] == count:
                net.clearInterval(timer)
                s.end()
                return
            sent[0] += 1
            s.write(b"x")
        timer = net.setInterval(tick, every_ms)

    server.listen(0, "127.0.0.1", go)
    net.run()
    return log


def test_reads_straight_to_the_listener_still_restart_the_idle_timer():
    # After two chunks a flowing socket's reads go from the shim to its listener
    # without Socket._onread, which is what restarts the idle timer: setTimeout
    # must send them back through it.  A byte every 15 ms keeps a 150 ms timeout
    # from firing for the 30 bytes; it fires once they stop.
    def setup(c, log):
        def on_data(d):
            log.append("data")
            if len(log) == 3:
                c.setTimeout(150, lambda: (log.append("timeout"), c.end()))
        c.on("data", on_data)

    log = _drip(30, 15, setup)
    assert log.count("data") >= 20 and "timeout" not in log[:log.index("end")]


def test_a_subclass_emit_sees_every_data_event_like_node():
    js = """
class S extends net.Socket {
  emit(ev, ...a) {
    if (ev === 'data') log.push(['emit', a[0].toString()]);
    return super.emit(ev, ...a);
  }
}
const server = net.createServer((c) => {
  c.write('abc');
  setTimeout(() => c.write('de'), 30);
  setTimeout(() => c.end('fgh'), 60);
});
server.listen(0, '127.0.0.1', () => {
  const s = new S();
  s.on('data', (d) => log.push(['listener', d.toString()]));
  s.on('end', () => server.close());
  s.connect(server.address().port, '127.0.0.1');
});
"""
    log: list = []

    class S(net.Socket):
        def emit(self, ev, *a):
            if ev == "data":
                log.append(["emit", a[0].decode()])
            return super().emit(ev, *a)

    def on_connection(c):
        c.write("abc")
        net.setTimeout(lambda: c.write("de"), 30)
        net.setTimeout(lambda: c.end("fgh"), 60)

    server = net.createServer(on_connection)

    def go():
        s = S()
        s.on("data", lambda d: log.append(["listener", d.decode()]))
        s.on("end", lambda: server.close())
        s.connect(server.address().port, "127.0.0.1")

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log == [["emit", "abc"], ["listener", "abc"], ["emit", "de"], ["listener", "de"],
                   ["emit", "fgh"], ["listener", "fgh"]]
    assert log == node_log(js)


def test_a_subclass_onread_gets_every_read():
    # Only Socket._onread hands reads to the listener: a subclass that reads
    # them itself keeps getting each one.
    got: list = []

    class Counting(net.Socket):
        def _onread(self, data):
            got.append(len(data))
            super()._onread(data)

    def on_connection(c):
        sent = [0]

        def tick():
            if sent[0] == 10:
                net.clearInterval(timer)
                c.end()
                return
            sent[0] += 1
            c.write(b"y")
        timer = net.setInterval(tick, 5)

    server = net.createServer(on_connection)

    def go():
        s = Counting()
        s.on("data", lambda d: got.append("data"))
        s.on("end", lambda: (s.end(), server.close()))
        s.connect(server.address().port, "127.0.0.1")

    server.listen(0, "127.0.0.1", go)
    net.run()
    sizes = [n for n in got if n != "data"]
    assert sum(sizes) == 10 and len(sizes) >= 3 and got.count("data") == len(sizes)


def test_an_exception_from_a_listener_fed_straight_still_reaches_run():
    # The shim calls the listener itself from the third chunk on; what it raises
    # goes where a listener's exception always goes: out of run().
    class Boom(Exception):
        pass

    chunks: list = []
    sides: dict = {}

    def on_connection(c):
        sides["server side"] = c

        def on_data(d):
            chunks.append(d)
            if len(chunks) == 3:
                raise Boom("third chunk")
        c.on("data", on_data)

    server = net.createServer(on_connection)

    def go():
        s = sides["client"] = net.connect(server.address().port, "127.0.0.1")
        sides["timer"] = net.setInterval(lambda: s.write(b"z"), 10)

    server.listen(0, "127.0.0.1", go)
    with pytest.raises(Boom, match="third chunk"):
        net.run()
    # The case meant: the shim was calling the listener itself.
    assert type(sides["server side"]._handle.reading) is not bool
    net.clearInterval(sides["timer"])
    sides["client"].destroy()
    sides["server side"].destroy()
    server.close()
    net.run()
    assert b"".join(chunks) == b"zzz"



# -- plain writes through the write gate (Socket.write) ----------------------

def _with_a_collecting_server(log: list, client, on: str = "end") -> None:
    """Runs ``client(server)`` against a server whose side of the connection
    logs ["peer got", the text it got] on ``on`` ('end' also closes the
    server; with 'close' the client must), until everything has closed."""
    def on_connection(c):
        got: list = []
        c.on("data", lambda d: got.append(d.decode()))

        def report(*_):
            log.append(["peer got", "".join(got)])
            if on == "end":
                server.close()
        c.on(on, report)

    server = net.createServer(on_connection)
    server.listen(0, "127.0.0.1", lambda: client(server))
    net.run()


def _after_the_gate_opens(log: list, then, on: str = "end") -> bool:
    """A client connects to a collecting server (above) and makes two plain
    writes (logged as "open"): the first, sent whole, opens its write gate.
    Then ``then(s, server)``.  Returns whether the gate was open."""
    opened: list = []

    def client(server):
        s = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            log.append(["open", s.write(b"a"), s.write(b"b")])
            opened.append(bool(s._write_gate))
            then(s, server)
        s.once("connect", on_connect)

    _with_a_collecting_server(log, client, on)
    return opened == [True]


def test_a_subclass_write_gets_every_write_like_node():
    # The gate (and the inlined fast path it opens from) skip _write: not for a
    # subclass with its own, which Node calls for every write.
    js = """
class S extends net.Socket {
  _write(chunk, enc, cb) { log.push(['_write', chunk.toString()]); super._write(chunk, enc, cb); }
}
const server = net.createServer((c) => {
  const got = [];
  c.on('data', (d) => got.push(d.toString()));
  c.on('end', () => { log.push(['peer got', got.join('')]); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const s = new S();
  s.connect(server.address().port, '127.0.0.1', () => {
    log.push(['returned', s.write(Buffer.from('ab')), s.write(Buffer.from('cd')),
              s.write(Buffer.from('ef'))]);
    s.end();
  });
});
"""
    log: list = []

    class S(net.Socket):
        def _write(self, chunk, enc, cb):
            log.append(["_write", chunk.decode()])
            super()._write(chunk, enc, cb)

    def client(server):
        s = S()

        def on_connect():
            log.append(["returned", s.write(b"ab"), s.write(b"cd"), s.write(b"ef")])
            s.end()
        s.connect(server.address().port, "127.0.0.1", on_connect)

    _with_a_collecting_server(log, client)
    assert log == [["_write", "ab"], ["_write", "cd"], ["_write", "ef"],
                   ["returned", True, True, True], ["peer got", "abcdef"]]
    assert log == node_log(js)


def test_writes_through_the_gate_still_restart_the_idle_timer():
    # Two plain writes open the gate, which skips what restarts the idle timer:
    # setTimeout must close it.  A byte written every 15 ms keeps a 150 ms
    # timeout from firing for the 30 bytes; it fires once they stop.
    log: list = []

    def on_connection(c):
        c.on("error", lambda e: log.append(["error", e.code]))
        c.write(b"a")
        c.write(b"b")
        opened = bool(c._write_gate)
        c.setTimeout(150, lambda: (log.append("timeout"), c.end()))
        sent = [0]

        def tick():
            if sent[0] == 30:
                net.clearInterval(timer)
                return
            sent[0] += 1
            log.append(c.write(b"x"))
        timer = net.setInterval(tick, 15)
        log.append(["gate was open", opened])

    server = net.createServer(on_connection)

    def go():
        s = net.connect(server.address().port, "127.0.0.1")
        s.resume()
        s.on("end", lambda: (log.append("end"), s.end(), server.close()))

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log[0] == ["gate was open", True]
    assert log[1:] == [True] * 30 + ["timeout", "end"]


AFTER_END_JS = """
const server = net.createServer((c) => {
  const got = [];
  c.on('data', (d) => got.push(d.toString()));
  c.on('end', () => { log.push(['peer got', got.join('')]); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1', () => {
    log.push(['open', s.write(Buffer.from('a')), s.write(Buffer.from('b'))]);
    s.%s();
    log.push(['after', s.write(Buffer.from('c')), s.writableLength, s.errored && s.errored.code]);
    log.push(['cb', s.write(Buffer.from('d'), (e) => log.push(['d', e && e.code]))]);
  });
  s.on('error', (e) => log.push(['error', e.code]));
  s.on('close', () => { log.push(['close']); if (%s) server.close(); });
});
"""


@pytest.mark.parametrize("how", ["end", "destroy"])
def test_a_write_after_end_or_destroy_with_the_gate_open_gets_nodes_answer(how):
    log: list = []

    def then(s, server):
        s.on("error", lambda e: log.append(["error", e.code]))
        s.on("close", lambda *_: (log.append(["close"]), how == "destroy" and server.close()))
        getattr(s, how)()
        log.append(["after", s.write(b"c"), s.writableLength, s.errored and s.errored.code])
        log.append(["cb", s.write(b"d", cb=lambda e=None: log.append(["d", e and e.code]))])

    assert _after_the_gate_opens(log, then)
    assert log == node_log(AFTER_END_JS % (how, "true" if how == "destroy" else "false"))
    assert log[1][:3] == ["after", False, 0]


def test_a_write_while_connecting_again_waits_for_connect_like_node():
    # connect() on a connected socket: Node sets connecting and holds writes
    # until 'connect', even on the connection that is still there.
    js = """
const server = net.createServer((c) => {
  const got = [];
  c.on('data', (d) => got.push(d.toString()));
  c.on('close', () => log.push(['peer got', got.join('')]));
});
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1', () => {
    log.push(['open', s.write(Buffer.from('a')), s.write(Buffer.from('b'))]);
    s.connect(server.address().port, '127.0.0.1');
    log.push(['connecting', s.connecting, s.write(Buffer.from('c')), s.writableLength]);
    s.on('connect', () => log.push(['connect again', s.writableLength]));
    s.on('close', () => { log.push(['close']); server.close(); });
    setTimeout(() => s.destroy(), 50);
  });
});
"""
    log: list = []

    def then(s, server):
        s.connect(server.address().port, "127.0.0.1")
        log.append(["connecting", s.connecting, s.write(b"c"), s.writableLength])
        s.on("connect", lambda: log.append(["connect again", s.writableLength]))
        s.on("close", lambda *_: (log.append(["close"]), server.close()))
        net.setTimeout(s.destroy, 50)

    assert _after_the_gate_opens(log, then, on="close")
    assert log == node_log(js)
    assert ["connecting", True, True, 1] in log


STRINGS_JS = """
const server = net.createServer((c) => {
  const got = [];
  c.on('data', (d) => got.push(d));
  c.on('end', () => {
    const all = Buffer.concat(got);
    log.push(['peer got', all.length, all.subarray(0, 15).toString('hex')]);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1', () => {
    s.cork();
    log.push(['w', s.write('é'), s.write('ab', 'hex'), s.write('aGk=', 'base64'),
              s.write('\\u{1F600}', 'utf8'), s.write(Buffer.from('xy')),
              s.write(new Uint8Array([112, 113]))]);
    log.push(['corked', s.writableLength, s.bytesWritten]);
    log.push(['big', s.write('ü'.repeat(10000)), s.writableLength]);
    log.push(['over', s.write('ü'.repeat(7000)), s.writableLength, s.writableNeedDrain]);
    s.uncork();
    log.push(['uncorked', s.bytesWritten]);
    s.on('drain', () => log.push(['drain', s.writableLength]));
    s.end();
  });
});
"""


def test_strings_count_as_node_counts_them_until_written():
    # Node's sockets keep strings as strings (decodeStrings: false): a buffered
    # string counts its UTF-16 length against the high-water mark and its
    # encoded length in bytesWritten, and is encoded when it is written.
    log: list = []

    def on_connection(c):
        got: list = []
        c.on("data", got.append)

        def on_end():
            data = b"".join(got)
            log.append(["peer got", len(data), data[:15].hex()])
            server.close()
        c.on("end", on_end)

    server = net.createServer(on_connection)

    def go():
        s = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            s.cork()
            log.append(["w", s.write("é"), s.write("ab", "hex"), s.write("aGk=", "base64"),
                        s.write("\U0001F600", "utf8"), s.write(b"xy"), s.write(bytearray(b"pq"))])
            log.append(["corked", s.writableLength, s.bytesWritten])
            log.append(["big", s.write("ü" * 10000), s.writableLength])
            log.append(["over", s.write("ü" * 7000), s.writableLength, s.writableNeedDrain])
            s.uncork()
            log.append(["uncorked", s.bytesWritten])
            s.on("drain", lambda: log.append(["drain", s.writableLength]))
            s.end()
        s.on("connect", on_connect)

    server.listen(0, "127.0.0.1", go)
    net.run()
    # 1 + 2 + 4 + 2 code units, then 2 + 2 bytes; 2 + 1 + 2 + 4 bytes, then 2 + 2
    assert log[1] == ["corked", 13, 13]
    assert log[2:4] == [["big", True, 10013], ["over", False, 17013, True]]
    assert log[-1] == ["peer got", 13 + 34000, "c3a9ab6869f09f988078797071c3bc"]
    assert log == node_log(STRINGS_JS)


# -- Socket.write is the shim's C method around the Python one ----------------

def test_socket_write_reads_as_the_python_method_it_wraps():
    # What inspect and help() show of the C method is the Python method's.
    params = inspect.signature(net.Socket.write).parameters
    assert [(p.name, p.default) for p in params.values()][1:] == [
        ("data", inspect.Parameter.empty), ("encoding", None), ("cb", None)]
    python_params = inspect.signature(_socket._python_write).parameters
    assert [(p.name, p.default) for p in params.values()] == \
        [(p.name, p.default) for p in python_params.values()]
    assert net.Socket.write.__doc__ == _socket._python_write.__doc__
    assert net.Socket.write.__name__ == "write"
    assert net.Socket.write is not _socket._python_write  # the C method is in place


def test_the_c_method_reads_the_gate_of_any_socket_subclass():
    # The C method reads the gate's slot at a fixed offset: in a subclass with
    # slots and attributes of its own it is still the gate (the writes after
    # the first go out without the Python method), and the method refuses
    # what is not a socket before it reads anything.
    class S(net.Socket):
        __slots__ = ("extra_a", "extra_b")

        def __init__(self):
            self.extra_a = self.extra_b = "x"
            super().__init__()
            self.more = "attribute"

    log: list = []
    python_writes: list = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is _socket._python_write.__code__:
            python_writes.append(frame.f_locals["data"])

    def client(server):
        s = S()

        def on_connect():
            sys.setprofile(profile)
            try:
                log.append(["returned", s.write(b"ab"), s.write(b"cd"), s.write(b"ef")])
            finally:
                sys.setprofile(None)
            log.append(["gate", bool(s._write_gate), s.extra_a, s.extra_b, s.more])
            s.end()
        s.connect(server.address().port, "127.0.0.1", on_connect)

    _with_a_collecting_server(log, client)
    assert log == [["returned", True, True, True], ["gate", True, "x", "x", "attribute"],
                   ["peer got", "abcdef"]]
    assert python_writes == [b"ab"]  # the first opens the gate; C sends the others
    with pytest.raises(TypeError, match="'write' for 'Socket' objects doesn't apply"):
        net.Socket.write(net.Server(), b"x")


def test_socket_write_takes_its_arguments_as_a_python_method_does():
    # Keywords, an explicit None and a callback leave the C method's path for
    # the Python one: the bytes and callbacks are the same, in order, and a
    # call Python would refuse writes nothing.
    log: list = []

    def then(s, server):
        cb = lambda e=None: log.append(["cb", e])  # noqa: E731
        log.append(["w", s.write(data=b"c"), s.write(b"d", None), s.write(b"e", encoding=None),
                    s.write("66", "hex"), s.write(b"g", None, cb), s.write(b"h", cb=cb)])
        for bad in (lambda: s.write(b"x", None, None, 1), lambda: s.write(b"x", flush=True),
                    lambda: s.write(), lambda: s.write(*[b"x"] * 9),
                    lambda: s.write(*[b"x"] * 9, flush=True)):
            with pytest.raises(TypeError, match=r"write\(\)") as exc:
                bad()
            log.append(["refused", str(exc.value).split("write() ")[1]])
        log.append(["gate", bool(s._write_gate), s.write(b"i"), s.writableLength])
        s.end()

    assert _after_the_gate_opens(log, then)
    assert log == [
        ["open", True, True],
        ["w", True, True, True, True, True, True],
        ["refused", "takes from 2 to 4 positional arguments but 5 were given"],
        ["refused", "got an unexpected keyword argument 'flush'"],
        ["refused", "missing 1 required positional argument: 'data'"],
        ["refused", "takes from 2 to 4 positional arguments but 10 were given"],
        ["refused", "got an unexpected keyword argument 'flush'"],
        ["gate", False, True, 0],
        ["cb", None], ["cb", None],
        ["peer got", "abcdefghi"],
    ]


def test_a_subclass_write_calls_the_c_method_through_super():
    log: list = []

    class S(net.Socket):
        def write(self, data, encoding=None, cb=None):
            log.append(["write", data])
            return super().write(data, encoding, cb)

    def client(server):
        s = S()

        def on_connect():
            log.append(["returned", s.write(b"ab"), s.write(b"cd"), bool(s._write_gate),
                        s.write(b"ef")])
            s.end()
        s.connect(server.address().port, "127.0.0.1", on_connect)

    _with_a_collecting_server(log, client)
    assert log == [["write", b"ab"], ["write", b"cd"], ["write", b"ef"],
                   ["returned", True, True, True, True], ["peer got", "abcdef"]]


def test_a_write_through_the_gate_the_kernel_does_not_take_whole_is_queued():
    # The peer does not read: a 32 MiB write through the open gate is more than
    # the kernel takes, so the C method hands it to the stream as in flight
    # and closes the gate; the next write waits behind it, 'drain' follows
    # once the peer reads, and the peer gets every byte in order.  Each write
    # holds its bytes only while they are in flight.
    big = bytes(range(256)) * (32 * 4096)
    small = bytes(range(100))
    held = sys.getrefcount(big), sys.getrefcount(small)
    log: list = []

    def on_connection(c):
        c.pause()
        digest, size = hashlib.sha1(), [0]

        def on_data(d):
            digest.update(d)
            size[0] += len(d)
        c.on("data", on_data)
        c.on("end", lambda: (log.append(["peer got", size[0], digest.hexdigest()]),
                             server.close()))
        net.setTimeout(c.resume, 50)

    def go():
        s = net.connect(server.address().port, "127.0.0.1")

        def on_connect():
            log.append(["open", s.write(b"a"), s.write(small), bool(s._write_gate)])
            log.append(["big", s.write(big), s._write_gate, s.writableLength > 0])
            queued = s.writableLength
            log.append(["after", s.write(b"z"), s.writableLength == queued + 1])
            s.on("drain", lambda: (log.append(["drain", s.writableLength]), s.end()))
        s.on("connect", on_connect)

    server = net.createServer(on_connection)
    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log == [["open", True, True, True], ["big", False, None, True],
                   ["after", False, True], ["drain", 0],
                   ["peer got", 1 + 100 + len(big) + 1,
                    hashlib.sha1(b"a" + small + big + b"z").hexdigest()]]
    assert (sys.getrefcount(big), sys.getrefcount(small)) == held


def _made_from_options(cls, handle, allow_half_open, pause_on_create, high_water_mark):
    """What Server made before Socket._accepted: Node's onconnection, word for word."""
    opts = {"handle": handle, "allowHalfOpen": allow_half_open, "pauseOnCreate": pause_on_create,
            "readable": True, "writable": True}
    if high_water_mark is not None:
        opts["readableHighWaterMark"] = opts["writableHighWaterMark"] = high_water_mark
    return cls(opts)


def _what_a_socket_holds(sock) -> dict:
    def state(s):
        return {name: getattr(s, name) for cls in type(s).__mro__
                for name in getattr(cls, "__slots__", ())}
    # A dict that shares the class's key table is smaller than a copy of it,
    # which has its own (its size also depends on how many sockets came before,
    # and whether it shares at all on what other sockets the process made).
    shared = sys.getsizeof(vars(sock)) < sys.getsizeof(dict(vars(sock)))
    h = sock._handle
    return {"attributes": list(vars(sock)), "shares the key table": shared,
            "readable": state(sock._readableState), "writable": state(sock._writableState),
            "listeners": {k: getattr(f, "__func__", f) for k, f in sock._events.items()},
            "reading": h.reading if h is not None else None, "write gate": sock._write_gate,
            "allowHalfOpen": sock.allowHalfOpen}


@pytest.mark.parametrize("server_options", [
    {}, {"allowHalfOpen": True}, {"pauseOnConnect": True}, {"highWaterMark": 100},
    {"highWaterMark": 0}, {"allowHalfOpen": True, "pauseOnConnect": True, "highWaterMark": 7.0},
])
def test_an_accepted_socket_is_the_one_nodes_options_would_make(server_options, monkeypatch):
    # Server makes its sockets without reading options (Socket._accepted);
    # each must hold what new Socket({handle, allowHalfOpen, ...}) holds, in the
    # same attribute order (instance dicts share one key table only then).
    held = []

    def on_connection(c):
        held.append(_what_a_socket_holds(c))
        c.on("data", lambda d: None)
        c.on("end", c.end)
        c.resume()
        if len(held) == 1:
            monkeypatch.setattr(_socket.Socket, "_accepted", classmethod(_made_from_options))
            connect()
        else:
            server.close()

    server = net.createServer(server_options, on_connection)

    def connect():
        s = net.connect(server.address().port, "127.0.0.1", lambda: s.end())
        s.resume()

    server.listen(0, "127.0.0.1", connect)
    net.run()
    fast, from_options = held
    assert fast == from_options
    assert fast["readable"]["highWaterMark"] == int(server_options.get("highWaterMark", 16384))


def test_a_fractional_server_high_water_mark_fails_each_connection_as_in_node():
    # validateNumber lets 1.5 through createServer; Node's getHighWaterMark
    # then throws ERR_INVALID_ARG_VALUE in onconnection, for each connection.
    server = net.createServer({"highWaterMark": 1.5}, lambda c: None)
    errs = []
    server.listen(0, "127.0.0.1", lambda: pysocket.create_connection(
        ("127.0.0.1", server.address().port)).close())
    with pytest.raises(errors.NodeError) as info:
        net.run()
    errs.append(info.value)
    server.close()
    net.run()
    assert errs[0].code == "ERR_INVALID_ARG_VALUE"
    # node 20: "The property 'options.readableHighWaterMark' is invalid. Received 1.5"
    assert str(errs[0]) == "The property 'options.readableHighWaterMark' is invalid. Received 1.5"


END_THEN_DESTROY_JS = """
const server = net.createServer((c) => {
  for (const ev of ['finish', 'end', 'close', 'error', 'prefinish'])
    c.on(ev, (...a) => log.push([ev, ...a.map(String)]));
  c.end(); c.destroy();
  log.push(['destroyed', c.destroyed, c.writableFinished]);
  server.close();
});
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1');
  s.on('end', () => log.push(['client end']));
  s.on('close', () => log.push(['client close']));
  s.on('error', (e) => log.push(['client error', e.code]));
  s.resume();
});
"""


def test_end_then_destroy_cancels_the_fin_as_in_node():
    # end() asks libuv for a shutdown (the request is the shim's); destroy()
    # closes the handle before it runs, so libuv cancels it (UV_ECANCELED)
    # and frees nothing twice: 'close' alone, as in Node.
    log: list = []

    def on_connection(c):
        for ev in ("finish", "end", "close", "error", "prefinish"):
            c.on(ev, lambda *a, ev=ev: log.append([ev, *("false" if x is False else str(x)
                                                       for x in a)]))
        c.end()
        c.destroy()
        log.append(["destroyed", c.destroyed, c.writableFinished])
        server.close()

    server = net.createServer(on_connection)

    def go():
        s = net.connect(server.address().port, "127.0.0.1")
        s.on("end", lambda: log.append(["client end"]))
        s.on("close", lambda *_: log.append(["client close"]))
        s.on("error", lambda e: log.append(["client error", e.code]))
        s.resume()

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log == node_log(END_THEN_DESTROY_JS)


@pytest.mark.parametrize("options, kwargs", [
    (None, {}), ({}, {}), ({"port": 80, "host": "localhost"}, {}), ({"path": "/tmp/x"}, {}),
    ({"emitClose": True, "autoDestroy": False, "decodeStrings": True}, {}),
    (None, {"timeout": 5, "family": 4}),
])
def test_a_socket_made_without_constructor_options_is_the_one_they_would_make(
        options, kwargs, monkeypatch):
    # Options that set none of what the constructor reads take one step
    # (Socket._init_fresh).  readable: True is one the constructor reads and
    # changes nothing with: the whole constructor must make the same socket.
    fresh = []
    init_fresh = _socket.Socket._init_fresh
    monkeypatch.setattr(_socket.Socket, "_init_fresh",
                        lambda self, *a: (fresh.append(self), init_fresh(self, *a)))
    one_step = net.Socket(options, **kwargs)
    whole = net.Socket({**(options or {}), "readable": True}, **kwargs)
    # net.connect's way, from the options normalize_args made.
    normalized, _ = _socket.normalize_args((options,) if options is not None else (), kwargs)
    for_connect = _socket.Socket._for_connect(normalized)
    assert fresh == [one_step, for_connect]
    assert _what_a_socket_holds(one_step) == _what_a_socket_holds(whole) \
        == _what_a_socket_holds(for_connect)
    for sock in (one_step, whole, for_connect):
        sock.destroy()
    net.run()


def test_the_constructor_options_list_names_every_option_the_constructors_read():
    # Socket._init_fresh stands in for the constructor only when no option in
    # _CONSTRUCTOR_OPTIONS is given: an option read anywhere under
    # Socket.__init__ and missing from the list would be ignored.
    from pynet import _stream_state, stream
    sources = [inspect.getsource(f) for f in (
        _socket.Socket.__init__, stream.Duplex._init_duplex, stream._StreamBase._init_base,
        stream._init_writable_hooks, _stream_state._StreamState.__init__,
        _stream_state.ReadableState.__init__, _stream_state.WritableState.__init__,
        _stream_state._high_water_mark)]
    read = set()
    for src in sources:
        read |= set(re.findall(r'opts(?:\.get|\.pop)?[(\[]"(\w+)"', src))
        for group in re.findall(r"for key in \(([^)]*)\)", src):
            read |= set(re.findall(r'"(\w+)"', group))
        read |= set(re.findall(r'_high_water_mark\(\s*opts, "(\w+)"', src))
    forced = {"emitClose", "autoDestroy", "decodeStrings"}  # Socket sets them itself
    assert {"signal", "handle", "objectMode", "write", "readableHighWaterMark",
            "highWaterMark", "destroy"} <= read
    assert read - forced <= _socket._CONSTRUCTOR_OPTIONS, read - _socket._CONSTRUCTOR_OPTIONS


def test_net_connect_hands_socket_connect_its_arguments_already_normalised(monkeypatch):
    # As Node's net.connect calls socket.connect with an argument array marked
    # normalised: a patched Socket.connect is still the one called, once, and
    # the connect listener and options arrive as given.
    calls = []
    connect = _socket.Socket.connect

    def spy(self, *args, **kwargs):
        calls.append((args, kwargs))
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(_socket.Socket, "connect", spy)
    log = []
    port = []
    server = net.createServer(lambda c: c.end())

    def go():
        port.append(server.address().port)
        s = net.connect(port[0], "127.0.0.1", lambda: log.append("connect"))
        s.on("close", lambda *_: server.close())
        s.resume()

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log == ["connect"]
    (args, kwargs), = calls
    assert kwargs == {} and len(args) == 1
    assert args[0].options == {"port": port[0], "host": "127.0.0.1"}


CANCELLED_CONNECT_JS = """
const server = net.createServer(() => {});
const path = process.argv[1];
server.listen(path, () => {
  const a = net.connect(path);
  const b = net.connect(server.address());
  const c = net.connect(path);
  const d = net.connect({port: 1, host: '127.0.0.1'});
  for (const [name, s] of [['a', a], ['b', b], ['c', c], ['d', d]]) {
    for (const ev of ['connect', 'ready', 'error', 'close'])
      s.on(ev, (x) => log.push([name, ev, ev === 'error' ? x.code : x === undefined ? null : x]));
  }
  c.write('x');
  a.destroy();
  b.destroy();
  c.destroy();
  d.destroy();
  log.push(['destroyed', a.connecting, c.connecting, d.connecting, c.writableLength]);
  setImmediate(() => server.close());
});
"""


def test_a_connect_destroyed_while_connecting_is_cancelled_as_in_node(tmp_path):
    # The connect request is the shim's: destroy() closes the handle, libuv
    # cancels the request (UV_ECANCELED) and its callback frees it, once;
    # the socket says only 'close', as in Node (a write waiting for
    # 'connect' included).  Two pipes, a TCP connect to a closed port.
    path = str(tmp_path / "s.sock")
    expected = json.loads(run_node(JS_PRELUDE + CANCELLED_CONNECT_JS.replace(
        "process.argv[1]", json.dumps(path)))[-1])
    log: list = []
    server = net.createServer(lambda c: None)

    def go():
        socks = [("a", net.connect(path)), ("b", net.connect(server.address())),
                 ("c", net.connect(path)), ("d", net.connect({"port": 1, "host": "127.0.0.1"}))]
        for name, s in socks:
            for ev in ("connect", "ready", "error", "close"):
                s.on(ev, lambda *x, name=name, ev=ev: log.append(
                    [name, ev, x[0].code if ev == "error" else x[0] if x else None]))
        socks[2][1].write(b"x")
        for _, s in socks:
            s.destroy()
        log.append(["destroyed", socks[0][1].connecting, socks[2][1].connecting,
                    socks[3][1].connecting, socks[2][1].writableLength])
        net.setImmediate(server.close)

    server.listen(path, go)
    net.run()
    assert log == expected
