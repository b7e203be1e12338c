"""Node's test-net-connect-paused-connection.js: unref'd, paused: run() ends."""
from __future__ import annotations

import pynet as net

from .conftest import listen_local


def test_a_paused_client_does_not_keep_run_alive():
    # A stream handle that is not reading, writing or connecting is not active in
    # libuv: with the server and its side of the connection unref'd, run() ends.
    accepted = []
    server = net.createServer(lambda c: (c.unref(), accepted.append(c)))

    def go():
        state["client"] = net.connect(server.address().port, "127.0.0.1").pause()

    state = {}
    listen_local(server, go)
    server.unref()
    net.run()  # returns: nothing ref'd and active is left
    state["client"].destroy()
    for c in accepted:
        c.destroy()
    server.close()
    net.run()
