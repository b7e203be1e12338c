"""The loop: run() lifetime, exceptions out of run(), tick order, Ctrl-C."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import traceback

import pytest

import pynet as net
from pynet import _ffi, _loop, errors
from pynet._timers import TimerHandle

from .conftest import env_with_repo, run_node


def test_run_returns_at_once_when_nothing_is_refd():
    net.run()
    server = net.createServer()
    server.listen(0, "127.0.0.1")
    server.unref()
    listening = []
    server.on("listening", lambda: listening.append(server.address().port))
    net.run()  # an unref'd listening server does not keep the loop alive
    assert listening and server.listening
    server.close()
    net.run()
    assert not server.listening


def test_exception_in_listener_comes_out_of_run_with_user_frames():
    server = net.createServer()

    def user_listener():
        raise RuntimeError("from the user's listener")

    server.on("listening", user_listener)
    server.listen(0, "127.0.0.1")
    with pytest.raises(RuntimeError, match="from the user's listener") as info:
        net.run()
    names = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "user_listener" in names
    # The loop is usable afterwards.
    closed = []
    server.close(lambda *a: closed.append(a))
    net.run()
    assert closed == [(None,)]  # Node passes no error: None here


def test_exception_in_libuv_upcall_keeps_traceback_and_loop_reusable():
    loop = _loop.current()

    def on_timer():
        t.close()
        raise KeyError("in a timer upcall")

    t = TimerHandle(loop, on_timer)
    t.start(1)
    with pytest.raises(KeyError) as info:
        net.run()
    assert "on_timer" in [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    fired = []
    t2 = TimerHandle(loop, lambda: (fired.append(1), t2.close()))
    t2.start(1)
    net.run()
    assert fired == [1]


def test_a_tick_that_raises_after_a_libuv_callback_stops_the_drain_there():
    # After each libuv callback the shim drains the queues itself (in C): a
    # tick that raises ends that drain and comes out of run() with its frames;
    # what was queued behind it runs at the next run(), ticks before microtasks.
    loop = _loop.current()
    log = []

    def failing_tick(arg):
        log.append(("failing", arg))
        raise LookupError("from a tick")

    def on_timer():
        net.queueMicrotask(lambda: log.append("micro"))
        net.nextTick(failing_tick, 1)
        net.nextTick(lambda: log.append("after"))

    t = TimerHandle(loop, on_timer)
    t.start(1)
    with pytest.raises(LookupError) as info:
        net.run()
    assert "failing_tick" in [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert log == [("failing", 1)]
    # (A libuv callback later in the same loop turn, had there been one, would
    # have drained the rest then, as Node goes on after an uncaught exception.)
    t.close()
    net.run()
    assert log == [("failing", 1), "after", "micro"]


def test_second_exception_in_same_turn_is_noted_on_the_first():
    loop = _loop.current()
    timers = []

    def boom(n):
        def fire():
            timers[n].close()
            raise ValueError(f"boom {n}")
        return fire

    for n in range(2):
        timers.append(TimerHandle(loop, boom(n)))
        timers[n].start(1)
    with pytest.raises(ValueError, match="boom 0") as info:
        net.run()
    net.run()  # the stopped turn's second timer may still be pending: let it finish
    notes = getattr(info.value, "__notes__", [])
    assert notes == [] or "boom 1" in notes[0]


def test_nested_run_is_refused():
    seen = []
    server = net.createServer()

    def nested():
        try:
            net.run()
        except errors.ERR_NESTED_RUN as err:
            seen.append(err.code)
        server.close()

    server.listen(0, "127.0.0.1", nested)
    net.run()
    assert seen == ["ERR_NESTED_RUN"]


def test_a_thread_gets_the_gil_while_the_loop_waits_for_io():
    # run() holds the GIL through libuv's callbacks and lets go of it only where
    # libuv may block: here the thread can send only while the loop waits in epoll.
    a, b = socket.socketpair()
    go = threading.Event()

    def peer() -> None:
        go.wait(5)
        b.sendall(b"from the thread")

    thread = threading.Thread(target=peer)
    thread.start()
    got: list[bytes] = []
    sock = net.Socket({"fd": a.detach()})

    def on_data(data: bytes) -> None:
        got.append(data)
        sock.destroy()
        give_up.close()

    sock.on("data", on_data)
    net.setImmediate(go.set)  # from inside the loop, holding the GIL
    give_up = net.setTimeout(sock.destroy, 5000)  # a GIL kept in epoll: no data, fail late
    try:
        net.run()
    finally:
        go.set()
        thread.join(5)
        b.close()
    assert got == [b"from the thread"]


def test_two_threads_run_their_own_loops_at_once():
    # Each loop's run() takes the GIL back on its first callback after a wait and
    # keeps it for the batch: two busy loops must hand it to each other, not stall.
    rounds = 200
    results: dict[str, object] = {}

    def echo_rounds(name: str) -> None:
        try:
            count = [0]
            server = net.createServer(lambda c: c.on("data", c.write))

            def start() -> None:
                client = net.connect(server.address()["port"], "127.0.0.1")

                def on_data(data: bytes) -> None:
                    count[0] += 1
                    if count[0] == rounds:
                        client.destroy()
                        server.close()
                    else:
                        client.write(b"%d" % count[0])

                client.on("data", on_data)
                client.on("connect", lambda: client.write(b"go"))
                server.on("connection", lambda c: c.on("end", c.end))

            server.listen(0, "127.0.0.1", start)
            net.run()
            results[name] = count[0]
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            results[name] = exc

    threads = [threading.Thread(target=echo_rounds, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results == {"a": rounds, "b": rounds}


def test_the_write_and_read_to_builtins_take_only_a_handle():
    # They read the handle's pointer out of the cdata: anything else is refused
    # before any memory is read.
    assert type(_ffi.pynet_write).__name__ == "builtin_function_or_method"  # cffi's layout found
    assert type(_ffi.pynet_read_to).__name__ == "builtin_function_or_method"
    for wrong in (object(), 12345, b"xx", _ffi.ffi.cast("void *", 0)):
        with pytest.raises(TypeError, match="write"):
            _ffi.pynet_write(wrong, b"data")
        with pytest.raises(TypeError, match="read_to"):
            _ffi.pynet_read_to(wrong, print, None)


def test_the_read_to_builtin_and_its_cffi_fallback_set_the_same_fields():
    # Who gets a stream handle's reads: read_fn(reader, data), or read_fn(data)
    # when the reader is None (NULL in C).
    def fn(data: bytes) -> None:
        return None

    reader = object()
    seen = []
    server = net.createServer()

    def check() -> None:
        ptr = server._handle.ptr  # a listening TCP handle: its read fields are unused
        for read_to in (_ffi.pynet_read_to, _ffi._cffi_read_to):
            read_to(ptr, fn, reader)
            seen.append((ptr.extra.read_fn == _ffi.c_pointer(fn),
                         ptr.extra.reader == _ffi.c_pointer(reader)))
            read_to(ptr, print, None)
            seen.append((ptr.extra.read_fn == _ffi.c_pointer(print),
                         ptr.extra.reader == _ffi.ffi.NULL))
        server.close()

    server.listen(0, "127.0.0.1", check)
    net.run()
    assert seen == [(True, True)] * 4


def test_the_cffi_write_fallback_sends_the_bytes_too():
    # Used when the shim cannot find the pointer in another cffi's cdata.
    got: list[bytes] = []
    server = net.createServer(lambda c: c.on("data", lambda d: (got.append(d), c.end())))

    def go() -> None:
        client = net.connect(server.address()["port"], "127.0.0.1")

        def on_connect() -> None:
            assert _ffi._cffi_write(client._handle.ptr, b"through cffi") == 0  # sent now
            client.end()

        client.on("connect", on_connect)
        client.on("close", lambda _had_error: server.close())

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert got == [b"through cffi"]


def test_next_tick_and_microtask_order_matches_node():
    js = """
    const log = [];
    const s = require('net').createServer();
    s.listen(0, '127.0.0.1', () => {
      log.push('listening');
      queueMicrotask(() => { log.push('m1'); process.nextTick(() => log.push('t-from-m1')); });
      process.nextTick(() => { log.push('t1'); queueMicrotask(() => log.push('m-from-t1')); });
      process.nextTick(() => log.push('t2'));
      queueMicrotask(() => log.push('m2'));
      s.close(() => log.push('closed'));
    });
    process.on('exit', () => console.log(JSON.stringify(log)));
    """
    expected = json.loads(run_node(js)[-1])
    log = []
    s = net.createServer()

    def on_listening():
        log.append("listening")
        net.queueMicrotask(lambda: (log.append("m1"),
                                    net.nextTick(lambda: log.append("t-from-m1"))))
        net.nextTick(lambda: (log.append("t1"),
                              net.queueMicrotask(lambda: log.append("m-from-t1"))))
        net.nextTick(lambda: log.append("t2"))
        net.queueMicrotask(lambda: log.append("m2"))
        s.close(lambda *_: log.append("closed"))

    s.listen(0, "127.0.0.1", on_listening)
    net.run()
    assert log == expected


def test_next_tick_arguments_and_validation():
    got = []
    net.nextTick(lambda a, b: got.append((a, b)), 1, 2)
    net.run()
    assert got == [(1, 2)]
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.nextTick(5)


CTRL_C_CHILD = textwrap.dedent("""
    import sys, pynet as net
    server = net.createServer()
    server.listen(0, '127.0.0.1', lambda: print('ready', flush=True))
    try:
        net.run()
    except KeyboardInterrupt:
        print('interrupted', flush=True)
        server.close()
        net.run()
        print('clean', flush=True)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery by os.kill is POSIX-only")
def test_ctrl_c_raises_keyboard_interrupt_while_idle():
    child = subprocess.Popen([sys.executable, "-c", CTRL_C_CHILD], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env_with_repo())
    try:
        assert child.stdout.readline().strip() == "ready"
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert out.split() == ["interrupted", "clean"], err
    assert child.returncode == 0
