"""pynet's echo server attached to a running asyncio loop (or uvloop with --uvloop).

The same server as echo_pynet.py; measures what the attachment costs.
python bench/echo_pynet_aio.py PORT [--uvloop]
"""

import asyncio
import sys

from echo_pynet import on_connection  # the very same server code, run by echo_pynet.py

import pynet as net


async def main(port: int) -> None:
    server = net.createServer(on_connection)
    await server.listenAsync(port, "127.0.0.1")
    print(f"listening on 127.0.0.1:{server.address().port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 0
    try:
        if "--uvloop" in sys.argv:
            import uvloop

            uvloop.run(main(port))
        else:
            asyncio.run(main(port))
    except KeyboardInterrupt:
        pass
