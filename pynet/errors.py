"""Node's errors, as Python exceptions.

One table (``_CODES``) defines every Node error code pynet raises or emits:
its base class and its message template.  Each code is a class of its own in
this module (``pynet.errors.ERR_SOCKET_BAD_PORT``), so ``except`` can name it,
and every instance carries Node's ``.code``; ``str(err)`` is Node's
``err.message``.

System errors (``ECONNREFUSED`` and the like) are the matching ``OSError``
subclass (``ConnectionRefusedError``...) with ``.code``, a positive
``.errno``, ``.syscall`` and, where Node has them, ``.address`` and ``.port``.
Their names come from libuv (``uv_err_name``), not from Python's errno table.
"""

from __future__ import annotations

import errno as _errno
import math
from collections.abc import Callable
from typing import Any

__all__ = [
    "NodeError", "NodeTypeError", "NodeRangeError", "AbortError", "AggregateError",
    "NodeSystemError", "received", "make", "uv_exception", "errno_exception",
    "exception_with_host_port",
]


class NodeError(Exception):
    """A Node ``Error`` with a ``.code`` (Node's plain ``Error`` class)."""

    code: str = ""

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class NodeTypeError(NodeError, TypeError):
    """A Node ``TypeError`` with a ``.code``."""


class NodeRangeError(NodeError, ValueError):
    """A Node ``RangeError`` with a ``.code``: a ``ValueError`` in Python."""


class AbortError(NodeError):
    """Node's ``AbortError``: an operation was aborted through an AbortSignal."""

    code = "ABORT_ERR"

    def __init__(self, message: str = "The operation was aborted", *, cause: Any = None) -> None:
        super().__init__(message)
        self.cause = cause
        if isinstance(cause, BaseException):
            self.__cause__ = cause


class AggregateError(ExceptionGroup):  # noqa: F821 - builtin since 3.11
    """Node's ``AggregateError``: all attempts failed (``.errors``, ``.code`` of the first)."""

    code: str | None

    def __new__(cls, errors: list[Exception], message: str = "") -> AggregateError:
        self = super().__new__(cls, message, errors)
        self.code = getattr(errors[0], "code", None) if errors else None
        return self

    def __init__(self, errors: list[Exception], message: str = "") -> None:
        super().__init__(message, errors)

    @property
    def errors(self) -> list[Exception]:
        return list(self.exceptions)

    def __str__(self) -> str:
        return self.message

    def derive(self, excs):  # type: ignore[no-untyped-def]
        return AggregateError(list(excs), self.message)


# ---------------------------------------------------------------------------
# How Node describes a received value in its messages (determineSpecificType),
# spelled for Python values: Node's type words, Python's reprs.

def _inspect(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer():
            return str(int(value))
    return repr(value)


def _type_word(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def received(value: Any) -> str:
    """Node's ``Received ...`` clause for ``value`` (without the word Received)."""
    if value is None:
        return "None"
    if callable(value) and not isinstance(value, type):
        name = getattr(value, "__name__", "")
        if name and name != "<lambda>":
            return f"function {name}"
        return "function "
    if isinstance(value, (bool, int, float, str)):
        text = _inspect(value)
        if len(text) > 28:
            text = text[:25] + "..."
        return f"type {_type_word(value)} ({text})"
    return f"an instance of {type(value).__name__}"


def _join_types(types: list[str]) -> str:
    if len(types) == 1:
        return types[0]
    return ", ".join(types[:-1]) + (" or " if len(types) == 2 else ", or ") + types[-1]


def _invalid_arg_type(name: str, expected: str | list[str], actual: Any) -> str:
    kind = "property" if "." in name else "argument"
    subject = f'The "{name}" {kind}'
    types = [expected] if isinstance(expected, str) else list(expected)
    classes = [t for t in types if t[:1].isupper()]
    plain = [t for t in types if not t[:1].isupper()]
    parts = []
    if plain:
        parts.append(("of type " if len(plain) == 1 else "one of type ") + _join_types(plain))
    if classes:
        parts.append("an instance of " + _join_types(classes))
    return f"{subject} must be {' or '.join(parts)}. Received {received(actual)}"


def _invalid_arg_value(name: str, value: Any, reason: str = "is invalid") -> str:
    kind = "property" if "." in name else "argument"
    shown = repr(value) if isinstance(value, (dict, list)) else _inspect(value)
    return f"The {kind} '{name}' {reason}. Received {shown}"


def _bad_port(name: str, port: Any, allow_zero: bool = True) -> str:
    op = ">=" if allow_zero else ">"
    return f"{name} should be {op} 0 and < 65536. Received {received(port)}."


def _out_of_range(name: str, rng: str, value: Any) -> str:
    return f'The value of "{name}" is out of range. It must be {rng}. Received {_inspect(value)}'


def _missing_args(*names: str) -> str:
    quoted = [f'"{n}"' for n in names]
    if len(quoted) == 1:
        return f"The {quoted[0]} argument must be specified"
    if len(quoted) == 2:
        return f"The {quoted[0]} and {quoted[1]} arguments must be specified"
    return f"The {' or '.join(quoted)} argument must be specified"


# code -> (base class, message template).  The one place a code is defined.
_CODES: dict[str, tuple[type[NodeError], Callable[..., str]]] = {
    "ERR_INVALID_ARG_TYPE": (NodeTypeError, _invalid_arg_type),
    "ERR_INVALID_ARG_VALUE": (NodeTypeError, _invalid_arg_value),
    "ERR_INVALID_RETURN_VALUE": (NodeTypeError, lambda what, name, v: (
        f'Expected {what} to be returned from the "{name}" function but got {received(v)}.')),
    "ERR_MISSING_ARGS": (NodeTypeError, _missing_args),
    "ERR_OUT_OF_RANGE": (NodeRangeError, _out_of_range),
    "ERR_SOCKET_BAD_PORT": (NodeRangeError, _bad_port),
    "ERR_UNKNOWN_ENCODING": (NodeTypeError, lambda enc: f"Unknown encoding: {enc}"),
    "ERR_INVALID_IP_ADDRESS": (NodeTypeError, lambda ip: f"Invalid IP address: {ip}"),
    "ERR_INVALID_ADDRESS_FAMILY": (NodeRangeError, lambda fam, host, port: (
        f"Invalid address family: {fam} {host}:{port}")),
    "ERR_INVALID_FD_TYPE": (NodeTypeError, lambda t: f"Unsupported fd type: {t}"),
    "ERR_INVALID_HANDLE_TYPE": (NodeTypeError, lambda: "This handle type cannot be sent"),
    "ERR_SERVER_ALREADY_LISTEN": (NodeError, lambda: (
        "Listen method has been called more than once without closing.")),
    "ERR_SERVER_NOT_RUNNING": (NodeError, lambda: "Server is not running."),
    "ERR_SOCKET_CLOSED": (NodeError, lambda: "Socket is closed"),
    "ERR_SOCKET_CLOSED_BEFORE_CONNECTION": (NodeError, lambda: (
        "Socket closed before the connection was established")),
    "ERR_SOCKET_CONNECTION_TIMEOUT": (NodeError, lambda: "Socket connection timeout"),
    "ERR_STREAM_DESTROYED": (NodeError, lambda method: (
        f"Cannot call {method} after a stream was destroyed")),
    "ERR_STREAM_WRITE_AFTER_END": (NodeError, lambda: "write after end"),
    "ERR_STREAM_ALREADY_FINISHED": (NodeError, lambda method: (
        f"Cannot call {method} after a stream was finished")),
    "ERR_STREAM_NULL_VALUES": (NodeTypeError, lambda: "May not write null values to stream"),
    "ERR_STREAM_PUSH_AFTER_EOF": (NodeError, lambda: "stream.push() after EOF"),
    "ERR_MULTIPLE_CALLBACK": (NodeError, lambda: "Callback called multiple times"),
    "ERR_STREAM_UNSHIFT_AFTER_END_EVENT": (NodeError, lambda: (
        "stream.unshift() after end event")),
    "ERR_STREAM_PREMATURE_CLOSE": (NodeError, lambda: "Premature close"),
    "ERR_METHOD_NOT_IMPLEMENTED": (NodeError, lambda method: (
        f"The {method} method is not implemented")),
    "ERR_UNHANDLED_ERROR": (NodeError, lambda err=None: (
        "Unhandled error." if err is None else f"Unhandled error. ({_inspect(err)})")),
    "ERR_IP_BLOCKED": (NodeError, lambda ip: f"IP({ip}) is blocked by net.BlockList"),
    "ERR_INVALID_ADDRESS": (NodeError, lambda: "Invalid socket address"),
    "ERR_NESTED_RUN": (NodeError, lambda: (
        "pynet.run() cannot be called from inside a pynet callback")),
    "ERR_LOOP_ATTACHED": (NodeError, lambda: (
        "pynet.run() is not needed inside a running asyncio loop: pynet is attached to it "
        "and runs with it")),
    "ERR_LOOP_THREAD": (NodeError, lambda: (
        "this pynet object belongs to another thread's loop")),
}


def _make_class(code: str, base: type[NodeError]) -> type[NodeError]:
    return type(code, (base,), {"code": code, "__module__": __name__,
                                "__doc__": f"Node's {code}."})


for _code, (_base, _template) in _CODES.items():
    globals()[_code] = _make_class(_code, _base)
    __all__.append(_code)


# Codes whose Node class also keeps some of its arguments as properties:
# code -> one attribute name (or None) per positional argument.
_FIELDS: dict[str, tuple[str | None, ...]] = {
    "ERR_INVALID_ADDRESS_FAMILY": (None, "host", "port"),
}


def make(code: str, *args: Any) -> NodeError:
    """An instance of ``code``'s class with Node's message for ``args``."""
    template = _CODES[code][1]
    cls: type[NodeError] = globals()[code]
    err = cls(template(*args))
    for name, value in zip(_FIELDS.get(code, ()), args, strict=False):
        if name is not None:
            setattr(err, name, value)
    return err


# ---------------------------------------------------------------------------
# System errors

class NodeSystemError(OSError):  # noqa: A001 - Node's name for these
    """Base of every system error pynet raises (a libuv error code)."""

    code: str
    syscall: str | None
    address: str | None
    port: int | None
    _node_message: str

    def __str__(self) -> str:
        return self._node_message

    @property
    def message(self) -> str:
        return self._node_message


_system_classes: dict[type[OSError], type[NodeSystemError]] = {}


def _system_class(errno_value: int) -> type[NodeSystemError]:
    base = type(OSError(errno_value, "")) if errno_value > 0 else OSError
    cls = _system_classes.get(base)
    if cls is None:
        name = base.__name__
        cls = NodeSystemError if base is OSError else type(
            name, (NodeSystemError, base), {"__module__": __name__})
        _system_classes[base] = cls
    return cls


def _uv_names(err: int) -> tuple[str, str]:
    from ._ffi import ffi, lib  # the only compiled dependency, and only here

    return (ffi.string(lib.uv_err_name(err)).decode(),
            ffi.string(lib.uv_strerror(err)).decode())


def _system_error(err: int, message: str, code: str, strerror: str, syscall: str | None,
                  address: str | None = None, port: int | None = None) -> NodeSystemError:
    positive = -err if err < 0 else err
    # Only real errnos (libuv's codes are -errno on Unix) get an OSError subclass.
    known = positive if positive in _errno.errorcode else 0
    cls = _system_class(known)
    ex = cls(known or err, strerror)
    ex._node_message = message
    ex.code = code
    ex.syscall = syscall
    ex.address = address
    ex.port = port
    return ex


def errno_exception(err: int, syscall: str, original: str | None = None) -> NodeSystemError:
    """Node's errnoException: ``read ECONNRESET``."""
    code, strerror = _uv_names(err)
    message = f"{syscall} {code} {original}" if original else f"{syscall} {code}"
    return _system_error(err, message, code, strerror, syscall)


def _details(address: str | None, port: int | None) -> str:
    if port and port > 0:
        return f" {address}:{port}"
    if address:
        return f" {address}"
    return ""


def exception_with_host_port(err: int, syscall: str, address: str | None, port: int | None,
                             additional: str | None = None) -> NodeSystemError:
    """Node's exceptionWithHostPort: ``connect ECONNREFUSED 127.0.0.1:8124``."""
    code, strerror = _uv_names(err)
    details = _details(address, port)
    if additional:
        details += f" - Local ({additional})"
    return _system_error(err, f"{syscall} {code}{details}", code, strerror, syscall,
                         address, port if port else None)


def uv_exception(err: int, syscall: str, address: str | None = None,
                 port: int | None = None) -> NodeSystemError:
    """Node's uvExceptionWithHostPort: ``listen EADDRINUSE: address already in use :::80``."""
    code, strerror = _uv_names(err)
    message = f"{syscall} {code}: {strerror}{_details(address, port)}"
    return _system_error(err, message, code, strerror, syscall, address, port if port else None)
