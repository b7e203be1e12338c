"""asyncio (and, with --uvloop, uvloop) echo servers: the Python peers.

python bench/echo_asyncio.py PORT|PATH [--uvloop] [--streams]

Protocol by default; ``--streams`` is the StreamReader/StreamWriter API with
``await drain()``, as most asyncio code is written.
"""

import asyncio
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)  # type: ignore[attr-defined]


async def echo_stream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(target: str, streams: bool) -> None:
    loop = asyncio.get_running_loop()
    if target.isdigit():
        if streams:
            server = await asyncio.start_server(echo_stream, "127.0.0.1", int(target))
        else:
            server = await loop.create_server(Echo, "127.0.0.1", int(target))
        where = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    else:
        if streams:
            server = await asyncio.start_unix_server(echo_stream, target)
        else:
            server = await loop.create_unix_server(Echo, target)
        where = target
    print(f"listening on {where}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    if "--uvloop" in sys.argv:
        import uvloop

        uvloop.install()
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    try:
        asyncio.run(main(args[0] if args else "0", "--streams" in sys.argv))
    except KeyboardInterrupt:
        pass
