"""Every upcall from libuv into Python, each defined exactly once.

A second ``def_extern`` of the same name anywhere would silently replace the
first process-wide, so they all live here.  Each dispatches on
``handle->data`` or ``req->data`` (an ``ffi.new_handle`` of the wrapper), then
drains the loop's nextTick and microtask queues.  Exceptions go to the
shared ``onerror``, which hands them to the loop (``run()`` re-raises them).
"""

from __future__ import annotations

from types import TracebackType

from . import _loop
from ._ffi import ffi, lib

_from_handle = ffi.from_handle
_unpack = ffi.unpack


def _onerror(exc_type: type[BaseException] | None, exc: BaseException | None,
             tb: TracebackType | None) -> None:
    if exc is None:  # pragma: no cover - cffi always passes the exception
        return
    # cffi passes the traceback separately: without it the user's frames are lost.
    _loop.current().fail(exc.with_traceback(tb))


@ffi.def_extern(onerror=_onerror)
def _pynet_on_read(owner, nread, base):  # type: ignore[no-untyped-def]
    h = _from_handle(owner)
    if nread > 0:
        h.owner._onread(_unpack(base, nread))
    else:
        h.owner._onreaderror(nread)
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_write(owner, status):  # type: ignore[no-untyped-def]
    h = _from_handle(owner)
    h.owner._onwritecomplete(status)
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_close(handle):  # type: ignore[no-untyped-def]
    h = _from_handle(handle.data)
    h._on_close()
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_connection(server, status):  # type: ignore[no-untyped-def]
    h = _from_handle(server.data)
    h.owner._onconnection(status)
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_connect(req, status):  # type: ignore[no-untyped-def]
    h = _from_handle(req.data)
    h._connect_req = None
    h.dispatch_connect(status)
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_shutdown(req, status):  # type: ignore[no-untyped-def]
    h = _from_handle(req.data)
    h._shutdown_req = None
    h.owner._onshutdown(status)
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_poll(handle, status, events):  # type: ignore[no-untyped-def]
    h = _from_handle(handle.data)
    h.onpoll(status, events)
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_timer(handle):  # type: ignore[no-untyped-def]
    h = _from_handle(handle.data)
    h.ontimeout()
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_check(handle):  # type: ignore[no-untyped-def]
    h = _from_handle(handle.data)
    h.oncheck()
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_async(handle):  # type: ignore[no-untyped-def]
    h = _from_handle(handle.data)
    h.onasync()
    loop = h.loop
    if loop.ticks or loop.micro:
        loop.drain()


@ffi.def_extern(onerror=_onerror)
def _pynet_on_getaddrinfo(req, status, res):  # type: ignore[no-untyped-def]
    r = _from_handle(req.data)
    try:
        r.complete(status, res)
    finally:
        if res != ffi.NULL:
            lib.uv_freeaddrinfo(res)
    loop = r.loop
    if loop.ticks or loop.micro:
        loop.drain()
