"""An IPC server: a line-based greeter on a Unix socket (or a Windows named pipe).

    python examples/ipc_server.py /tmp/pynet-demo.sock     # Linux/macOS
    python examples/ipc_server.py '\\\\.\\pipe\\pynet-demo'    # Windows (not verified here)
    python examples/ipc_server.py @pynet-demo              # Linux abstract name ('\\0pynet-demo')

Answers each line with "hello, <line>". Ctrl-C stops it; the socket file goes with it.
"""

import sys

import pynet as net


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/pynet-demo.sock"
    if path.startswith("@"):
        path = "\0" + path[1:]

    def on_connection(c: net.Socket) -> None:
        c.setEncoding("utf8")
        pending = ""

        def on_data(text: str) -> None:
            nonlocal pending
            *lines, pending = (pending + text).split("\n")
            for line in lines:
                c.write(f"hello, {line}\n")

        c.on("data", on_data)
        c.on("error", lambda err: print(f"client error: {err}", file=sys.stderr))

    server = net.createServer(on_connection)
    server.on("error", lambda err: sys.exit(f"ipc server: {err}"))
    server.listen(path, lambda: print(f"listening on {server.address()!r}", flush=True))
    try:
        net.run()
    except KeyboardInterrupt:
        server.close()
        net.run()  # let the close finish: the socket file is removed
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
