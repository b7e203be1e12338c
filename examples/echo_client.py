"""A client for the echo server: sends each argument as a line, prints what comes back.

    python examples/echo_client.py PORT [HOST] [MESSAGE ...]
"""

import sys

import pynet as net


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    messages = sys.argv[3:] or ["hello"]
    status = 0

    client = net.connect(port, host)
    client.setEncoding("utf8")

    @client.on("connect")
    def on_connect() -> None:
        for m in messages:
            print(f"> {m}", flush=True)
            client.write(m + "\n")
        client.end()  # half-close: the server echoes what is left, then ends too

    @client.on("data")
    def on_data(text: str) -> None:
        for line in text.splitlines():
            print(f"< {line}", flush=True)

    @client.on("error")
    def on_error(err: Exception) -> None:
        nonlocal status
        print(f"echo client: {err}", file=sys.stderr)
        status = 1

    net.run()
    return status


if __name__ == "__main__":
    sys.exit(main())
