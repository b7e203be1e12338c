"""The bare binding: an echo on pynet's internal handles, with no Socket layer.

The floor for pynet's stream layer (the Socket issue's target is measured
against it).  Not an API example: it uses private modules.

python bench/echo_bare.py PORT  -> prints "listening on 127.0.0.1:PORT"
"""

import sys

from pynet import _loop
from pynet._tcp import TCP

loop = _loop.current()
server = TCP(loop)
server.bind("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0)


class Echo:
    """A handle's owner: the handle layer calls ``_onread`` and friends on it."""

    __slots__ = ("client", "_onread")

    def __init__(self, client: TCP) -> None:
        self.client = client
        self._onread = client.write  # echo: what is read is written back as it is
        client.owner = self
        client.read_start()

    def _onreaderror(self, nread: int) -> None:
        self.client.close()

    def _onwritecomplete(self, status: int) -> None:
        return None


class Listener:
    def _onconnection(self, status: int) -> None:
        client = TCP(loop)
        server.accept(client)
        Echo(client)


server.owner = Listener()
server.listen(511)
print(f"listening on 127.0.0.1:{server.name(False)['port']}", flush=True)
try:
    loop.run()
except KeyboardInterrupt:
    pass
