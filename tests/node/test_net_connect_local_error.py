"""Node's sequential/test-net-connect-local-error.js."""
from __future__ import annotations

import pynet as net

from .conftest import refused_port


def test_refused_with_local_address_names_both_ends(common):
    port = refused_port()
    c = net.connect({"host": "127.0.0.1", "port": port, "localAddress": "127.0.0.1",
                     "localPort": 0})

    def on_error(err):
        assert err.code == "ECONNREFUSED" and err.syscall == "connect"
        assert str(err).startswith(f"connect ECONNREFUSED 127.0.0.1:{port}")

    c.on("error", common.must_call(on_error))
    net.run()
