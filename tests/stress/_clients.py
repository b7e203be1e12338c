"""A separate process holding N echo connections (the server under test keeps
its own fd budget): connects N sockets from 127.0.x.y, one ping each, prints
'ready', then holds them until stdin closes."""

import selectors
import socket
import sys


def main() -> None:
    port, n = int(sys.argv[1]), int(sys.argv[2])
    socks = []
    for i in range(n):
        s = socket.socket()
        s.bind((f"127.0.{1 + i // 250}.{1 + i % 250}", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"ping")
        socks.append(s)
    sel = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    echoed = 0
    while echoed < n:
        for key, _ in sel.select(timeout=30):
            if key.fileobj.recv(16) == b"ping":  # type: ignore[union-attr]
                echoed += 1
                sel.unregister(key.fileobj)
    print("ready", echoed, flush=True)
    sys.stdin.read()
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
