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


def on_connection(status: int) -> None:
    client = TCP(loop)
    server.accept(client)
    write = client.write

    def on_read_error(nread: int) -> None:
        client.close()

    client.onread = write
    client.onreaderror = on_read_error
    client.read_start()


server.onconnection = on_connection
server.listen(511)
print(f"listening on 127.0.0.1:{server.name(False)['port']}", flush=True)
try:
    loop.run()
except KeyboardInterrupt:
    pass
