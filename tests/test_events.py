"""EventEmitter: Node's semantics, checked against node where the order matters."""

from __future__ import annotations

import asyncio
import warnings

import pytest

from pynet import EventEmitter, errors, once
from pynet.events import MaxListenersExceededWarning

from .conftest import run_node


def test_on_emit_in_order_and_same_function_twice_runs_twice():
    e = EventEmitter()
    log = []
    f = lambda x: log.append(("f", x))
    e.on("x", f)
    e.on("x", lambda x: log.append(("g", x)))
    e.on("x", f)
    assert e.emit("x", 1) is True
    assert log == [("f", 1), ("g", 1), ("f", 1)]
    assert e.emit("nothing") is False


def test_once_prepend_and_raw_listeners():
    e = EventEmitter()
    log = []
    a = lambda: log.append("a")
    b = lambda: log.append("b")
    c = lambda: log.append("c")
    e.on("x", a)
    e.prependListener("x", b)
    e.prependOnceListener("x", c)
    e.emit("x")
    e.emit("x")
    assert log == ["c", "b", "a", "b", "a"]
    d = lambda: None
    e.once("y", d)
    assert e.listeners("y") == [d]
    raw = e.rawListeners("y")[0]
    assert raw is not d and raw.listener is d
    raw()  # calling the wrapper removes it, as in Node
    assert e.listenerCount("y") == 0


def test_remove_listener_removes_the_last_added_and_emit_is_stable():
    e = EventEmitter()
    log = []
    f = lambda: log.append("f")

    def g():
        log.append("g")
        e.off("x", f)  # removing during emit does not affect this emit

    e.on("x", f)
    e.on("x", g)
    e.on("x", f)
    e.emit("x")
    assert log == ["f", "g", "f"]
    assert e.listeners("x") == [f, g]  # the last-added f went
    e.removeListener("x", lambda: None)  # unknown: no-op
    assert e.listenerCount("x") == 2
    assert e.listenerCount("x", f) == 1


def test_new_listener_and_remove_listener_events():
    e = EventEmitter()
    log = []
    e.on("newListener", lambda name, fn: log.append(("new", name, e.listenerCount(name))))
    e.on("removeListener", lambda name, fn: log.append(("rm", name)))
    f = lambda: None
    e.once("x", f)
    e.off("x", f)
    assert log == [("new", "removeListener", 0), ("new", "x", 0), ("rm", "x")]
    e.on("y", f)
    e.removeAllListeners()
    assert ("rm", "y") in log and e.eventNames() == []


def test_remove_all_listeners_for_one_name():
    e = EventEmitter()
    e.on("a", lambda: None)
    e.on("b", lambda: None)
    e.removeAllListeners("a")
    assert e.eventNames() == ["b"]


def test_unhandled_error_raises_the_error_itself():
    e = EventEmitter()
    err = ValueError("boom")
    with pytest.raises(ValueError) as info:
        e.emit("error", err)
    assert info.value is err
    with pytest.raises(errors.ERR_UNHANDLED_ERROR) as info2:
        e.emit("error", "text")
    assert str(info2.value) == "Unhandled error. ('text')"
    assert info2.value.code == "ERR_UNHANDLED_ERROR"


def test_decorator_form():
    e = EventEmitter()
    seen = []

    @e.on("data")
    def on_data(x):
        seen.append(x)

    @e.once("data")
    def first(x):
        seen.append(("first", x))

    e.emit("data", 1)
    e.emit("data", 2)
    assert seen == [1, ("first", 1), 2]
    assert on_data.__name__ == "on_data"  # the decorator returns the function


def test_snake_case_twins():
    e = EventEmitter()
    f = lambda: None
    e.add_listener("x", f)
    e.prepend_listener("x", f)
    e.prepend_once_listener("x", f)
    assert e.listener_count("x") == 3
    assert e.event_names() == ["x"]
    assert len(e.raw_listeners("x")) == 3
    e.remove_all_listeners("x")
    e.set_max_listeners(3)
    assert e.get_max_listeners() == 3


def test_max_listeners_warning_once_with_node_text():
    e = EventEmitter()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for _ in range(12):
            e.on("data", lambda: None)
    leak = [x for x in w if issubclass(x.category, MaxListenersExceededWarning)]
    assert len(leak) == 1
    assert str(leak[0].message) == (
        "Possible EventEmitter memory leak detected. 11 data listeners added to "
        "[EventEmitter]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit")
    e.setMaxListeners(0)  # 0 = unlimited
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e.on("other", lambda: None)


def test_validation():
    e = EventEmitter()
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE) as info:
        e.on("x", 5)
    assert str(info.value) == (
        'The "listener" argument must be of type function. Received type number (5)')
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        e.setMaxListeners(-1)


def test_once_awaitable_resolves_with_args_tuple_and_raises_error():
    async def main():
        e = EventEmitter()
        fut = once(e, "ready")
        e.emit("ready", 1, 2)
        assert await fut == (1, 2)
        assert e.listenerCount("error") == 0
        fut2 = once(e, "ready")
        e.emit("error", OSError("bad"))
        with pytest.raises(OSError, match="bad"):
            await fut2
        assert e.listenerCount("ready") == 0

    asyncio.run(main())


def test_order_matches_node():
    js = """
    const E = require('events');
    const e = new E(); const log = [];
    e.on('newListener', (n) => { if (n !== 'newListener') log.push('new:' + n); });
    const f = () => log.push('f');
    e.on('x', f);
    e.prependOnceListener('x', () => log.push('once'));
    e.on('x', () => { log.push('g'); e.off('x', f); });
    e.prependListener('x', () => log.push('p'));
    e.emit('x'); e.emit('x');
    console.log(JSON.stringify(log));
    """
    expected = run_node(js)[-1]
    e = EventEmitter()
    log = []
    e.on("newListener", lambda n, fn: log.append("new:" + n) if n != "newListener" else None)
    f = lambda: log.append("f")
    e.on("x", f)
    e.prependOnceListener("x", lambda: log.append("once"))

    def g():
        log.append("g")
        e.off("x", f)

    e.on("x", g)
    e.prependListener("x", lambda: log.append("p"))
    e.emit("x")
    e.emit("x")
    import json

    assert log == json.loads(expected)


def test_a_listener_added_during_emit_waits_for_the_next_emit_as_in_node():
    js = """
    const E = require('events'); const e = new E(); const log = [];
    e.on('x', () => { log.push('a'); e.on('x', () => log.push('c')); });
    e.on('x', () => log.push('b'));
    e.prependListener('y', () => { log.push('y1'); e.prependListener('y', () => log.push('y0')); });
    e.on('y', () => log.push('y2'));
    e.emit('x'); log.push('|'); e.emit('x'); e.emit('y'); e.emit('y');
    console.log(JSON.stringify(log));
    """
    expected = run_node(js)[-1]
    e = EventEmitter()
    log: list[str] = []
    e.on("x", lambda: (log.append("a"), e.on("x", lambda: log.append("c"))))
    e.on("x", lambda: log.append("b"))
    e.prependListener("y", lambda: (log.append("y1"),
                                    e.prependListener("y", lambda: log.append("y0"))))
    e.on("y", lambda: log.append("y2"))
    e.emit("x")
    log.append("|")
    e.emit("x")
    e.emit("y")
    e.emit("y")
    import json

    assert log == json.loads(expected)


def test_once_awaitable_cancelled_takes_its_listeners_back():
    async def main():
        e = EventEmitter()
        fut = once(e, "ready")
        assert e.listenerCount("ready") == 1 and e.listenerCount("error") == 1
        fut.cancel()
        await asyncio.sleep(0)
        return e.listenerCount("ready"), e.listenerCount("error")

    assert asyncio.run(main()) == (0, 0)


def test_a_bound_method_is_the_same_listener_at_every_access():
    # JavaScript's obj.method is one function however often it is read, so
    # off() finds what on() added; Python makes a new bound method at each
    # read: off(), removeListener() and listenerCount() compare them as
    # Node compares functions (the same function of the same object).
    class Handler:
        def __init__(self) -> None:
            self.got: list = []

        def on_x(self, value):
            self.got.append(value)

    e = EventEmitter()
    h, other = Handler(), Handler()
    removed: list = []
    e.on("removeListener", lambda name, fn: removed.append((name, fn == h.on_x)))
    e.on("x", h.on_x)
    e.on("x", other.on_x)
    e.once("x", h.on_x)
    assert e.listenerCount("x", h.on_x) == 2 and e.listenerCount("x", other.on_x) == 1
    e.off("x", h.on_x)  # the last added: the once listener
    e.emit("x", 1)
    assert (h.got, other.got) == ([1], [1])
    e.removeListener("x", h.on_x)
    e.emit("x", 2)
    assert (h.got, other.got) == ([1], [1, 2])
    assert e.listenerCount("x", h.on_x) == 0 and e.listeners("x") == [other.on_x]
    e.off("x", Handler().on_x)  # another object's method: nothing to remove
    assert e.listeners("x") == [other.on_x]
    assert removed == [("x", True), ("x", True)]
    # A builtin's bound method too (list.append of one list).
    sink: list = []
    e.on("y", sink.append)
    e.off("y", sink.append)
    assert e.listenerCount("y") == 0
