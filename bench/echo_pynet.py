"""pynet's echo server exactly as a user writes it, with backpressure.

python bench/echo_pynet.py PORT|PATH  -> prints "listening on 127.0.0.1:PORT" (or PATH)
"""

import sys

import pynet as net


def on_connection(c: net.Socket) -> None:
    def on_data(d: bytes) -> None:
        if not c.write(d):
            c.pause()
            c.once("drain", c.resume)

    c.on("data", on_data)
    c.on("error", lambda err: None)


def where() -> str:
    """The 'listening on' text for the bench harness: 127.0.0.1:PORT or the path."""
    address = server.address()
    return f"127.0.0.1:{address.port}" if isinstance(address, dict) else str(address)


if __name__ == "__main__":
    server = net.createServer(on_connection)
    target = sys.argv[1] if len(sys.argv) > 1 else "0"
    if target.isdigit():
        server.listen(int(target), "127.0.0.1", lambda: print(f"listening on {where()}",
                                                              flush=True))
    else:
        server.listen(target, lambda: print(f"listening on {where()}", flush=True))
    try:
        net.run()
    except KeyboardInterrupt:
        pass
