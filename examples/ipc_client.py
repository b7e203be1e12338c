"""A client for examples/ipc_server.py: sends each argument as a line, prints the answers.

    python examples/ipc_client.py /tmp/pynet-demo.sock Ada Grace
"""

import sys

import pynet as net


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    if path.startswith("@"):
        path = "\0" + path[1:]
    names = sys.argv[2:] or ["world"]
    status = 0
    client = net.connect(path, lambda: client.end("".join(f"{n}\n" for n in names)))
    client.setEncoding("utf8")
    client.on("data", lambda text: print(text, end="", flush=True))

    def on_error(err: Exception) -> None:
        nonlocal status
        print(f"ipc client: {err}", file=sys.stderr)
        status = 1

    client.on("error", on_error)
    net.run()
    return status


if __name__ == "__main__":
    sys.exit(main())
