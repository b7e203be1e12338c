"""Node's camelCase names and their Python snake_case twins.

One mechanism, so nobody writes a method twice: a class that derives from
``CamelTwins`` gets, for every public camelCase attribute it defines (methods
and properties alike), the same object under its snake_case name.  Option
dicts and keyword arguments are normalised to Node's camelCase keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    """``setNoDelay`` -> ``set_no_delay``; ``isIPv4`` -> ``is_ipv4``."""
    special = _SPECIAL.get(name)
    if special:
        return special
    return _BOUNDARY.sub("_", name).lower()


# Where the mechanical rule would split an acronym the way nobody reads it.
_SPECIAL = {"isIP": "is_ip", "isIPv4": "is_ipv4", "isIPv6": "is_ipv6",
            "ipv6Only": "ipv6_only"}


def camel(name: str) -> str:
    """``allow_half_open`` -> ``allowHalfOpen``; camelCase passes through."""
    if "_" not in name.strip("_"):
        return name
    for c, s in _SPECIAL.items():
        if s == name:
            return c
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def add_twins(namespace: dict[str, Any], names: list[str] | None = None) -> list[str]:
    """Give each public camelCase name in ``namespace`` its snake_case twin."""
    added = []
    for name in list(names if names is not None else namespace):
        if name.startswith("_") or name == name.lower() or name[:1].isupper():
            continue
        twin = snake(name)
        if twin != name and twin not in namespace:
            namespace[twin] = namespace[name]
            added.append(twin)
    return added


def stored(name: str, doc: str = "") -> property:
    """A plain read/write property kept in ``_<name>``: how an instance attribute
    with a camelCase name (``server.maxConnections``) gets its snake_case twin."""
    key = "_" + name

    def get(self: Any) -> Any:
        return getattr(self, key)

    def set_(self: Any, value: Any) -> None:
        setattr(self, key, value)

    return property(get, set_, doc=doc or f"Node's ``{name}``.")


class CamelTwins:
    """Base class: subclasses get snake_case twins of their camelCase members."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        ns = {}
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or name == name.lower() or name[:1].isupper():
                continue
            # Methods and properties only: a twin of a plain class value would be a
            # copy that goes stale when the original is reassigned.
            if not isinstance(value, (property, staticmethod, classmethod)) and \
                    not callable(value):
                continue
            ns[name] = value
        for twin_name in add_twins(ns):
            if twin_name not in vars(cls):
                setattr(cls, twin_name, ns[twin_name])


def options(opts: Any = None, kwargs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Merge an options mapping and keyword arguments into Node's camelCase keys."""
    out: dict[str, Any] = {}
    if opts:
        for k, v in opts.items():
            out[camel(k) if isinstance(k, str) else k] = v
    if kwargs:
        for k, v in kwargs.items():
            out[camel(k)] = v
    return out
