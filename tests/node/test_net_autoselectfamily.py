"""Node's test-net-autoselectfamily.js: ::1 then 127.0.0.1, with a lookup that stays local."""
from __future__ import annotations

import pynet as net
from pynet import errors

from .conftest import STALL_PROOF_MS, listen_local, refused_port


def both(host, opts, cb):
    cb(None, [{"address": "::1", "family": 6}, {"address": "127.0.0.1", "family": 4}])


def test_reaches_ipv4_after_ipv6_fails(common):
    server = net.createServer(lambda c: c.end(b"hi"))

    def go():
        port = server.address().port
        c = net.connect({"host": "example.org", "port": port, "lookup": both,
                         "autoSelectFamily": True,
                         "autoSelectFamilyAttemptTimeout": STALL_PROOF_MS})
        c.on("data", common.must_call(lambda d: None))

        def on_close(_):
            assert c.autoSelectFamilyAttemptedAddresses[-1] == f"127.0.0.1:{port}"
            server.close()

        c.on("close", on_close)

    listen_local(server, go)
    net.run()


def test_all_fail_is_an_aggregate_error(common):
    c = net.connect({"host": "example.org", "port": refused_port(), "lookup": both,
                     "autoSelectFamily": True,
                         "autoSelectFamilyAttemptTimeout": STALL_PROOF_MS})

    def on_error(err):
        assert isinstance(err, errors.AggregateError)
        assert len(err.errors) == 2 and err.code == err.errors[0].code

    c.on("error", common.must_call(on_error))
    net.run()


def test_disabled_uses_the_first_address_only(common):
    server = net.createServer()

    def go():
        def only_v6(host, opts, cb):
            cb(None, "::1", 6)

        c = net.connect({"host": "example.org", "port": server.address().port,
                         "lookup": only_v6, "autoSelectFamily": False})
        c.on("error", common.must_call(lambda err: (check(err), server.close())))

    listen_local(server, go)
    net.run()


def check(err):
    assert err.code in ("ECONNREFUSED", "EADDRNOTAVAIL")
