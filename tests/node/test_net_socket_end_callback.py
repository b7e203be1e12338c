"""Node's test-net-socket-end-callback.js: every end() form calls back."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.parametrize("form", ["cb", "data_cb", "data_enc_cb"])
def test_end_forms_call_back(common, form):
    server = net.createServer(lambda c: c.resume())

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        cb = common.must_call(lambda *_: None)
        if form == "cb":
            c.end(cb)
        elif form == "data_cb":
            c.end(b"x", cb)
        else:
            c.end("x", "utf8", cb)
        c.on("close", lambda _: server.close())
        c.resume()

    listen_local(server, go)
    net.run()
