"""Helpers for the ports of Node's own tests (``tests/node/test_<node file>.py``).

``common`` is Node's ``test/common`` in miniature: ``must_call(fn, n)`` and
``must_not_call()`` wrap listeners, and every expectation is checked when the
test ends, as Node checks them at process exit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pynet as net

# An attempt timeout for happy-eyeballs tests whose first attempt must succeed:
# Node's 250 ms default is shorter than a stall on a loaded CI machine.
STALL_PROOF_MS = 5000


class Common:
    def __init__(self) -> None:
        self._checks: list[tuple[str, Callable[[], int], int, bool]] = []

    def must_call(self, fn: Callable[..., Any] | None = None, n: int = 1) -> Callable[..., Any]:
        """``fn`` wrapped: the test fails unless it is called exactly ``n`` times."""
        calls = [0]

        def wrapper(*args: Any) -> Any:
            calls[0] += 1
            return fn(*args) if fn is not None else None

        self._checks.append((getattr(fn, "__name__", "listener"), lambda: calls[0], n, True))
        return wrapper

    def must_call_at_least(self, fn: Callable[..., Any] | None = None,
                           n: int = 1) -> Callable[..., Any]:
        calls = [0]

        def wrapper(*args: Any) -> Any:
            calls[0] += 1
            return fn(*args) if fn is not None else None

        self._checks.append((getattr(fn, "__name__", "listener"), lambda: calls[0], n, False))
        return wrapper

    def must_not_call(self, what: str = "listener") -> Callable[..., Any]:
        def wrapper(*args: Any) -> None:
            raise AssertionError(f"{what} must not be called (got {args!r})")
        return wrapper

    def verify(self) -> None:
        for name, count, want, exact in self._checks:
            got = count()
            if exact:
                assert got == want, f"{name}: called {got} times, expected {want}"
            else:
                assert got >= want, f"{name}: called {got} times, expected at least {want}"


@pytest.fixture
def common() -> Iterator[Common]:
    c = Common()
    yield c
    c.verify()


def listen_local(server: net.Server, cb: Callable[..., Any] | None = None) -> net.Server:
    """``server.listen(0, '127.0.0.1', cb)``: every port here is 0 and on loopback."""
    return server.listen(0, "127.0.0.1", cb) if cb else server.listen(0, "127.0.0.1")


def collecting_server(got: list[Any], encoding: str | None = None) -> net.Server:
    """A server whose connections append every chunk they receive to ``got``
    and, at the peer's end, end too and close the server."""
    def on_conn(c: net.Socket) -> None:
        if encoding is not None:
            c.setEncoding(encoding)
        c.on("data", got.append)
        c.on("end", lambda: (c.end(), server.close()))

    server = net.createServer(on_conn)
    return server


def refused_port() -> int:
    """A loopback port that nothing listens on (just listened on, then closed)."""
    server = net.createServer()
    found: list[int] = []
    server.listen(0, "127.0.0.1", lambda: (found.append(server.address().port), server.close()))
    net.run()
    return found[0]


def have_ipv6() -> bool:
    """Whether this machine can listen on ::1."""
    probe = net.createServer()
    ok: list[bool] = []
    probe.on("error", lambda e: ok.append(False))
    probe.listen(0, "::1", lambda: (ok.append(True), probe.close()))
    net.run()
    return ok == [True]
