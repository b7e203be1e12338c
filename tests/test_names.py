"""snake_case twins and option spellings: one mechanism, every public name."""

from __future__ import annotations

import pynet as net
from pynet._names import camel, options, snake


def test_snake_and_camel_round_trip():
    for name, twin in [("setNoDelay", "set_no_delay"), ("bytesRead", "bytes_read"),
                       ("isIPv4", "is_ipv4"), ("isIP", "is_ip"), ("ipv6Only", "ipv6_only"),
                       ("getDefaultAutoSelectFamilyAttemptTimeout",
                        "get_default_auto_select_family_attempt_timeout")]:
        assert snake(name) == twin
        assert camel(twin) == name


def test_every_public_camel_name_has_its_twin():
    checked = 0
    for owner in (net, net.Socket, net.Server, net.EventEmitter):
        for name in dir(owner):
            if name.startswith("_") or name == name.lower() or name[:1].isupper():
                continue
            value = getattr(owner, name)
            if isinstance(owner, type) and not callable(value) and not isinstance(
                    owner.__dict__.get(name), property):
                # Class data (EventEmitter.defaultMaxListeners) keeps Node's name only:
                # a second name for a reassignable value would go stale.
                continue
            twin = snake(name)
            assert hasattr(owner, twin), f"{owner.__name__}.{name} has no {twin}"
            assert getattr(owner, twin) is getattr(owner, name) or isinstance(
                owner.__dict__.get(name), property)
            checked += 1
    assert checked > 30


def test_twin_properties_are_the_same_property():
    assert net.Socket.remote_address is net.Socket.remoteAddress
    assert net.Socket.bytes_written is net.Socket.bytesWritten
    sock = net.Socket()
    assert sock.ready_state == sock.readyState == "open"  # as Node says of a fresh Socket
    assert sock.bytes_read == 0 and sock.writable_length == 0


def test_module_twins():
    assert net.create_server is net.createServer
    assert net.create_connection is net.createConnection
    assert net.is_ipv6("::1") and net.is_ip("1.2.3.4") == 4
    assert net.next_tick is net.nextTick


def test_options_accept_both_spellings_and_kwargs():
    assert options({"allow_half_open": True}, {"pauseOnConnect": True, "no_delay": True}) == {
        "allowHalfOpen": True, "pauseOnConnect": True, "noDelay": True}
    s = net.createServer(allow_half_open=True, pause_on_connect=True)
    assert s.allowHalfOpen is True and s.pauseOnConnect is True
    s2 = net.createServer({"allowHalfOpen": True})
    assert s2.allowHalfOpen is True
