"""AbortController/AbortSignal, and listen({'signal': ...}) closing the server."""

from __future__ import annotations

import pytest

import pynet as net
from pynet import errors


def test_controller_and_signal_shape():
    ac = net.AbortController()
    calls = []
    ac.signal.addEventListener("abort", lambda: calls.append("once"), {"once": True})
    ac.signal.add_event_listener("abort", lambda: calls.append("always"))
    ac.signal.onabort = lambda: calls.append("onabort")
    assert not ac.signal.aborted and ac.signal.reason is None
    ac.abort()
    assert ac.signal.aborted
    assert isinstance(ac.signal.reason, errors.AbortError)
    assert ac.signal.reason.code == "ABORT_ERR"
    assert str(ac.signal.reason) == "This operation was aborted"
    assert calls == ["onabort", "once", "always"]
    ac.abort("again")  # a second abort changes nothing
    assert isinstance(ac.signal.reason, errors.AbortError)
    with pytest.raises(errors.AbortError):
        ac.signal.throwIfAborted()


def test_abort_with_reason_and_static_helpers():
    ac = net.AbortController()
    ac.abort("why")
    assert ac.signal.reason == "why"
    s = net.AbortSignal.abort(ValueError("r"))
    assert s.aborted and isinstance(s.reason, ValueError)
    t = net.AbortSignal.timeout(5)
    assert not t.aborted
    net.setTimeout(lambda: None, 30)  # the signal's own timer is unref'd, as in Node
    net.run()
    assert t.aborted and isinstance(t.reason, TimeoutError)


def test_listen_signal_closes_the_server():
    ac = net.AbortController()
    events = []
    server = net.createServer()
    server.on("close", lambda: events.append("close"))

    def on_listening():
        events.append("listening")
        ac.abort()

    server.listen({"port": 0, "host": "127.0.0.1", "signal": ac.signal}, on_listening)
    net.run()
    assert events == ["listening", "close"]
    assert not server.listening


def test_listen_with_an_already_aborted_signal_closes_at_once():
    server = net.createServer()
    events = []
    server.on("close", lambda: events.append("close"))
    server.listen({"port": 0, "signal": net.AbortSignal.abort()})  # no host: bound now
    net.run()
    assert events == ["close"] and not server.listening


def test_listen_signal_validation():
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE) as info:
        net.createServer().listen({"port": 0, "signal": "nope"})
    assert str(info.value) == (
        'The "options.signal" property must be an instance of AbortSignal. '
        "Received type string ('nope')")


def test_a_bound_method_is_one_abort_listener_at_every_access():
    # As with EventEmitter: adding obj.method twice adds it once, and
    # removeEventListener(obj.method) removes it (a method is one function in
    # JavaScript; Python makes a new bound method at each access).
    class Watcher:
        def __init__(self) -> None:
            self.calls = 0

        def on_abort(self, *_):
            self.calls += 1

    kept, dropped = Watcher(), Watcher()
    controller = net.AbortController()
    signal = controller.signal
    signal.addEventListener("abort", kept.on_abort)
    signal.addEventListener("abort", kept.on_abort)
    signal.addEventListener("abort", dropped.on_abort)
    signal.removeEventListener("abort", dropped.on_abort)
    controller.abort()
    assert (kept.calls, dropped.calls) == (1, 0)
