"""pynet's echo server attached to a running asyncio loop (or uvloop with --uvloop).

The same server as echo_pynet.py; measures what the attachment costs.
python bench/echo_pynet_aio.py PORT [--uvloop]
"""

import asyncio
import sys

import pynet as net


async def main(port: int) -> None:
    def on_connection(c: net.Socket) -> None:
        def on_data(d: bytes) -> None:
            if not c.write(d):
                c.pause()
                c.once("drain", c.resume)

        c.on("data", on_data)
        c.on("error", lambda err: None)

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
