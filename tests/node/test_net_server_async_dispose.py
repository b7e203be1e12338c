"""Node's test-net-server-async-dispose.mjs (v25): Python's ``async with``/``aclose()``."""
from __future__ import annotations

import asyncio

import pynet as net


def test_aclose_closes_and_is_fine_when_already_closed():
    async def main():
        server = net.createServer()
        await server.listenAsync(0, "127.0.0.1")
        await server.aclose()
        assert server.listening is False
        await server.aclose()  # already closed: still resolves
        async with net.createServer() as s2:
            await s2.listenAsync(0, "127.0.0.1")
            assert s2.listening
        return s2.listening

    assert asyncio.run(main()) is False
