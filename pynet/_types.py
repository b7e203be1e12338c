"""Small value types shared by the public modules."""

from __future__ import annotations

from typing import Any


class AddressInfo(dict[str, Any]):
    """What ``address()`` returns: a dict that also allows attribute access.

    ``addr['port'] == addr.port``, and it compares equal to a plain dict, so
    ``server.address() == {'port': 8124, 'family': 'IPv4', 'address': '127.0.0.1'}``.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None
