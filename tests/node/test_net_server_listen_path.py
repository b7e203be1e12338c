"""Node's test-net-server-listen-path.js."""
from __future__ import annotations

import os
import stat

import pynet as net


def test_listen_path_forms_modes_and_eaddrinuse(common, tmp_path):
    path = str(tmp_path / "a")
    server = net.createServer()

    def first():
        other = net.createServer()

        def on_error(err):
            assert err.code == "EADDRINUSE"
            assert str(err) == f"listen EADDRINUSE: address already in use {path}"
            server.close()

        other.on("error", common.must_call(on_error))
        other.listen(path)

    server.listen({"path": path}, common.must_call(first))
    net.run()
    all_path = str(tmp_path / "b")
    s2 = net.createServer()

    def check_mode():
        mode = os.stat(all_path).st_mode
        assert mode & stat.S_IROTH and mode & stat.S_IWOTH
        s2.close()

    s2.listen({"path": all_path, "readableAll": True, "writableAll": True},
              common.must_call(check_mode))
    net.run()
