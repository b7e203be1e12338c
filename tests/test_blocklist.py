"""BlockList, SocketAddress and isIP: exactly Node, checked by a differential test."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pynet as net
from pynet import errors

from .conftest import assert_same_error, node_errors

NODE = shutil.which("node")
ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blocklist_oracle.js")
# PYNET_DIFF_EXAMPLES=800 python -m pytest tests/test_blocklist.py -k differential
# runs the long version (800 examples compare over 10,000 check pairs).
EXAMPLES = int(os.environ.get("PYNET_DIFF_EXAMPLES", "25"))


def test_node_docs_example():
    bl = net.BlockList()
    bl.addAddress("123.123.123.123")
    bl.addRange("10.0.0.1", "10.0.0.10")
    bl.addSubnet("8592:757c:efae:4e45::", 64, "ipv6")
    assert bl.check("123.123.123.123") is True
    assert bl.check("10.0.0.3") is True
    assert bl.check("222.111.111.222") is False
    assert bl.check("::ffff:7b7b:7b7b", "ipv6") is True
    assert bl.check("::ffff:123.123.123.123", "ipv6") is True
    assert bl.rules == ["Subnet: IPv6 8592:757c:efae:4e45::/64",
                        "Range: IPv4 10.0.0.1-10.0.0.10",
                        "Address: IPv4 123.123.123.123"]
    assert bl.check("1.2.3.4", "foo") is False  # not an address of that family: False
    assert bl.check("garbage") is False


def test_socket_addresses_as_rules_and_probes():
    bl = net.BlockList()
    bl.add_address(net.SocketAddress({"address": "::1", "family": "ipv6"}))
    assert bl.check(net.SocketAddress(address="::1", family="ipv6"))
    assert not bl.check(net.SocketAddress())  # 127.0.0.1


def test_is_ip_tricky_cases():
    assert net.isIP("127.000.000.001") == 0
    assert net.isIP("10.0.0.1/8") == 0
    assert net.isIP("fe80::1%eth0") == 6
    assert net.isIP("fe80::1%eth 0") == 0
    assert net.isIP("::ffff:127.0.0.1") == 6
    assert net.isIP(None) == 0 and net.isIP(4) == 0
    assert net.isIPv4("1.2.3.4") and not net.isIPv6("1.2.3.4")


def test_socket_address_defaults_and_fields():
    a = net.SocketAddress()
    assert (a.address, a.port, a.family, a.flowlabel) == ("127.0.0.1", 0, "ipv4", 0)
    b = net.SocketAddress({"family": "IPV6", "port": "8080", "flowlabel": 5})
    assert (b.address, b.port, b.family, b.flowlabel) == ("::", 8080, "ipv6", 5)
    assert net.SocketAddress(address="fe80::1%eth0", family="ipv6").address == "fe80::1"
    assert net.SocketAddress.isSocketAddress(a) and not net.SocketAddress.is_socket_address({})
    assert a.toJSON() == {"address": "127.0.0.1", "port": 0, "family": "ipv4", "flowlabel": 0}


def test_socket_address_parse():
    p = net.SocketAddress.parse("1.2.3.4:8080")
    assert (p.address, p.port, p.family) == ("1.2.3.4", 8080, "ipv4")
    p6 = net.SocketAddress.parse("[::1]:9000")
    assert (p6.address, p6.port, p6.family) == ("::1", 9000, "ipv6")
    assert net.SocketAddress.parse("1.2.3.4:80").port == 0  # Node's URL-based parse drops 80
    assert net.SocketAddress.parse("1.2.3.4").port == 0
    for bad in ["example.com:80", "1.2.3.4:99999", "[::1", "1.2.3.4:x", "::1:80"]:
        assert net.SocketAddress.parse(bad) is None, bad


def test_is_block_list_and_json_round_trip():
    bl = net.BlockList()
    bl.addSubnet("192.168.1.0", 24)
    bl.addAddress("2001:db8::1", "ipv6")
    bl.addRange("10.0.0.1", "10.0.0.10")
    assert net.BlockList.isBlockList(bl) and not net.BlockList.is_block_list([])
    assert json.loads(json.dumps(bl.toJSON())) == bl.rules
    copy = net.BlockList()
    copy.fromJSON(json.dumps(bl.toJSON()))
    # Node adds them in the order given, so the copy lists them the other way round.
    assert copy.rules == list(reversed(bl.rules))
    for probe, fam in [("192.168.1.77", "ipv4"), ("2001:db8::1", "ipv6"), ("10.0.0.11", "ipv4")]:
        assert copy.check(probe, fam) == bl.check(probe, fam)
    copy.fromJSON(["not a rule", "Address: IPv4 1.1.1.1"])
    assert copy.rules[0] == "Address: IPv4 1.1.1.1"
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        copy.fromJSON(5)
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        copy.fromJSON([1])


# (JavaScript, Python): the same error class, code and message.
VALIDATION = [
    ("bl.check(5)", lambda bl: bl.check(5)),
    ("bl.addAddress(5)", lambda bl: bl.addAddress(5)),
    ("bl.addAddress('garbage')", lambda bl: bl.addAddress("garbage")),
    ("bl.addAddress('1.2.3.4', 'foo')", lambda bl: bl.addAddress("1.2.3.4", "foo")),
    ("bl.addSubnet('10.0.0.0', 33)", lambda bl: bl.addSubnet("10.0.0.0", 33)),
    ("bl.addSubnet('10.0.0.0', '8')", lambda bl: bl.addSubnet("10.0.0.0", "8")),
    ("bl.addSubnet('::', 129, 'ipv6')", lambda bl: bl.addSubnet("::", 129, "ipv6")),
    ("bl.addSubnet('10.0.0.0', 1.5)", lambda bl: bl.addSubnet("10.0.0.0", 1.5)),
    ("bl.addRange(5, '1.1.1.1')", lambda bl: bl.addRange(5, "1.1.1.1")),
    ("new net.SocketAddress({address: '1.2.3.4', family: 'ipv6'})",
     lambda bl: net.SocketAddress({"address": "1.2.3.4", "family": "ipv6"})),
    ("new net.SocketAddress({family: 'x'})", lambda bl: net.SocketAddress({"family": "x"})),
    ("new net.SocketAddress({port: 70000})", lambda bl: net.SocketAddress({"port": 70000})),
    ("new net.SocketAddress({flowlabel: -1, family: 'ipv6'})",
     lambda bl: net.SocketAddress({"flowlabel": -1, "family": "ipv6"})),
    ("new net.SocketAddress({address: 5})", lambda bl: net.SocketAddress({"address": 5})),
    ("new net.SocketAddress(5)", lambda bl: net.SocketAddress(5)),
]

@pytest.fixture(scope="module")
def node_validation():
    return node_errors("const net = require('net'); const bl = new net.BlockList();",
                       [src for src, _ in VALIDATION])


@pytest.mark.parametrize("index", range(len(VALIDATION)), ids=[c[0] for c in VALIDATION])
def test_validation_matches_node(node_validation, index):
    assert_same_error(node_validation[index], lambda: VALIDATION[index][1](net.BlockList()))


def test_range_must_come_before_end():
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        net.BlockList().addRange("10.0.0.10", "10.0.0.1")
    # Node prints the SocketAddress with util.inspect; pynet with repr().
    assert str(info.value) == (
        "The argument 'start' must come before end. Received SocketAddress("
        "address='10.0.0.10', port=0, family='ipv4', flowlabel=0)")


def test_flowlabel_over_20_bits_is_out_of_range():
    # Node 20 aborts the whole process here (a C++ assertion); pynet raises instead.
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        net.SocketAddress({"family": "ipv6", "flowlabel": 1 << 20})


# ---------------------------------------------------------------------------
# The differential test

_BASES4 = [0x0A000000, 0x7F000001, 0xC0A80100, 0xFFFFFFF0, 0]
_BASES6 = [0x20010DB8 << 96, 0xFFFF << 32 | 0x0A000000, 0xFE80 << 112, 1, 0xFFFF << 32]


def _v4(value: int) -> str:
    return str(ipaddress.IPv4Address(value & 0xFFFFFFFF))


def _v6_text(value: int, style: int) -> str:
    value &= (1 << 128) - 1
    addr = ipaddress.IPv6Address(value)
    if style == 0:
        return addr.compressed
    if style == 1:
        return addr.exploded
    if style == 2 and value >> 32 == 0xFFFF:
        return "::ffff:" + _v4(value)
    if style == 3:
        return addr.compressed.upper()
    return addr.compressed + "%eth0"


@st.composite
def addresses(draw):
    if draw(st.booleans()):
        base = draw(st.sampled_from(_BASES4))
        value = base + draw(st.integers(-3, 20)) if draw(st.integers(0, 4)) else draw(
            st.integers(0, 2**32 - 1))
        text = _v4(value)
        if draw(st.integers(0, 20)) == 0:
            text = draw(st.sampled_from(["1.2.3", "01.2.3.4", "256.0.0.1", "1.2.3.4 ", "", "x"]))
        return text, "ipv4"
    base = draw(st.sampled_from(_BASES6))
    value = base + draw(st.integers(-3, 300)) if draw(st.integers(0, 4)) else draw(
        st.integers(0, 2**128 - 1))
    text = _v6_text(value, draw(st.integers(0, 4)))
    if draw(st.integers(0, 20)) == 0:
        text = draw(st.sampled_from(["1::2::3", ":::", "fe80::1%", "::ffff:1.2.3", "g::1"]))
    return text, "ipv6"


@st.composite
def probe(draw):
    text, fam = draw(addresses())
    if draw(st.integers(0, 9)) == 0:
        fam = "ipv6" if fam == "ipv4" else "ipv4"  # the wrong family: never matches
    return [text, fam]


@st.composite
def rule(draw):
    kind = draw(st.sampled_from(["address", "range", "subnet"]))
    text, fam = draw(addresses())
    if kind == "address":
        return ["address", text, fam]
    if kind == "range":
        end, _ = draw(addresses().filter(lambda a: a[1] == fam))
        return ["range", text, end, fam]
    top = 32 if fam == "ipv4" else 128
    return ["subnet", text, draw(st.integers(0, top + 1)), fam]


@st.composite
def cases(draw):
    return {
        "rules": draw(st.lists(rule(), min_size=1, max_size=12)),
        "probes": draw(st.lists(probe(), min_size=5, max_size=40)),
        "ips": [p[0] for p in draw(st.lists(probe(), max_size=10))]
        + draw(st.lists(st.text(alphabet="0123456789abcdef:.%x ", max_size=20), max_size=5)),
        "sockaddrs": draw(st.lists(probe(), max_size=10)),
    }


_PAIRS = [0]  # check pairs compared, for the long run's report


@pytest.fixture(scope="module", autouse=True)
def _report_pairs():
    yield
    if os.environ.get("PYNET_DIFF_EXAMPLES"):
        print(f"\ndifferential: {_PAIRS[0]} check pairs agreed with node")


def _pynet_answer(case):
    bl = net.BlockList()
    adds = []
    for r in case["rules"]:
        try:
            if r[0] == "address":
                bl.addAddress(r[1], r[2])
            elif r[0] == "range":
                bl.addRange(r[1], r[2], r[3])
            else:
                bl.addSubnet(r[1], r[2], r[3])
            adds.append({"ok": None})
        except errors.NodeError as e:
            adds.append({"code": e.code})
    sockaddrs = []
    for text, fam in case["sockaddrs"]:
        try:
            sockaddrs.append({"ok": net.SocketAddress({"address": text, "family": fam}).address})
        except errors.NodeError as e:
            sockaddrs.append({"code": e.code})
    return {"adds": adds, "rules": bl.rules,
            "checks": [bl.check(p[0], p[1]) for p in case["probes"]],
            "isip": [net.isIP(s) for s in case["ips"]], "sockaddrs": sockaddrs}


@pytest.mark.skipif(NODE is None, reason="node is not installed on this machine: no oracle")
@pytest.mark.timeout(300)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          database=None)
@given(st.lists(cases(), min_size=1, max_size=4))
def test_differential_against_node(batch):
    out = subprocess.run([NODE, ORACLE], input=json.dumps(batch), capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    expected = json.loads(out.stdout)
    for case, want in zip(batch, expected, strict=True):
        got = _pynet_answer(case)
        assert got["adds"] == want["adds"], case["rules"]
        assert got["rules"] == want["rules"], case["rules"]
        assert got["isip"] == want["isip"], case["ips"]
        assert got["sockaddrs"] == want["sockaddrs"], case["sockaddrs"]
        for p, g, w in zip(case["probes"], got["checks"], want["checks"], strict=True):
            assert g == w, (p, case["rules"])
        _PAIRS[0] += len(case["probes"])


# ---------------------------------------------------------------------------
# The blockList option of servers and sockets, on loopback


def test_server_block_list_drops_a_blocked_client_and_serves_others():
    import socket as pysocket

    bl = net.BlockList()
    bl.addAddress("127.0.0.2")
    log = []
    server = net.createServer({"blockList": bl}, lambda c: (log.append(("conn", c.remoteAddress)),
                                                            c.end("hi")))
    server.on("drop", lambda info: log.append(("drop", info)))
    raw = pysocket.socket()
    ports = {}

    def on_listen():
        port = ports["server"] = server.address().port
        # The blocked client comes from 127.0.0.2, bound with the standard library.
        raw.bind(("127.0.0.2", 0))
        ports["raw"] = raw.getsockname()[1]
        raw.connect(("127.0.0.1", port))

        def then_allowed(_info):
            ok = net.connect(port, "127.0.0.1")
            ok.on("data", lambda d: log.append(("data", d)))
            ok.on("close", lambda _: server.close())

        server.once("drop", then_allowed)

    server.listen(0, "127.0.0.1", on_listen)
    try:
        net.run()
        assert raw.recv(10) == b""  # the server closed it
    finally:
        raw.close()
    assert [x[0] for x in log] == ["drop", "conn", "data"]
    info = log[0][1]
    assert info["remoteAddress"] == "127.0.0.2" and info.remoteFamily == "IPv4"
    assert info["remotePort"] == ports["raw"] and info["localPort"] == ports["server"]
    assert info["localAddress"] == "127.0.0.1" and info["localFamily"] == "IPv4"
    assert log[1] == ("conn", "127.0.0.1") and log[2] == ("data", b"hi")


def test_socket_block_list_refuses_a_blocked_destination():
    bl = net.BlockList()
    bl.addSubnet("127.0.0.0", 8)
    got = []
    c = net.connect({"port": 9, "host": "127.0.0.1", "blockList": bl})
    c.on("error", lambda e: got.append((e.code, str(e))))
    c.on("close", lambda had_error: got.append(("close", had_error)))
    net.run()
    assert got == [("ERR_IP_BLOCKED", "IP(127.0.0.1) is blocked by net.BlockList"),
                   ("close", True)]
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.Socket({"blockList": ["127.0.0.1"]})
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        net.createServer({"blockList": "nope"})
