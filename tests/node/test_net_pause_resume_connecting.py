"""Node's test-net-pause-resume-connecting.js: the last call while connecting decides."""
from __future__ import annotations

import pytest

import pynet as net

from .conftest import listen_local


@pytest.mark.parametrize("calls,flows", [
    ([], True), (["pause"], False), (["pause", "resume"], True), (["resume", "pause"], False),
    (["pause", "resume", "pause"], False)])
def test_final_state_decides(common, calls, flows):
    got = []
    server = net.createServer(lambda c: c.end(b"data"))

    def go():
        c = net.connect(server.address().port, "127.0.0.1")
        c.on("data", got.append)
        for name in calls:
            getattr(c, name)()
        waited = [0]

        # Done once the bytes are here, either emitted or held in the paused
        # buffer: no fixed delay, so a slow machine cannot flip the answer.
        def check():
            waited[0] += 1
            if got or c.readableLength >= 4 or waited[0] > 500:
                c.destroy()
                server.close()
            else:
                net.setTimeout(check, 10)

        check()

    listen_local(server, go)
    net.run()
    assert (b"".join(got) == b"data") is flows
