"""Node's test-net-connect-options-path.js: every call form reaches a Unix socket."""
from __future__ import annotations

import pynet as net


def test_all_forms_connect_to_a_path(common, tmp_path):
    path = str(tmp_path / "sock")
    forms = [lambda cb: net.connect(path, cb), lambda cb: net.createConnection(path, cb),
             lambda cb: net.connect({"path": path}, cb),
             lambda cb: net.createConnection({"path": path}, cb),
             lambda cb: net.Socket().connect(path, cb),
             lambda cb: net.Socket().connect({"path": path}, cb)]
    server = net.createServer(common.must_call(lambda c: c.end(), n=len(forms)))
    left = [len(forms)]

    def one_done(sock):
        sock.destroy()
        left[0] -= 1
        if not left[0]:
            server.close()

    def go():
        for form in forms:
            holder = {}
            holder["s"] = form(common.must_call(lambda h=holder: one_done(h["s"])))

    server.listen(path, go)
    net.run()
