"""Connecting like Node: lookup, connect options, happy eyeballs (loopback only).

A custom ``lookup`` answers with loopback addresses; an attempt that must time
out goes to a loopback listener whose accept queue is full.  No traffic leaves
the machine, and no name is sent to a DNS server.
"""

from __future__ import annotations

import contextlib
import json
import socket as pysocket

import pytest

import pynet as net
from pynet import errors

from .conftest import run_node


def free_port() -> int:
    probe = pysocket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@contextlib.contextmanager
def full_listener(ip: str, port: int = 0):
    """A listener that never accepts, its queue filled: further SYNs are dropped."""
    lsock = pysocket.socket()
    lsock.bind((ip, port))
    lsock.listen(0)
    fillers = []
    for _ in range(3):
        f = pysocket.socket()
        f.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            f.connect(lsock.getsockname())
        fillers.append(f)
    try:
        yield lsock.getsockname()[1]
    finally:
        for f in fillers:
            f.close()
        lsock.close()


# One scenario, written twice: JavaScript for node, Python for pynet. Each logs
# [event, ip, family, code] and prints the log as JSON when the socket closes.
JS = """
const net = require('net');
const [addrs, port, serve, attemptTimeout] = JSON.parse(process.argv[1]);
const log = [];
function go() {
  const c = net.connect({ host: 'example.test', port,
    autoSelectFamilyAttemptTimeout: attemptTimeout,
    lookup: (host, opts, cb) => { log.push(['lookup-call', host, !!opts.all]);
                                  setImmediate(cb, null, addrs); } });
  c.on('lookup', (err, ip, family, host) => log.push(['lookup', ip, family, host]));
  c.on('connectionAttempt', (ip, p, family) => log.push(['attempt', ip, family]));
  c.on('connectionAttemptFailed',
       (ip, p, family, err) => log.push(['failed', ip, family, err.code]));
  c.on('connectionAttemptTimeout', (ip, p, family) => log.push(['timeout', ip, family]));
  c.on('connect', () => { log.push(['connect', c.remoteAddress]); c.end(); });
  c.on('error', (err) => log.push(['error', err.code, err.constructor.name,
                                    (err.errors || []).map(e => [e.code, e.message])]));
  c.on('close', () => { log.push(['close', c.autoSelectFamilyAttemptedAddresses]);
                        if (server) server.close(); console.log(JSON.stringify(log)); });
}
let server = null;
if (serve) { server = net.createServer(s => s.resume()); server.listen(port, '127.0.0.1', go); }
else go();
"""


def pynet_scenario(addrs, port, serve, attempt_timeout):
    log = []
    server = None

    def lookup(host, opts, cb):
        log.append(["lookup-call", host, bool(opts.get("all"))])
        net.setImmediate(cb, None, addrs)

    def go():
        c = net.connect({"host": "example.test", "port": port, "lookup": lookup,
                         "autoSelectFamilyAttemptTimeout": attempt_timeout})
        c.on("lookup", lambda err, ip, family, host: log.append(["lookup", ip, family, host]))
        c.on("connectionAttempt", lambda ip, p, family: log.append(["attempt", ip, family]))
        c.on("connectionAttemptFailed",
             lambda ip, p, family, err: log.append(["failed", ip, family, err.code]))
        c.on("connectionAttemptTimeout", lambda ip, p, family: log.append(["timeout", ip, family]))
        c.on("connect", lambda: (log.append(["connect", c.remoteAddress]), c.end()))
        c.on("error", lambda err: log.append([
            "error", err.code, type(err).__name__,
            [[e.code, str(e)] for e in getattr(err, "errors", [])]]))

        def on_close(_):
            log.append(["close", c.autoSelectFamilyAttemptedAddresses])
            if server is not None:
                server.close()
        c.on("close", on_close)

    if serve:
        server = net.createServer(lambda s: s.resume())
        server.listen(port, "127.0.0.1", go)
    else:
        go()
    net.run()
    return log


# 2 s, not Node's 250 ms default: a loaded CI machine can stall a loop that long,
# and a timer that fires before the poll phase turns a loopback connect into ETIMEDOUT.
def compare_with_node(addrs, port, serve, attempt_timeout=2000):
    expected = json.loads(run_node_args(JS, [addrs, port, serve, attempt_timeout]))
    got = pynet_scenario(addrs, port, serve, attempt_timeout)
    assert json.loads(json.dumps(got)) == expected
    return got


def run_node_args(js, arg):
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed on this machine: no oracle to compare with")
    out = subprocess.run([node, "-e", js, json.dumps(arg)], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()[-1]


V6_THEN_V4 = [{"address": "::1", "family": 6}, {"address": "127.0.0.1", "family": 4}]


def test_happy_eyeballs_first_address_refused_matches_node():
    log = compare_with_node(V6_THEN_V4, free_port(), serve=True)
    kinds = [entry[0] for entry in log]
    assert kinds == ["lookup-call", "lookup", "lookup", "attempt", "failed", "attempt",
                     "connect", "close"]


def test_happy_eyeballs_all_fail_is_one_aggregate_error_matching_node():
    port = free_port()
    log = compare_with_node(V6_THEN_V4, port, serve=False)
    error = [e for e in log if e[0] == "error"][0]
    assert error[1] == "ECONNREFUSED" and error[2] == "AggregateError"
    assert [e[0] for e in error[3]] == ["ECONNREFUSED", "ECONNREFUSED"]
    assert log[-1] == ["close", [f"::1:{port}", f"127.0.0.1:{port}"]]


def test_happy_eyeballs_first_address_times_out_matches_node():
    with full_listener("127.0.0.2") as port:
        addrs = [{"address": "127.0.0.2", "family": 4}, {"address": "127.0.0.1", "family": 4}]
        log = compare_with_node(addrs, port, serve=True, attempt_timeout=50)
    assert ["timeout", "127.0.0.2", 4] in log and ["connect", "127.0.0.1"] in log


def test_aggregate_error_shape():
    port = free_port()
    got = []
    c = net.connect({"host": "example.test", "port": port, "autoSelectFamilyAttemptTimeout": 5000,
                     "lookup": lambda h, o, cb: cb(None, V6_THEN_V4)})
    c.on("error", got.append)
    net.run()
    err = got[0]
    assert isinstance(err, errors.AggregateError) and isinstance(err, ExceptionGroup)
    assert err.code == "ECONNREFUSED" and str(err) == ""
    assert [str(e) for e in err.errors] == [f"connect ECONNREFUSED ::1:{port}",
                                           f"connect ECONNREFUSED 127.0.0.1:{port}"]
    assert all(isinstance(e, ConnectionRefusedError) for e in err.exceptions)


def test_family_or_local_address_turns_happy_eyeballs_off():
    calls = []

    def lookup(host, opts, cb):
        calls.append(dict(opts))
        cb(None, "127.0.0.1", 4)

    server = net.createServer(lambda s: s.end())

    def go():
        port = server.address().port
        a = net.connect({"host": "h.test", "port": port, "lookup": lookup, "family": 4})
        a.resume()

        def second(_):
            b = net.connect({"host": "h.test", "port": port, "lookup": lookup,
                             "localAddress": "127.0.0.1"})
            b.resume()
            b.on("close", lambda _: server.close())
        a.on("close", second)

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert [c.get("all", False) for c in calls] == [False, False]
    assert calls[0]["family"] == 4


def test_synchronous_lookup_error_is_emitted_not_raised():
    # As in Node: a lookup that calls back at once emits 'lookup' before the caller
    # can listen for it; the error itself comes on the next tick.
    got = []
    bad = OSError("no such host")
    bad.code = "ENOTFOUND"
    c = net.connect({"host": "nowhere.test", "port": 80, "lookup": lambda h, o, cb: cb(bad)})
    c.on("lookup", lambda err, *a: got.append(("lookup", err is bad)))
    c.on("error", lambda err: got.append(("error", err is bad)))
    c.on("close", lambda had_error: got.append(("close", had_error)))
    net.run()
    assert got == [("error", True), ("close", True)]


def test_synchronous_lookup_success_matches_node():
    js = """
    const net = require('net'); const log = [];
    const server = net.createServer(s => s.end()).listen(0, '127.0.0.1', () => {
      const c = net.connect({ host: 'h.test', port: server.address().port,
        lookup: (h, o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) });
      for (const e of ['lookup', 'connectionAttempt', 'connect', 'close'])
        c.on(e, () => log.push(e));
      c.resume(); c.on('close', () => server.close());
    });
    process.on('exit', () => console.log(JSON.stringify(log)));
    """
    expected = json.loads(run_node(js)[-1])
    log = []
    server = net.createServer(lambda s: s.end())

    def go():
        c = net.connect({"host": "h.test", "port": server.address().port,
                         "lookup": lambda h, o, cb: cb(None, [{"address": "127.0.0.1",
                                                                "family": 4}])})
        for e in ["lookup", "connectionAttempt", "connect", "close"]:
            c.on(e, lambda *a, e=e: log.append(e))
        c.resume()
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert log == expected


def test_local_address_and_local_port_bind_before_connect():
    seen = []
    server = net.createServer(lambda s: (seen.append((s.remoteAddress, s.remotePort)), s.end()))
    local_port = free_port()

    def go():
        c = net.connect({"port": server.address().port, "host": "127.0.0.1",
                         "localAddress": "127.0.0.2", "localPort": local_port})
        c.resume()
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert seen == [("127.0.0.2", local_port)]


def test_no_delay_and_keep_alive_options_apply_on_connect():
    opts = {}
    server = net.createServer(lambda s: s.end())

    def go():
        c = net.connect({"port": server.address().port, "host": "127.0.0.1", "noDelay": True,
                         "keepAlive": True, "keepAliveInitialDelay": 3000})

        def on_connect():
            fd = c._handle.fileno()
            s = pysocket.socket(fileno=fd)
            try:
                opts["nodelay"] = s.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY)
                opts["keepalive"] = s.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE)
                opts["idle"] = s.getsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE)
            finally:
                s.detach()
        c.on("connect", on_connect)
        c.resume()
        c.on("close", lambda _: server.close())

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert opts["nodelay"] != 0 and opts["keepalive"] != 0 and opts["idle"] == 3


def test_module_defaults_and_their_validation():
    assert net.getDefaultAutoSelectFamily() is True  # Node 20's default
    assert net.getDefaultAutoSelectFamilyAttemptTimeout() == 250
    try:
        net.setDefaultAutoSelectFamilyAttemptTimeout(5)
        assert net.get_default_auto_select_family_attempt_timeout() == 10
        net.setDefaultAutoSelectFamily(False)
        assert net.getDefaultAutoSelectFamily() is False
        with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
            net.setDefaultAutoSelectFamily("yes")
        with pytest.raises(errors.ERR_OUT_OF_RANGE):
            net.setDefaultAutoSelectFamilyAttemptTimeout(0)
    finally:
        net.setDefaultAutoSelectFamily(True)
        net.setDefaultAutoSelectFamilyAttemptTimeout(250)


BAD = [
    ("net.connect({port: 80, localAddress: 'nope'})",
     {"port": 80, "localAddress": "nope"}),
    ("net.connect({port: 80, host: 'h.test', lookup: 5})",
     {"port": 80, "host": "h.test", "lookup": 5}),
    ("net.connect({port: 80, host: 'h.test', family: 5})",
     {"port": 80, "host": "h.test", "family": 5}),
    ("net.connect({port: 80, autoSelectFamily: 1})", {"port": 80, "autoSelectFamily": 1}),
    ("net.connect({port: 80, autoSelectFamilyAttemptTimeout: 0})",
     {"port": 80, "autoSelectFamilyAttemptTimeout": 0}),
    ("net.connect({port: 80, localPort: 'x'})", {"port": 80, "localPort": "x"}),
    ("net.connect({port: true})", {"port": True}),
]


def test_bad_connect_options_match_node_and_leave_nothing_open():
    from .conftest import assert_same_error, node_errors

    answers = node_errors("const net = require('net');", [js for js, _ in BAD])
    for answer, (_, opts) in zip(answers, BAD, strict=True):
        assert_same_error(answer, lambda opts=opts: net.connect(opts))


def test_reconnect_after_close_in_all_three_forms_and_ready_state_sequence():
    states = []
    server = net.createServer(lambda s: s.end("hi"))

    def go():
        port = server.address().port
        c = net.Socket()
        states.append(("new", c.readyState, c.pending, c.connecting))
        forms = [lambda cb: c.connect(port, "127.0.0.1", cb),
                 lambda cb: c.connect({"port": port, "host": "127.0.0.1"}, cb),
                 lambda cb: c.connect(port, cb)]  # host defaults to 'localhost'

        def attempt(i):
            forms[i](lambda: states.append(("connected", i, c.readyState, c.pending)))
            states.append(("connecting", i, c.readyState, c.pending, c.connecting))

        def on_close(_):
            states.append(("closed", c.readyState, c.destroyed))
            n = sum(1 for s in states if s[0] == "closed")
            if n < 3:
                attempt(n)
            else:
                server.close()

        c.on("close", on_close)
        c.resume()
        attempt(0)

    server.listen(0, "127.0.0.1", go)
    net.run()
    assert states[0] == ("new", "open", True, False)
    for i in range(3):
        assert ("connecting", i, "opening", True, True) in states
        assert ("connected", i, "open", False) in states
    assert states.count(("closed", "closed", True)) == 3


def test_dns_failure_error_shape():
    from pynet._dns import dns_error
    from pynet._ffi import lib

    # What uv_getaddrinfo answers for a name that does not exist (no lookup is sent here).
    err = dns_error(lib.UV_EAI_NONAME, "nowhere.test")
    assert err.code == "ENOTFOUND" and err.syscall == "getaddrinfo"
    assert err.hostname == "nowhere.test"
    assert str(err) == "getaddrinfo ENOTFOUND nowhere.test"
    other = dns_error(lib.UV_EAI_AGAIN, "slow.test")
    assert other.code == "EAI_AGAIN" and str(other) == "getaddrinfo EAI_AGAIN slow.test"


def test_hints_out_of_range_matches_node():
    from .conftest import assert_same_error, node_errors

    (answer,) = node_errors("const net = require('net');",
                            ["net.connect({port: 80, host: 'h.test', hints: -1})"])
    assert_same_error(answer, lambda: net.connect({"port": 80, "host": "h.test", "hints": -1}))


# Strings that Python's float()/int()/str.strip() read differently from
# JavaScript's Number(): non-ASCII digits, underscores, \x1c-\x1f and \x85
# (whitespace to Python, not to JavaScript), the BOM (the reverse).
NUMBERISH = ["5", " 0x1f ", "0x1_f", "1_0", "5e1", "0b101", "0o17", "+5", "5.", ".5e1", "Infinity",
             "-0x10", "+0x10", "\u0663", "\uff15", "\ufeff5", "\x1c5", "\x855",
             "\xa05\u2028", "\u30005", "\u20285", "\t", "e5", "inf", "nan", "/tmp/x"]


def test_port_strings_and_pipe_names_read_as_node_reads_them():
    # A port string passes validatePort or not, and connect(string) takes it
    # as a path or a port (isPipeName), as node does.  A lookup that never
    # answers keeps every connect from leaving the process.
    out = run_node(f"""
        const net = require('net');
        const rows = [];
        for (const s of {json.dumps(NUMBERISH)}) {{
          let port;
          const sock = new net.Socket();
          try {{
            sock.connect({{port: s, host: 'h.test', lookup: () => {{}}}});
            port = 'valid';
          }} catch (e) {{ port = e.code; }}
          sock.destroy();
          const isPath = net._normalizeArgs([s])[0].path !== undefined;
          rows.push([s, port, isPath, String(Number(s))]);
        }}
        // ASCII only: Python's splitlines() splits at some of NUMBERISH.
        console.log(JSON.stringify(rows).replace(/[\u007f-\uffff]/g,
          (c) => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
    """)
    expected = json.loads(out[-1])
    got = []
    for s in NUMBERISH:
        sock = net.Socket()
        try:
            sock.connect({"port": s, "host": "h.test", "lookup": lambda *a: None})
            port = "valid"
        except errors.NodeError as e:
            port = e.code
        sock.destroy()
        got.append([s, port, _normalize(s), _js_number_text(s)])
    assert got == expected
    net.run()  # nothing left behind


def _normalize(s: str) -> bool:
    from pynet.socket import normalize_args
    return "path" in normalize_args((s,), {})[0]


def _js_number_text(s: str) -> str:
    from pynet._validators import to_number
    n = to_number(s)
    if n != n:
        return "NaN"
    if n in (float("inf"), float("-inf")):
        return "Infinity" if n > 0 else "-Infinity"
    return str(int(n)) if n.is_integer() else repr(n)
