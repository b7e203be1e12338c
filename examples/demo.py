"""`make demo`: runs examples/echo_server.py, then examples/echo_client.py against it."""

import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "echo_server.py"), "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()  # "listening on 127.0.0.1:PORT"
        print(f"[server] {line}")
        port = line.rsplit(":", 1)[1]
        client = subprocess.run(
            [sys.executable, os.path.join(HERE, "echo_client.py"), port, "127.0.0.1",
             "hello from pynet", "héllo wörld", "bye"],
            capture_output=True, text=True, timeout=30)
        for out in client.stdout.splitlines():
            print(f"[client] {out}")
        if client.returncode:
            print(client.stderr, file=sys.stderr)
            return client.returncode
    finally:
        server.send_signal(signal.SIGINT)
        rest, _ = server.communicate(timeout=10)
        for out in rest.splitlines():
            print(f"[server] {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
