"""Bad input at scale: hypothesis throws random values at every public entry point.

Each call either works or raises one of Node's error classes with a ``.code``
(the same goes for 'error' events), and nothing is left behind: no fd, no
handle.  Nothing leaves the machine: hosts are IP literals (never a name a
resolver would look up), a custom ``lookup`` answers 127.0.0.1, paths are
under a temporary directory.
"""

from __future__ import annotations

import os
import tempfile

import psutil
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pynet as net
from pynet import _loop, errors

from .conftest import FULL, scale

EXAMPLES = scale(2_000, 50)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not FULL,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
_TMP = tempfile.mkdtemp(prefix="pynet-fuzz-")

junk = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40),
                 st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=12), st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))
ports = st.one_of(st.integers(-5, 70000), st.sampled_from(["0", "80", "0x10", " 1 ", "", "-1"]),
                  junk)
hosts = st.one_of(st.sampled_from(["127.0.0.1", "::1", "127.0.0.2", "0.0.0.0", "::",
                                   "999.1.1.1", "1.2.3", "::ffff:127.0.0.1"]),
                  st.none(), st.integers(), st.lists(st.integers(), max_size=1))
paths = st.one_of(st.text(alphabet="abcxyz_", min_size=1, max_size=8).map(
    lambda name: os.path.join(_TMP, name)), st.integers(), st.none())


def local_lookup(host, opts, cb):
    if opts.get("all"):
        cb(None, [{"address": "127.0.0.1", "family": 4}])
    else:
        cb(None, "127.0.0.1", 4)


def node_error(err: BaseException) -> bool:
    return isinstance(err, (errors.NodeError, errors.NodeSystemError)) and bool(
        getattr(err, "code", None))


class Probe:
    """Runs one call; checks the outcome; cleans up; checks nothing leaked."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.made: list = []
        self.async_errors: list = []

    def track(self, obj):
        if isinstance(obj, net.EventEmitter):
            obj.on("error", self.async_errors.append)
            self.made.append(obj)
        return obj

    def call(self, fn) -> None:
        fds = self.proc.num_fds()
        try:
            fn(self)
        except Exception as e:  # noqa: BLE001 - the point: which exceptions come out
            assert node_error(e), f"not a Node error: {type(e).__name__}: {e}"
        for obj in self.made:
            if isinstance(obj, net.Server):
                obj.close()
            else:
                obj.destroy()
        self.made.clear()
        timer = net.setTimeout(lambda: None, 5)  # let connects and lookups settle
        net.run()
        net.clearTimeout(timer)
        for err in self.async_errors:
            assert node_error(err), f"'error' with a non-Node error: {err!r}"
        self.async_errors.clear()
        assert not [h for h in _loop.current().handles if not h.closing
                    and type(h).__name__ != "SignalWakeup"]
        assert self.proc.num_fds() <= fds


@SETTINGS
@given(port=ports, host=hosts, backlog=junk, extra=st.dictionaries(
    st.sampled_from(["ipv6Only", "exclusive", "readableAll", "writableAll", "backlog"]),
    junk, max_size=2), path=paths, form=st.integers(0, 3))
def test_listen(port, host, backlog, extra, path, form):
    def run(p):
        server = p.track(net.createServer())
        if form == 0:
            server.listen(port, host, backlog)
        elif form == 1:
            server.listen(dict(extra, port=port, host=host))
        elif form == 2:
            server.listen(path)
        else:
            server.listen(dict(extra, path=path))
    Probe().call(run)


@SETTINGS
@given(port=ports, host=hosts, opts=st.dictionaries(st.sampled_from([
    "localAddress", "localPort", "family", "hints", "noDelay", "keepAlive",
    "keepAliveInitialDelay", "autoSelectFamily", "autoSelectFamilyAttemptTimeout", "timeout",
    "allowHalfOpen", "highWaterMark", "onread", "lookup", "objectMode"]), junk, max_size=3),
    path=paths)
def test_connect_and_socket_options(port, host, opts, path):
    def run(p):
        options = dict(opts, port=port, host=host)
        if not callable(options.get("lookup")) and options.get("lookup") is None:
            options["lookup"] = local_lookup  # never the system resolver
        if isinstance(options.get("localAddress"), str):
            options["localAddress"] = "127.0.0.1"
        p.track(net.connect(options))
    Probe().call(run)
    Probe().call(lambda p: p.track(net.Socket(opts)))
    Probe().call(lambda p: p.track(net.connect(path)))


@SETTINGS
@given(data=junk, encoding=junk, msecs=junk, enable=junk, delay=junk)
def test_socket_methods(data, encoding, msecs, enable, delay):
    def run(p):
        s = p.track(net.Socket())
        for call in (lambda: s.write(data, encoding), lambda: s.setTimeout(msecs),
                     lambda: s.setKeepAlive(enable, delay), lambda: s.setNoDelay(enable),
                     lambda: s.setEncoding(encoding), lambda: s.end(data)):
            try:
                call()
            except Exception as e:  # noqa: BLE001
                assert node_error(e), f"{type(e).__name__}: {e}"
    Probe().call(run)


@SETTINGS
@given(a=junk, b=junk, c=junk, family=st.one_of(st.sampled_from(["ipv4", "ipv6", "IPv6"]),
                                                 junk))
def test_blocklist_and_socketaddress(a, b, c, family):
    def run(p):
        bl = net.BlockList()
        for call in (lambda: bl.addAddress(a, family), lambda: bl.addRange(a, b, family),
                     lambda: bl.addSubnet(a, c, family), lambda: bl.check(a, family),
                     lambda: net.SocketAddress({"address": a, "port": b, "family": family,
                                               "flowlabel": c}),
                     lambda: net.SocketAddress.parse(a)):
            try:
                call()
            except Exception as e:  # noqa: BLE001
                assert node_error(e), f"{type(e).__name__}: {e}"
    Probe().call(run)
