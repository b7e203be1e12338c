"""Shared fixtures: every test is checked for leaked fds and leaked libuv handles."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import textwrap
from collections.abc import Iterator

import psutil
import pytest

import pynet
from pynet import _loop
from pynet._handle import SignalWakeup

NODE = shutil.which("node")

# Several tests stop a child with SIGINT. A run started with SIGINT ignored (a
# background job of a non-interactive shell) would pass SIG_IGN on to every
# child, and Python then never raises KeyboardInterrupt there. A *handled*
# signal is reset to the default in an exec'd child, so handle it here.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def open_handles() -> set[object]:
    return {h for h in _loop.current().handles if not isinstance(h, SignalWakeup)}


_warm: set[int] = set()


def _warm_up(loop: _loop.Loop) -> None:
    """Opens the fds a loop keeps for life, so they do not count as leaks.

    The epoll fd, the Ctrl-C wakeup socketpair, and libuv's EMFILE reserve fd,
    which it opens on the first uv_listen.
    """
    if id(loop) in _warm:
        return
    _warm.add(id(loop))
    loop._watch_signals()
    server = pynet.createServer()
    server.listen(0, "127.0.0.1", lambda: server.close())
    pynet.run()


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fails a test that leaves an fd open or a handle registered."""
    loop = _loop.current()
    _warm_up(loop)
    proc = psutil.Process()
    before = proc.num_fds()
    yield
    leftover = {h for h in open_handles() if not h.closing}
    if open_handles():
        # Close what the test left open (so the next test starts clean), let
        # the close callbacks run, then judge.
        for h in leftover:
            h.close()
        loop.exc = None
        pynet.run()
    assert not leftover, f"handles left open: {leftover}"
    assert not loop.ticks and not loop.micro, "nextTick/microtask queue not drained"
    assert not loop.requests, f"requests left in flight: {loop.requests}"
    gc.collect()
    after = proc.num_fds()
    assert after <= before, f"fds leaked: {before} -> {after}"


def run_node(script: str, timeout: float = 20) -> list[str]:
    """Runs a JavaScript snippet with node; returns its stdout lines."""
    if NODE is None:
        pytest.skip("node is not installed on this machine: no oracle to compare with")
    out = subprocess.run([NODE, "-e", textwrap.dedent(script)], capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def node_json(script: str) -> object:
    return json.loads(run_node(script)[-1])


_JS_KIND = {"RangeError": ValueError, "TypeError": TypeError}


def node_errors(prelude: str, statements: list[str]) -> list[list[str] | None]:
    """What each JavaScript statement throws in node: [name, code, message] or None."""
    js = prelude + "\nconst out = [];\n"
    for src in statements:
        js += (f"try {{ {src}; out.push(null); }} "
               "catch (e) { out.push([e.name, e.code, e.message]); }\n")
    js += "console.log(JSON.stringify(out));"
    return node_json(js)  # type: ignore[return-value]


def assert_same_error(answer: list[str], call) -> None:  # type: ignore[no-untyped-def]
    """``call()`` raises what node threw: the same class kind, code and message."""
    from pynet import errors

    name, code, message = answer
    with pytest.raises(Exception) as info:
        call()
    err = info.value
    assert isinstance(err, _JS_KIND.get(name, errors.NodeError))
    assert err.code == code
    assert type(err).__name__ == code
    assert str(err) == message


def env_with_repo() -> dict[str, str]:
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env
