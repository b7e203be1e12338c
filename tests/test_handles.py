"""Handle lifetime: the registry, idempotent close, ResourceWarning, torture."""

from __future__ import annotations

import gc
import threading
import warnings

import pynet as net
from pynet import _loop
from pynet._tcp import TCP
from pynet._timers import TimerHandle

from .conftest import open_handles


def test_registry_holds_a_handle_from_init_until_its_close_callback():
    loop = _loop.current()
    h = TCP(loop)
    assert h in loop.handles and h.initialized
    calls = []
    h.close(lambda: calls.append("first"))
    h.close(lambda: calls.append("second"))  # idempotent: no second uv_close
    assert h.closing and not h.closed and h in loop.handles
    net.run()
    assert calls == ["first", "second"]
    assert h.closed and h not in loop.handles
    h.close(lambda: calls.append("after"))
    assert calls == ["first", "second"]  # already closed: never called again by libuv


def test_ref_unref_has_ref():
    loop = _loop.current()
    t = TimerHandle(loop, lambda: None)
    assert t.has_ref()
    t.unref()
    assert not t.has_ref()
    t.start(10_000)
    net.run()  # an unref'd timer does not keep the loop alive
    t.ref()
    assert t.has_ref()
    t.close()
    net.run()
    assert not t.has_ref()


def test_resource_warning_for_a_handle_whose_loop_was_dropped():
    caught = []

    def worker():
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            loop = _loop.current()  # this thread's own loop
            TCP(loop)
            del loop
            _loop._local.__dict__.clear()  # the thread's loop goes away, handle still open
            gc.collect()
            caught.extend(x for x in w if issubclass(x.category, ResourceWarning))

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert caught and "unclosed <TCP open>" in str(caught[0].message)


def test_destroy_inside_own_callbacks_with_gc_on_a_timer():
    """The torture test: destroy and write from inside every callback while gc runs."""
    loop = _loop.current()
    done = []
    rounds = 30

    def collect():
        gc.collect()

    gc_timer = TimerHandle(loop, collect)
    gc_timer.start(1, 1)

    def on_conn(c):
        c.on("data", lambda d: (c.write(d), c.destroy(), c.write(b"after destroy")))
        c.on("error", lambda e: None)

    server = net.createServer(on_conn)

    def client(i):
        s = net.connect(server.address().port, "127.0.0.1")
        kind = i % 4
        if kind == 0:
            s.on("connect", lambda: (s.write(b"x" * 100_000), s.destroy()))
        elif kind == 1:
            s.on("connect", lambda: s.end(b"bye"))
            s.on("data", lambda d: s.destroy())
        elif kind == 2:
            s.on("lookup", lambda *a: s.destroy())
            s.destroy()
        else:
            s.on("connect", lambda: s.write(b"ping", lambda err: s.destroy()))
        s.on("error", lambda e: None)
        s.on("close", lambda _: finished())
        gc.collect()

    def finished():
        done.append(1)
        if len(done) == rounds:
            server.close()
            gc_timer.close()

    server.listen(0, "127.0.0.1", lambda: [client(i) for i in range(rounds)])
    net.run()
    assert len(done) == rounds
    assert not open_handles()


def test_close_callbacks_wait_in_the_loop_only_while_the_handle_closes():
    loop = _loop.current()
    h = TCP(loop)
    calls = []
    h.close(lambda: calls.append(1))
    assert h in loop.close_callbacks
    net.run()
    assert calls == [1] and h not in loop.close_callbacks
    h.close(lambda: calls.append(2))  # closed: nothing waits (nor would ever be called)
    assert h not in loop.close_callbacks and calls == [1]


def test_a_handle_owner_of_any_kind_gets_its_reads():
    # The handle layer calls its owner's _onread, whatever the owner is: a class
    # method (the Socket's, called by the shim directly) or an attribute set on
    # the instance (bench/echo_bare.py's owner, through _callbacks._on_read).
    loop = _loop.current()
    got: list[tuple[str, bytes]] = []

    class MethodOwner:
        def __init__(self, h: TCP) -> None:
            self.h = h

        def _onread(self, data: bytes) -> None:
            got.append(("method", data))
            self.h.close()

    class AttributeOwner:
        __slots__ = ("_onread", "_onreaderror")

    def closes(h: TCP, kind: str) -> object:
        def on_data(data: bytes) -> None:
            got.append((kind, data))
            h.close()
        return on_data

    accepted: list[object] = []

    def on_connection(c: net.Socket) -> None:
        c.end(b"hello")
        accepted.append(c)
        if len(accepted) == 2:
            server.close()

    server = net.createServer(on_connection)

    def start() -> None:
        port = server.address()["port"]
        for kind in ("method", "attribute"):
            h = TCP(loop)

            def on_connect(status: int, h: TCP = h, kind: str = kind) -> None:
                assert status == 0
                if kind == "method":
                    h.owner = MethodOwner(h)
                else:
                    h.owner = AttributeOwner()
                    h.owner._onread = closes(h, kind)
                h.owner._onreaderror = lambda nread: None
                assert h.read_start() == 0

            h.onconnect = on_connect
            assert h.connect("127.0.0.1", port) == 0

    server.listen(0, "127.0.0.1", start)
    net.run()
    assert sorted(got) == [("attribute", b"hello"), ("method", b"hello")]
