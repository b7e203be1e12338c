"""Node's timers: ordering against node, ref/unref, refresh, coercion, validation."""

from __future__ import annotations

import json
import warnings

import pytest

import pynet as net
from pynet.timers import TimeoutOverflowWarning

from .conftest import assert_same_error, node_errors, run_node


def test_phase_order_inside_a_timer_matches_node():
    js = """
    const log = [];
    setTimeout(() => {
      setTimeout(() => log.push('timeout0'), 0);
      setImmediate(() => { log.push('immediate'); process.nextTick(() => log.push('tick-in-imm'));
                           queueMicrotask(() => log.push('micro-in-imm')); });
      setImmediate(() => log.push('immediate2'));
      process.nextTick(() => log.push('tick'));
      queueMicrotask(() => log.push('micro'));
    }, 5);
    process.on('exit', () => console.log(JSON.stringify(log)));
    """
    expected = json.loads(run_node(js)[-1])
    log = []

    def outer():
        net.setTimeout(lambda: log.append("timeout0"), 0)
        net.setImmediate(lambda: (log.append("immediate"),
                                  net.nextTick(lambda: log.append("tick-in-imm")),
                                  net.queueMicrotask(lambda: log.append("micro-in-imm"))))
        net.setImmediate(lambda: log.append("immediate2"))
        net.nextTick(lambda: log.append("tick"))
        net.queueMicrotask(lambda: log.append("micro"))

    net.setTimeout(outer, 5)
    net.run()
    assert log == expected


def test_same_delay_fires_in_the_order_set():
    log = []
    net.setTimeout(lambda: log.append("a"), 20)
    net.setTimeout(lambda: log.append("b"), 20)
    net.setTimeout(lambda: log.append("c"), 5)
    net.setTimeout(lambda x, y: log.append(x + y), 20, "d", "!")
    net.run()
    assert log == ["c", "a", "b", "d!"]


def test_unrefd_timers_do_not_keep_run_alive_and_ref_brings_them_back():
    log = []
    t = net.setTimeout(lambda: log.append("never"), 60_000)
    t.unref()
    assert t.hasRef() is False and t.has_ref() is False
    i = net.setInterval(lambda: log.append("never either"), 60_000).unref()
    imm = net.setImmediate(lambda: log.append("immediate unref'd"))
    imm.unref()
    net.run()  # returns at once: only unref'd timers
    assert log == []
    net.clearTimeout(t)
    net.clearInterval(i)
    net.clearImmediate(imm)
    r = net.setTimeout(lambda: log.append("refd"), 1).unref()
    r.ref()
    net.run()
    assert log == ["refd"]


def test_unrefd_immediate_alone_matches_node():
    expected = run_node("setImmediate(() => console.log('ran')).unref(); console.log('end');")
    out = []
    imm = net.setImmediate(lambda: out.append("ran")).unref()
    out.append("end")
    net.run()
    assert out == expected
    net.clearImmediate(imm)  # still pending, as in Node: let its handles go
    net.run()


def test_interval_repeats_until_cleared_from_inside():
    count = []

    def tick():
        count.append(1)
        if len(count) == 3:
            net.clearInterval(iv)

    iv = net.setInterval(tick, 1)
    net.run()
    assert len(count) == 3


def test_refresh_rearms_and_clear_cancels():
    log = []
    t = net.setTimeout(lambda: log.append(len(log)), 5)
    cancelled = net.setTimeout(lambda: log.append("cancelled"), 5)
    net.clearTimeout(cancelled)
    net.clearTimeout(None)  # ignored, as in Node
    net.run()
    t.refresh()  # a fired timeout comes back
    net.run()
    assert log == [0, 1]
    c = net.setImmediate(lambda: log.append("cleared immediate"))
    net.clearImmediate(c)
    net.run()
    assert log == [0, 1]


def test_delay_coercion_and_overflow_warning():
    log = []
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for delay in (-5, float("nan"), "x", None, 2**31):
            net.setTimeout(lambda d=delay: log.append(d), delay)
    net.run()
    assert len(log) == 5  # every one became 1 ms
    over = [x for x in w if issubclass(x.category, TimeoutOverflowWarning)]
    assert [str(x.message) for x in over] == [
        "2147483648 does not fit into a 32-bit signed integer.\nTimeout duration was set to 1."]


def test_validation_matches_node():
    answers = node_errors("", ["setTimeout(5)", "setInterval('x')", "setImmediate(null)"])
    for answer, call in zip(answers, [lambda: net.setTimeout(5),
                                      lambda: net.setInterval("x"),
                                      lambda: net.setImmediate(None)], strict=True):
        if answer[2].endswith("Received null"):
            answer = [answer[0], answer[1], answer[2].replace("null", "None")]
        assert_same_error(answer, call)


def test_exception_in_a_timer_comes_out_of_run_and_others_still_run():
    log = []

    def boom():
        raise ValueError("from a timer")

    net.setImmediate(boom)
    net.setImmediate(lambda: log.append("second immediate"))
    with pytest.raises(ValueError, match="from a timer"):
        net.run()
    net.run()
    assert log == ["second immediate"]
