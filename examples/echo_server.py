"""An echo server, as in Node's net documentation.

    python examples/echo_server.py [PORT] [HOST]      # defaults: 8124 127.0.0.1; PORT 0 picks one

Prints one line when listening (``listening on HOST:PORT``), one per client.
Ctrl-C stops it.
"""

import sys

import pynet as net


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8124
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"

    def on_connection(c: net.Socket) -> None:
        peer = f"{c.remoteAddress}:{c.remotePort}"
        print(f"client connected {peer}", flush=True)
        c.on("data", c.write)  # echo, with Node's own write path
        c.on("end", lambda: print(f"client disconnected {peer}", flush=True))
        c.on("error", lambda err: print(f"client error {peer}: {err}", file=sys.stderr))

    server = net.createServer(on_connection)
    server.on("error", lambda err: sys.exit(f"echo server: {err}"))

    def on_listening() -> None:
        addr = server.address()
        print(f"listening on {addr.address}:{addr.port}", flush=True)

    server.listen(port, host, on_listening)
    try:
        net.run()
    except KeyboardInterrupt:
        server.close()
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
