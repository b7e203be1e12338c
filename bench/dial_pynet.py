"""pynet as the client, as a user writes one: the dial mode's program.

python bench/dial_pynet.py HOST:PORT|PATH CONNECTIONS SIZE SECONDS
Keeps CONNECTIONS connections going: each connects, writes SIZE bytes, waits
for them to come back, ends, and is replaced when it closes, until SECONDS
have passed; then prints "connections N cpu S": the ones that got their echo,
and the process's CPU seconds (user and system) from the first connect on,
which leaves the interpreter's start-up out.
"""

import sys
import time

import pynet as net


def main() -> None:
    target, slots, size, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        float(sys.argv[4])
    if ":" in target:
        host, port = target.rsplit(":", 1)
        where: tuple = (int(port), host)
    else:
        where = (target,)
    payload = b"x" * size
    deadline = time.monotonic() + seconds
    done = 0

    def dial() -> None:
        sock = net.connect(*where)
        got = 0

        def on_data(d: bytes) -> None:
            nonlocal got, done
            got += len(d)
            if got >= size:
                done += 1
                sock.end()

        def on_close(had_error: bool) -> None:
            if time.monotonic() < deadline:
                dial()

        sock.on("data", on_data)
        sock.on("close", on_close)
        sock.on("error", lambda err: None)
        sock.write(payload)

    cpu0 = time.process_time()
    for _ in range(slots):
        dial()
    net.run()
    print(f"connections {done} cpu {time.process_time() - cpu0:.6f}", flush=True)


if __name__ == "__main__":
    main()
