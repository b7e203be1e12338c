"""pynet inside a running asyncio loop, standard and uvloop: attach, awaitables, detach."""

from __future__ import annotations

import asyncio
import errno
import gc
import importlib.util
import sys
import warnings

import pytest

import pynet as net
from pynet import _loop, errors
from pynet._timers import TimerHandle

pytestmark = pytest.mark.skipif(sys.platform == "win32",
                                reason="libuv has no backend fd to watch on Windows")

LOOPS = ["asyncio"] + (["uvloop"] if importlib.util.find_spec("uvloop") else [])


def run_in(kind, coro_fn, *args):
    if kind == "uvloop":
        import uvloop

        return uvloop.run(coro_fn(*args))
    return asyncio.run(coro_fn(*args))


@pytest.fixture(scope="module", autouse=True)
def _warm_loops():
    """Each event loop library keeps a few fds for the life of the process (uvloop
    opens its own on first use): open them before the per-test fd count."""
    for kind in LOOPS:
        run_in(kind, asyncio.sleep, 0)


@pytest.fixture(params=LOOPS)
def loop_kind(request):
    return request.param


def test_attach_echo_with_awaitables_and_detach(loop_kind):
    async def main():
        server = net.createServer(lambda c: c.on("data", c.write))
        await server.listenAsync(0, "127.0.0.1")
        c = await net.connectAsync(server.address().port, "127.0.0.1")
        c.write(b"over asyncio")
        (data,) = await net.once(c, "data")
        c.end()
        await net.once(c, "close")
        await server.aclose()
        with pytest.raises(errors.ERR_LOOP_ATTACHED):
            net.run()
        return data

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert run_in(loop_kind, main) == b"over asyncio"
    loop = _loop.current()
    assert loop.driver is None
    assert not loop.handles - {loop._wakeup}  # detached: the async handle closed too


def test_async_with_and_async_for_connections(loop_kind):
    async def main():
        accepted = []
        async with net.createServer() as server:
            await server.listen_async(0, "127.0.0.1")
            port = server.address().port

            async def accept():
                async for conn in server:
                    accepted.append(conn.remoteAddress)
                    conn.end("bye")
                    break

            task = asyncio.ensure_future(accept())
            c = await net.connect_async(port, "127.0.0.1")
            c.resume()
            await net.once(c, "close")
            await task
        assert not server.listening
        return accepted

    assert run_in(loop_kind, main) == ["127.0.0.1"]


def test_listen_async_raises_the_error(loop_kind):
    async def main():
        first = net.createServer()
        await first.listenAsync(0, "127.0.0.1")
        second = net.createServer()
        with pytest.raises(OSError) as info:
            await second.listenAsync(first.address().port, "127.0.0.1")
        await first.aclose()
        await second.aclose()  # never listening: returns at once, as Node's asyncDispose
        return info.value

    err = run_in(loop_kind, main)
    assert err.errno == errno.EADDRINUSE and err.code == "EADDRINUSE"


def test_connect_async_raises_econnrefused(loop_kind):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()

    async def main():
        with pytest.raises(ConnectionRefusedError, match="connect ECONNREFUSED"):
            await net.connectAsync(port, "127.0.0.1")

    run_in(loop_kind, main)


def test_listener_exception_goes_to_the_loop_exception_handler(loop_kind):
    async def main():
        seen = []
        asyncio.get_running_loop().set_exception_handler(lambda lp, ctx: seen.append(ctx))
        server = net.createServer()

        def bad_listener():
            raise RuntimeError("raised in a pynet listener")

        server.on("listening", bad_listener)
        server.listen(0, "127.0.0.1")
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        server.close()
        await net.once(server, "close")
        return seen

    seen = run_in(loop_kind, main)
    assert len(seen) == 1
    assert isinstance(seen[0]["exception"], RuntimeError)
    assert "pynet" in seen[0]["message"]


def test_libuv_timers_fire_inside_asyncio(loop_kind):
    async def main():
        fired = asyncio.get_running_loop().create_future()
        t = TimerHandle(_loop.current(), lambda: (fired.set_result(True), t.close()))
        t.start(20)
        return await asyncio.wait_for(fired, 5)

    assert run_in(loop_kind, main) is True


def test_next_tick_outside_callbacks_runs_under_asyncio(loop_kind):
    async def main():
        done = asyncio.get_running_loop().create_future()
        _loop.current()  # attach
        net.nextTick(lambda: net.queueMicrotask(lambda: done.set_result("drained")))
        return await asyncio.wait_for(done, 5)

    assert run_in(loop_kind, main) == "drained"


def test_net_run_still_works_after_asyncio_is_gone():
    async def main():
        _loop.current()

    asyncio.run(main())
    gc.collect()
    got = []
    server = net.createServer()
    server.listen(0, "127.0.0.1", lambda: (got.append(1), server.close()))
    net.run()
    assert got == [1]


def test_async_for_chunks_with_backpressure_until_end(loop_kind):
    payload = bytes(range(256)) * 4096  # 1 MiB

    async def main():
        server = net.createServer(lambda c: c.end(payload))
        await server.listenAsync(0, "127.0.0.1")
        c = await net.connectAsync(server.address().port, "127.0.0.1")
        got = []
        buffered = []
        async for chunk in c:
            got.append(chunk)
            buffered.append(c.readableLength)
            await asyncio.sleep(0)  # a consumer slower than the socket
        await server.aclose()
        return b"".join(got), max(buffered), c.readableHighWaterMark

    data, most_buffered, hwm = run_in(loop_kind, main)
    assert data == payload
    # Reading stopped at the high-water mark while the consumer lagged
    # (at most one 64 KiB read lands on top of it).
    assert most_buffered <= hwm + 64 * 1024


def test_async_for_raises_the_socket_error(loop_kind):
    async def main():
        server = net.createServer(lambda c: c.write(b"partial"))
        await server.listenAsync(0, "127.0.0.1")
        c = await net.connectAsync(server.address().port, "127.0.0.1")
        got = []
        with pytest.raises(RuntimeError, match="broken on purpose"):
            async for chunk in c:
                got.append(chunk)
                c.destroy(RuntimeError("broken on purpose"))
        server.close()
        return got

    assert run_in(loop_kind, main) == [b"partial"]
