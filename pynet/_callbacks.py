"""Every upcall from libuv into Python, each defined exactly once.

The shim's C callbacks (``pynet_on_*`` in ``_uv_shim.c``) call these through
the C API with the handle's wrapper first: ``handle->data`` is the wrapper
itself (see ``_handle.py``), so there is no cffi callback layer and no
``ffi.from_handle`` on the hot path.  Reads are the exception: the shim calls
the owner's ``_onread`` function itself with the owner and a ready ``bytes``
(``StreamHandle.read_start`` hands both over; ``read_upcall`` picks the
function), or, once a socket has handed its reads to its one 'data' listener
(``Socket._onread``), that listener with the ``bytes`` alone.
After each upcall the shim drains the loop's nextTick and microtask queues
itself (Node drains them after every callback; ``Loop.drain`` does the same
for Python's callers).  An exception goes to ``_on_error``, which hands it to the
loop (``run()`` re-raises it).

Name resolution alone keeps a cffi ``def_extern``: it walks a C
``struct addrinfo`` list, which cffi reads best.  A second ``def_extern`` of the
same name anywhere would silently replace it process-wide, so it lives here too.
"""

from __future__ import annotations

from types import FunctionType, TracebackType
from typing import Any

from . import _loop
from ._ffi import c_pointer, ffi, lib

# The C callbacks, as the function pointers libuv takes.
ON_CLOSE = ffi.addressof(lib, "pynet_on_close")
ON_CONNECTION = ffi.addressof(lib, "pynet_on_connection")
ON_POLL = ffi.addressof(lib, "pynet_on_poll")
ON_TIMER = ffi.addressof(lib, "pynet_on_timer")
ON_ASYNC = ffi.addressof(lib, "pynet_on_async")
ON_CHECK = ffi.addressof(lib, "pynet_on_check")


def read_upcall(owner: Any) -> Any:
    """What the shim calls with ``(owner, data)`` for each read: the ``_onread``
    method's function when the owner's class defines one (Socket), or else
    ``_on_read``, which looks ``_onread`` up on the owner."""
    fn = getattr(type(owner), "_onread", None)
    return fn if isinstance(fn, FunctionType) else _on_read


def _on_read(owner: Any, data: bytes) -> None:
    owner._onread(data)


def _on_read_error(h: Any, nread: int) -> None:
    h.owner._onreaderror(nread)


def _on_write(h: Any, status: int) -> None:
    h.owner._onwritecomplete(status)


def _on_close(h: Any) -> None:
    h._on_close()


def _on_connection(h: Any, status: int) -> None:
    h.owner._onconnection(status)


def _on_connect(h: Any, status: int) -> None:
    h.dispatch_connect(status)


def _on_shutdown(h: Any, status: int) -> None:
    h.owner._onshutdown(status)


def _on_poll(h: Any, status: int, events: int) -> None:
    h.onpoll(status, events)


def _on_timer(h: Any) -> None:
    h.ontimeout()


def _on_async(h: Any) -> None:
    h.onasync()


def _on_check(h: Any) -> None:
    h.oncheck()


def _on_walk(h: Any, sink: list[Any]) -> None:
    sink.append(h)


def walk(loop_ptr: Any) -> list[Any]:
    """The wrappers of every handle of a loop, from uv_*_init to their close callback."""
    found: list[Any] = []
    lib.pynet_walk(loop_ptr, c_pointer(found))
    return found


def _on_error(exc: BaseException) -> None:
    # The C side attached the traceback: the user's frames are in it.
    _loop.current().fail(exc)


# In the order of the shim's PYNET_UP_* enum.
_UPCALLS = (_on_read_error, _on_write, _on_close, _on_connection, _on_connect,
            _on_shutdown, _on_poll, _on_timer, _on_async, _on_check, _on_walk, _on_error)
if lib.pynet_capi_init(ffi.new("void *[]", [c_pointer(f) for f in _UPCALLS]), len(_UPCALLS)):
    raise ImportError("pynet._uv: the compiled upcall table does not match _callbacks.py")


def _onerror(exc_type: type[BaseException] | None, exc: BaseException | None,
             tb: TracebackType | None) -> None:
    if exc is None:  # pragma: no cover - cffi always passes the exception
        return
    # cffi passes the traceback separately: without it the user's frames are lost.
    _on_error(exc.with_traceback(tb))


@ffi.def_extern(onerror=_onerror)
def _pynet_on_getaddrinfo(req, status, res):  # type: ignore[no-untyped-def]
    r = ffi.from_handle(req.data)
    try:
        r.complete(status, res)
    finally:
        if res != ffi.NULL:
            lib.uv_freeaddrinfo(res)
    loop = r.loop
    if loop.ticks or loop.micro:
        loop.drain()
