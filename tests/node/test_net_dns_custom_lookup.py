"""Node's test-net-dns-custom-lookup.js."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_custom_lookup_result_and_options(common):
    server = net.createServer(lambda c: c.end())

    def lookup(host, opts, cb):
        assert host == "my.host" and "family" in opts
        cb(None, "127.0.0.1", 4)

    def go():
        # A synchronous lookup emits 'lookup' inside connect(): listen first.
        c = net.Socket()
        c.on("lookup", common.must_call(lambda err, addr, fam, host: check(err, addr, fam, host)))
        c.connect({"host": "my.host", "port": server.address().port,
                   "lookup": common.must_call(lookup), "autoSelectFamily": False})
        c.on("close", lambda _: server.close())
        c.resume()

    listen_local(server, go)
    net.run()


def check(err, addr, fam, host):
    assert err is None and addr == "127.0.0.1" and fam == 4 and host == "my.host"


def test_undefined_address_is_invalid_ip(common):
    c = net.connect({"host": "my.host", "port": 80, "autoSelectFamily": False,
                     "lookup": lambda h, o, cb: cb(None, None, 4)})
    c.on("error", common.must_call(lambda err: check_invalid(err)))
    net.run()


def check_invalid(err):
    assert err.code == "ERR_INVALID_IP_ADDRESS"
