"""The one importer of the compiled module ``pynet._uv``."""

from __future__ import annotations

from typing import Any

try:
    from ._uv import ffi, lib
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "pynet's compiled part (pynet._uv) is not built. From a checkout run "
        "`make dev` (or `pip install -e .`); it needs libuv >= 1.44 and its headers "
        "(Debian/Ubuntu: apt-get install pkg-config libuv1-dev)."
    ) from exc

__all__ = ["ffi", "lib", "LIBUV_VERSION", "address", "c_pointer", "pynet_write", "pynet_run",
           "pynet_read_to", "pynet_socket_write"]


def address(cdata: Any) -> int:
    """A C pointer as the int the builtins take."""
    return int(ffi.cast("uintptr_t", cdata))


def c_pointer(obj: object) -> Any:
    """``obj`` as the ``void *`` the C upcalls cast back to a ``PyObject *``.

    CPython's ``id()`` is the object's address.  Whoever stores it keeps ``obj``
    alive for as long as C may use it (the loop's registry does, for handles).
    """
    return ffi.cast("void *", id(obj))


def _builtins() -> list[Any]:
    sink: list[Any] = []
    if lib.pynet_capi_exports(c_pointer(sink)):
        raise ImportError("pynet._uv: the shim's builtins could not be made")
    return sink


def _cffi_write(handle: Any, data: bytes) -> int:
    return int(lib.pynet_write(handle, data, len(data)))


def _cffi_read_to(handle: Any, read_fn: Any, reader: Any) -> None:
    extra = handle.extra
    extra.read_fn = c_pointer(read_fn)
    extra.reader = ffi.NULL if reader is None else c_pointer(reader)


# The per-request calls as C-API builtins, which keep the GIL (see the shim):
# pynet_write(handle.ptr, data), pynet_run(loop address, mode),
# pynet_read_to(handle.ptr, read_fn, reader or None) and
# pynet_socket_write(Socket, write, not_whole, probe), which makes Socket.write's gate
# path C (socket.py), or is None when the builtins cannot read a handle.
pynet_write, pynet_run, pynet_read_to, pynet_socket_write = _builtins()
_probe = ffi.new("pynet_tcp_t *")
if lib.pynet_capi_cdata(c_pointer(_probe), _probe):  # pragma: no cover - another cffi
    # The builtins cannot find the pointer in this cffi's cdata.
    pynet_write, pynet_read_to, pynet_socket_write = _cffi_write, _cffi_read_to, None
del _probe

LIBUV_VERSION: tuple[int, int, int] = (
    (lib.uv_version() >> 16) & 0xFF, (lib.uv_version() >> 8) & 0xFF, lib.uv_version() & 0xFF,
)
