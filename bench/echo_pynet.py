"""pynet's echo server exactly as a user writes it, with backpressure.

python bench/echo_pynet.py PORT  -> prints "listening on 127.0.0.1:PORT"
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


if __name__ == "__main__":
    server = net.createServer(on_connection)
    server.listen(int(sys.argv[1]) if len(sys.argv) > 1 else 0, "127.0.0.1",
                  lambda: print(f"listening on 127.0.0.1:{server.address().port}", flush=True))
    try:
        net.run()
    except KeyboardInterrupt:
        pass
