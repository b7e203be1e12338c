/* pynet's C shim: the hot read/write path and what cffi cannot express.
 * Policy (when to read, what a write means to the stream) stays in Python. */
#if defined(__has_include) && !__has_include(<uv.h>)
#  error "pynet: libuv headers not found. Install them: Debian/Ubuntu 'apt-get install pkg-config libuv1-dev', Fedora 'dnf install libuv-devel', macOS 'brew install libuv'; or set PYNET_LIBUV_PREFIX"
#else /* the whole shim: nothing else to complain about without uv.h */
#include <uv.h>
#include <stdlib.h>
#include <string.h>

#if UV_VERSION_HEX < 0x012C00
#  error "pynet needs libuv >= 1.44"
#endif

/* PYNET_NEW_REF_SINGLETONS: the shim returns None and True as
 * Py_NewRef(Py_None), never with Py_RETURN_NONE or Py_RETURN_TRUE.  The module
 * is built for the stable ABI of 3.11 (one .abi3.so for every CPython from
 * 3.11), but CPython 3.12.x's and 3.13.0's headers define those macros as a
 * bare `return Py_None` (the singletons are immortal there) whatever
 * Py_LIMITED_API says.  A build made with those headers and loaded by 3.11
 * (an editable install shared by two interpreters, a cp311-abi3 wheel built
 * on 3.13) then gives away a reference it never took on every call: True's
 * count reached zero, and the process aborted, after some 8,000 C writes,
 * None's after as many connections.  tests/test_abi.py counts them. */

/* PYNET_VECTORCALL: the upcalls call Python with PyObject_Vectorcall, the
 * stable ABI's since 3.12 and an exported function of the same signature in
 * 3.11 (cpython/abstract.h), which the limited API of 3.11 does not declare.
 * PyObject_CallFunctionObjArgs walks a va_list into an array first: on an
 * echoed request, whose read upcall is the only Python call, that was a
 * twentieth of the user-space instructions. */
#if defined(Py_LIMITED_API) && Py_LIMITED_API + 0 < 0x030C0000
PyAPI_FUNC(PyObject *) PyObject_Vectorcall(PyObject *callable, PyObject *const *args,
                                           size_t nargsf, PyObject *kwnames);
#endif

/* ---------------------------------------------------------------------------
 * The GIL inside uv_run.  pynet_run (a builtin, below) enters uv_run holding
 * the GIL and lets go of it only where libuv may block: the loop's prepare
 * handle, the last thing libuv runs before epoll_wait, releases it, and the
 * first upcall after the poll takes it back and keeps it, for the rest of that
 * batch of events and for the check, close and timer phases that follow.  One
 * handoff per loop turn instead of one per callback.  libuv calls back only from
 * inside uv_run (uv_walk aside), so an upcall finds the loop `running` exactly
 * when pynet_run is below it on the stack; anything else (a callback during a
 * uv_run that cffi made, pynet_hold, pynet_walk) takes the GIL the usual way. */
typedef struct {
    uv_loop_t loop;   /* first, so a uv_loop_t* is a pynet_loop_t* */
    PyObject *spare;  /* a bytes of PYNET_READ_SIZE, or NULL after a failed allocation */
    char *spare_buf;
    PyObject *last;   /* the last short read's bytes, kept for the next read of its size */
    uv_prepare_t release_gil;  /* unref'd; its ->data is NULL, so pynet_walk skips it */
    int running;               /* inside pynet_run */
    PyThreadState *released;   /* the GIL let go at prepare time: retake it with this */
    PyObject *ticks, *micro;   /* the Python loop's nextTick and microtask deques */
    PyObject *ticks_popleft, *micro_popleft;  /* their bound popleft methods */
} pynet_loop_t;

typedef struct { int lazy; PyGILState_STATE g; } pynet_gil_t;

static void pynet__gil_take(uv_loop_t *loop, pynet_gil_t *s) {
    pynet_loop_t *pl = (pynet_loop_t *)loop;
    s->lazy = pl->running;
    if (!s->lazy) {
        s->g = PyGILState_Ensure();
    } else if (pl->released != NULL) {
        PyThreadState *ts = pl->released;
        pl->released = NULL;
        PyEval_RestoreThread(ts);
    }
}
static void pynet__gil_give(pynet_gil_t *s) {
    if (!s->lazy) PyGILState_Release(s->g);
}
static void pynet__release_gil_cb(uv_prepare_t *h) {
    pynet_loop_t *pl = (pynet_loop_t *)h->loop;
    if (pl->running && pl->released == NULL) pl->released = PyEval_SaveThread();
}

/* ---------------------------------------------------------------------------
 * Upcalls: libuv's callbacks call Python through the C API, not through cffi's
 * callback layer.  Each handle's ->data (and each request's) is the handle's
 * Python wrapper itself.  The registry is libuv's own list of a loop's handles:
 * pynet_hold takes one reference to the wrapper when uv_*_init succeeds, the
 * close callback gives it back, and libuv calls nothing after that; pynet_walk
 * lists the handles held (uv_walk).  A request's ->data is borrowed: its handle
 * keeps the request alive until the request's callback.
 * The Python side (_callbacks.py) hands over one function per upcall, once, with
 * pynet_capi_init.  A read is the exception: pynet_read_start says which
 * function gets it and with what first argument (Socket._onread and the socket),
 * and the bytes object is built here.  As Node does after every
 * callback from libuv, an upcall that returned drains the nextTick and
 * microtask queues (pynet__drain, in C). */
enum {
    PYNET_UP_READ_ERROR, PYNET_UP_WRITE, PYNET_UP_CLOSE,
    PYNET_UP_CONNECTION, PYNET_UP_CONNECT, PYNET_UP_SHUTDOWN, PYNET_UP_POLL,
    PYNET_UP_TIMER, PYNET_UP_ASYNC, PYNET_UP_CHECK, PYNET_UP_WALK, PYNET_UP_ERROR,
    PYNET_UP_COUNT
};
static PyObject *pynet__up[PYNET_UP_COUNT];

/* upcalls[i] are PyObject pointers (CPython's id()); the Python side keeps them
 * alive while it calls this, and we take our own references. */
static int pynet_capi_init(void *const *upcalls, int n) {
    if (n != PYNET_UP_COUNT) return UV_EINVAL;
    PyGILState_STATE g = PyGILState_Ensure();
    for (int i = 0; i < n; i++) {
        PyObject *old = pynet__up[i];
        Py_INCREF((PyObject *)upcalls[i]);
        pynet__up[i] = (PyObject *)upcalls[i];
        Py_XDECREF(old);
    }
    PyGILState_Release(g);
    return 0;
}

/* An upcall raised: hand the exception (traceback attached) to the Python
 * error upcall, which stores it for run() to re-raise and stops the loop. */
static void pynet__report(void) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL) {
        if (tb != NULL) PyException_SetTraceback(value, tb);
        PyObject *r = PyObject_CallFunctionObjArgs(pynet__up[PYNET_UP_ERROR], value, NULL);
        if (r == NULL) PyErr_WriteUnraisable(pynet__up[PYNET_UP_ERROR]);
        Py_XDECREF(r);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

/* With the GIL: calls upcall `which` with (owner[, a[, b]]); a NULL a or b ends
 * the arguments.  All three are borrowed: owner is a handle's wrapper, which
 * pynet_hold's reference keeps alive through every upcall, the close upcall
 * included (pynet_on_close lets go only after it). */
static int pynet__call(int which, void *owner, PyObject *a, PyObject *b) {
    PyObject *args[3] = {(PyObject *)owner, a, b};
    size_t n = a == NULL ? 1 : b == NULL ? 2 : 3;
    PyObject *r = PyObject_Vectorcall(pynet__up[which], args, n, NULL);
    if (r == NULL) {
        pynet__report();
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

/* With the GIL, after an upcall returned: Node's processTicksAndRejections,
 * exactly as Loop.drain in _loop.py does it for Python's callers (the two must
 * agree): every tick, then every microtask (those queued meanwhile too), until
 * both queues are empty.  Here, not as an upcall to Loop.drain, because a
 * connection's life drains four times and each upcall cost two Python frames.
 * pynet__run_next pops one and runs it: a tick is a (fn, args) tuple, a
 * microtask a function.  An exception stops the drain where it is, as it
 * stops Loop.drain's, and goes where every upcall's goes. */
static int pynet__run_next(PyObject *popleft, int is_tick) {
    PyObject *item = PyObject_CallNoArgs(popleft), *r = NULL;
    if (item != NULL) {
        if (is_tick) {
            PyObject *fn = PyTuple_GetItem(item, 0), *args = PyTuple_GetItem(item, 1);
            if (fn != NULL && args != NULL) r = PyObject_Call(fn, args, NULL);
        } else {
            r = PyObject_CallNoArgs(item);
        }
        Py_DECREF(item);
    }
    if (r == NULL) {
        pynet__report();
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

static void pynet__drain(uv_loop_t *loop) {
    pynet_loop_t *pl = (pynet_loop_t *)loop;
    if (pl->ticks == NULL) return;
    for (;;) {
        int ran = 0;
        while (PyObject_Size(pl->ticks) > 0) {
            if (pynet__run_next(pl->ticks_popleft, 1)) return;
            ran = 1;
        }
        while (PyObject_Size(pl->micro) > 0) {
            if (pynet__run_next(pl->micro_popleft, 0)) return;
            ran = 1;
        }
        if (!ran) return;
    }
}

/* The Python loop's tick queues and their popleft methods, for pynet__drain;
 * held until pynet_loop_delete. */
static void pynet__drop_queues(pynet_loop_t *pl) {
    Py_XDECREF(pl->ticks);
    Py_XDECREF(pl->micro);
    Py_XDECREF(pl->ticks_popleft);
    Py_XDECREF(pl->micro_popleft);
    pl->ticks = pl->micro = pl->ticks_popleft = pl->micro_popleft = NULL;
}
static int pynet_loop_queues(uv_loop_t *loop, void *ticks, void *micro) {
    pynet_loop_t *pl = (pynet_loop_t *)loop;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *tp = PyObject_GetAttrString((PyObject *)ticks, "popleft");
    PyObject *mp = PyObject_GetAttrString((PyObject *)micro, "popleft");
    if (tp == NULL || mp == NULL) {
        Py_XDECREF(tp);
        Py_XDECREF(mp);
        PyErr_Clear();
        PyGILState_Release(g);
        return UV_EINVAL;
    }
    Py_INCREF((PyObject *)ticks);
    Py_INCREF((PyObject *)micro);
    pynet__drop_queues(pl);
    pl->ticks = ticks;
    pl->micro = micro;
    pl->ticks_popleft = tp;
    pl->micro_popleft = mp;
    PyGILState_Release(g);
    return 0;
}

/* With the GIL: calls upcall `which` with (owner[, x[, y]]), as many ints as
 * nargs says, then drains the tick queues. */
static void pynet__call_ints(uv_loop_t *loop, int which, void *owner, int nargs, long x,
                             long y) {
    PyObject *a = NULL, *b = NULL;
    if ((nargs >= 1 && (a = PyLong_FromLong(x)) == NULL) ||
        (nargs >= 2 && (b = PyLong_FromLong(y)) == NULL))
        pynet__report();
    else if (pynet__call(which, owner, a, b) == 0)
        pynet__drain(loop);
    Py_XDECREF(a);
    Py_XDECREF(b);
}

/* The same, taking the GIL for it. */
static void pynet__upcall(uv_loop_t *loop, int which, void *owner, int nargs, long x, long y) {
    pynet_gil_t g;
    pynet__gil_take(loop, &g);
    pynet__call_ints(loop, which, owner, nargs, x, y);
    pynet__gil_give(&g);
}

/* The registry: uv_*_init succeeded on `handle`, whose ->data is its wrapper. */
static void pynet_hold(void *handle) {
    PyGILState_STATE g = PyGILState_Ensure();
    Py_INCREF((PyObject *)((uv_handle_t *)handle)->data);
    PyGILState_Release(g);
}
static void pynet_on_close(uv_handle_t *h) {
    pynet_gil_t g;
    pynet__gil_take(h->loop, &g);
    PyObject *owner = h->data;
    if (pynet__call(PYNET_UP_CLOSE, owner, NULL, NULL) == 0) pynet__drain(h->loop);
    Py_DECREF(owner);  /* pynet_hold's */
    pynet__gil_give(&g);
}
static void pynet__walk_cb(uv_handle_t *h, void *sink) {
    if (h->data != NULL) pynet__call(PYNET_UP_WALK, h->data, (PyObject *)sink, NULL);
}
/* Calls the walk upcall with (wrapper, sink) for every handle of the loop;
 * sink is a Python object (its id()) the caller keeps alive. */
static void pynet_walk(uv_loop_t *loop, void *sink) {
    PyGILState_STATE g = PyGILState_Ensure();
    uv_walk(loop, pynet__walk_cb, sink);
    PyGILState_Release(g);
}
static void pynet_on_connection(uv_stream_t *server, int status) {
    pynet__upcall(server->loop, PYNET_UP_CONNECTION, server->data, 1, status, 0);
}
/* Requests of the shim's own (a connect, a shutdown), which their callbacks
 * free before the upcall.  ->data is the stream's wrapper, borrowed as every
 * request's is: a handle closed first gets UV_ECANCELED before its close
 * callback lets go.  Every connection ends with a shutdown and every client
 * connection starts with a connect: an ffi.new for each, and a slot on every
 * stream handle to keep it alive, were a Python-side cost for nothing.  A
 * uv_connect_t and a uv_shutdown_t begin with a uv_req_t, as libuv's own
 * code relies on. */
static void *pynet__request(size_t size, void *handle) {
    uv_req_t *req = malloc(size);
    if (req != NULL) req->data = ((uv_handle_t *)handle)->data;
    return req;
}
static void pynet__request_done(uv_req_t *req, uv_loop_t *loop, int which, int status) {
    void *owner = req->data;
    free(req);
    pynet__upcall(loop, which, owner, 1, status, 0);
}
static void pynet__on_connect(uv_connect_t *req, int status) {
    pynet__request_done((uv_req_t *)req, req->handle->loop, PYNET_UP_CONNECT, status);
}
static void pynet__on_shutdown(uv_shutdown_t *req, int status) {
    pynet__request_done((uv_req_t *)req, req->handle->loop, PYNET_UP_SHUTDOWN, status);
}
static int pynet_tcp_connect(void *handle, const struct sockaddr *addr) {
    uv_connect_t *req = pynet__request(sizeof(*req), handle);
    if (req == NULL) return UV_ENOMEM;
    int err = uv_tcp_connect(req, handle, addr, pynet__on_connect);
    if (err) free(req);
    return err;
}
/* libuv reports a pipe connect's failure through the callback, never here. */
static int pynet_pipe_connect(void *handle, const char *name) {
    uv_connect_t *req = pynet__request(sizeof(*req), handle);
    if (req == NULL) return UV_ENOMEM;
    uv_pipe_connect(req, handle, name, pynet__on_connect);
    return 0;
}
static int pynet_shutdown(void *stream) {
    uv_shutdown_t *req = pynet__request(sizeof(*req), stream);
    if (req == NULL) return UV_ENOMEM;
    int err = uv_shutdown(req, (uv_stream_t *)stream, pynet__on_shutdown);
    if (err) free(req);
    return err;
}
static void pynet_on_poll(uv_poll_t *h, int status, int events) {
    pynet__upcall(h->loop, PYNET_UP_POLL, h->data, 2, status, events);
}
static void pynet_on_timer(uv_timer_t *h) {
    pynet__upcall(h->loop, PYNET_UP_TIMER, h->data, 0, 0, 0);
}
static void pynet_on_async(uv_async_t *h) {
    pynet__upcall(h->loop, PYNET_UP_ASYNC, h->data, 0, 0, 0);
}
static void pynet_on_check(uv_check_t *h) {
    pynet__upcall(h->loop, PYNET_UP_CHECK, h->data, 0, 0, 0);
}

/* Reads land in a per-loop spare bytes object of 64 KiB that no Python code
 * has seen.  A read that fills it is handed to Python as it is, without a copy;
 * a shorter read is copied into a bytes of its own size and the spare stays
 * (the limited API has no way to shrink a bytes).  Streaming reads are mostly
 * full ones.  alloc_cb only lends the spare's buffer (no GIL needed); read_cb,
 * with the GIL, is the only code that swaps it; uv_run is never nested (the
 * loop forbids that), so one spare per loop is enough.
 *
 * A chunk Python has let go of is used again, as CPython's own free lists use
 * a dead object's memory: when the upcall and the tick queues it ran are done
 * and the shim's reference is a chunk's only one, no Python code can reach it
 * any more.  A full chunk becomes the spare again; a short one is kept (the
 * loop's `last`) and takes the next read of exactly its size, if nothing else
 * holds it by then.  That saves a malloc and a free per read: a 1 KiB bytes
 * is beyond pymalloc's small objects, and glibc's slower path costs an echo
 * request a fifth of its user-space instructions.  A reused bytes must forget
 * the hash it may have cached (a listener may have used it as a dict key):
 * the limited API has no call for that, so the shim writes -1 to the word
 * before the data, ob_shash on CPython 3.11-3.13, and only after
 * pynet__bytes_layout_ok has seen, on a bytes of its own, that word start at
 * -1 and then hold the bytes' hash.  On any other layout chunks are not
 * reused. */
#define PYNET_READ_SIZE 65536

static int pynet__reuse_bytes = -1; /* decided once, by pynet__bytes_layout_ok */

static void pynet__forget_hash(PyObject *b) {
    ((Py_hash_t *)PyBytes_AsString(b))[-1] = -1;
}

/* With the GIL. */
static int pynet__bytes_layout_ok(void) {
    if (pynet__reuse_bytes < 0) {
        pynet__reuse_bytes = 0;
        PyObject *b = PyBytes_FromStringAndSize("pynet: where does a bytes keep its hash?", 40);
        if (b == NULL) {
            PyErr_Clear();
            return 0;
        }
        Py_hash_t *word = (Py_hash_t *)PyBytes_AsString(b) - 1;
        if (*word == -1) {
            Py_hash_t h = PyObject_Hash(b);
            if (h == -1) PyErr_Clear();
            pynet__reuse_bytes = h != -1 && *word == h;
        }
        Py_DECREF(b);
    }
    return pynet__reuse_bytes;
}

/* With the GIL.  Without memory the next read fails with UV_ENOBUFS. */
static void pynet__renew_spare(pynet_loop_t *pl) {
    pl->spare = PyBytes_FromStringAndSize(NULL, PYNET_READ_SIZE);
    if (pl->spare == NULL) {
        PyErr_Clear();
        pl->spare_buf = NULL;
    } else {
        pl->spare_buf = PyBytes_AsString(pl->spare);
    }
}

/* 1 when read chunks Python let go of are used again (above), else 0. */
static int pynet_reuses_chunks(void) {
    PyGILState_STATE g = PyGILState_Ensure();
    int r = pynet__bytes_layout_ok();
    PyGILState_Release(g);
    return r;
}

static uv_loop_t *pynet_loop_new(void) {
    pynet_loop_t *pl = malloc(sizeof(*pl));
    if (pl == NULL) return NULL;
    if (uv_loop_init(&pl->loop) != 0) {
        free(pl);
        return NULL;
    }
    pl->loop.data = NULL;
    pl->running = 0;
    pl->released = NULL;
    pl->ticks = pl->micro = pl->ticks_popleft = pl->micro_popleft = NULL;
    pl->last = NULL;
    uv_prepare_init(&pl->loop, &pl->release_gil);
    pl->release_gil.data = NULL;
    uv_prepare_start(&pl->release_gil, pynet__release_gil_cb);
    uv_unref((uv_handle_t *)&pl->release_gil);
    PyGILState_STATE g = PyGILState_Ensure();
    pynet__bytes_layout_ok();
    pynet__renew_spare(pl);
    PyGILState_Release(g);
    return &pl->loop;
}

static int pynet_loop_delete(uv_loop_t *loop) {
    pynet_loop_t *pl = (pynet_loop_t *)loop;
    if (!uv_is_closing((uv_handle_t *)&pl->release_gil)) {
        uv_close((uv_handle_t *)&pl->release_gil, NULL);
        uv_run(loop, UV_RUN_NOWAIT);
    }
    int r = uv_loop_close(loop);
    if (r == 0) {
        PyGILState_STATE g = PyGILState_Ensure();
        Py_XDECREF(pl->spare);
        Py_XDECREF(pl->last);
        pynet__drop_queues(pl);
        PyGILState_Release(g);
        free(loop);
    }
    return r;
}

static void pynet__alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)suggested;
    pynet_loop_t *pl = (pynet_loop_t *)h->loop;
    /* A zero-length buffer makes libuv report UV_ENOBUFS to read_cb. */
    *buf = uv_buf_init(pl->spare_buf, pl->spare_buf != NULL ? PYNET_READ_SIZE : 0);
}

/* Every stream handle pynet makes is a TCP or pipe handle with this after it:
 * the byte counts Node keeps on its stream handles (handle.bytesRead,
 * handle.bytesWritten), counted here so that a request costs Python no int
 * allocation, and who gets the data read: read_fn(reader, bytes), or
 * read_fn(bytes) when reader is NULL.  Both are borrowed, and both are set by
 * the read_to builtin: before a read starts, to the handle wrapper's owner
 * (which the wrapper keeps alive) and a function of its class or of
 * _callbacks.py; by Socket._onread, to the socket's one 'data' listener
 * (which the wrapper's `reading` keeps alive).  Both pointers fit in the
 * malloc chunk the counts need. */
typedef struct {
    uint64_t bytes_read;
    uint64_t bytes_written; /* handed to libuv: sent now or queued */
    void *read_fn;
    void *reader;
} pynet_stream_extra_t;
typedef struct {
    uv_tcp_t uv;
    pynet_stream_extra_t extra;
} pynet_tcp_t;
typedef struct {
    uv_pipe_t uv;
    pynet_stream_extra_t extra;
} pynet_pipe_t;

static pynet_stream_extra_t *pynet__extra(uv_stream_t *s) {
    return s->type == UV_TCP ? &((pynet_tcp_t *)s)->extra : &((pynet_pipe_t *)s)->extra;
}

static void pynet__read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    if (nread == 0) return; /* EAGAIN: nothing to say */
    pynet_loop_t *pl = (pynet_loop_t *)s->loop;
    pynet_gil_t g;
    pynet__gil_take(s->loop, &g);
    if (nread < 0) {
        if (pl->spare == NULL) pynet__renew_spare(pl); /* memory may be back for the next read */
        pynet__call_ints(s->loop, PYNET_UP_READ_ERROR, s->data, 1, (long)nread, 0);
        pynet__gil_give(&g);
        return;
    }
    pynet__extra(s)->bytes_read += (uint64_t)nread;
    PyObject *data, *last = pl->last;
    int full = nread == PYNET_READ_SIZE && buf->base == pl->spare_buf;
    if (full) {
        data = pl->spare; /* the spare itself becomes the chunk */
        pl->spare = NULL;
        pl->spare_buf = NULL;
    } else if (last != NULL && Py_REFCNT(last) == 1 && PyBytes_Size(last) == nread) {
        data = last; /* the loop's reference moves to `data` */
        pl->last = NULL;
        memcpy(PyBytes_AsString(data), buf->base, (size_t)nread);
        pynet__forget_hash(data);
    } else {
        data = PyBytes_FromStringAndSize(buf->base, nread);
    }
    if (data == NULL) {
        pynet__report();
    } else {
        pynet_stream_extra_t *x = pynet__extra(s);
        /* Held for the call: a listener that removes itself (once()) may let go
         * of the last other reference to itself, or to its reader. */
        PyObject *fn = x->read_fn, *reader = x->reader;
        Py_INCREF(fn);
        Py_XINCREF(reader);
        PyObject *args[2] = {reader, data};
        PyObject *r = reader != NULL ? PyObject_Vectorcall(fn, args, 2, NULL)
                                     : PyObject_Vectorcall(fn, args + 1, 1, NULL);
        Py_DECREF(fn);
        Py_XDECREF(reader);
        if (r == NULL) {
            pynet__report();
        } else {
            Py_DECREF(r);
            pynet__drain(s->loop);
        }
        if (!pynet__reuse_bytes) {
            Py_DECREF(data);
        } else if (full) {
            if (Py_REFCNT(data) == 1) {
                pynet__forget_hash(data);
                pl->spare = data;
                pl->spare_buf = PyBytes_AsString(data);
            } else {
                Py_DECREF(data);
            }
        } else if (nread > 1) { /* a 1-byte bytes is CPython's shared one */
            last = pl->last;
            pl->last = data;
            Py_XDECREF(last);
        } else {
            Py_DECREF(data);
        }
    }
    if (pl->spare == NULL) pynet__renew_spare(pl);
    pynet__gil_give(&g);
}

/* The stream calls take void *: Python passes its uv_tcp_t / uv_pipe_t pointer
 * as it is instead of keeping a uv_stream_t * cast object per handle. */
static int pynet_read_start(void *stream) {
    return uv_read_start((uv_stream_t *)stream, pynet__alloc_cb, pynet__read_cb);
}

/* A queued write keeps what uv_try_write could not send alive until its
 * callback: the bytes object itself when the write builtin was given one (a
 * bytes never changes, and Node keeps its Buffer the same way), else a copy. */
typedef struct {
    uv_write_t req;
    PyObject *kept;  /* the bytes being written, or NULL: data[] holds a copy */
    char data[];
} pynet_write_req_t;

static void pynet__write_cb(uv_write_t *req, int status) {
    pynet_write_req_t *wr = (pynet_write_req_t *)req;
    void *owner = req->handle->data;
    uv_loop_t *loop = req->handle->loop;
    PyObject *kept = wr->kept;
    free(wr);
    pynet_gil_t g;
    pynet__gil_take(loop, &g);
    Py_XDECREF(kept);
    pynet__call_ints(loop, PYNET_UP_WRITE, owner, 1, status, 0);
    pynet__gil_give(&g);
}

/* Node's write: try it now; queue the rest.  `keep` is the bytes object that
 * holds data (the caller has the GIL), or NULL to queue a copy.
 * Returns 0 when everything went out now (no upcall will follow), the number
 * of bytes queued (one write upcall will follow), or a negative
 * libuv error (nothing was queued). */
static ssize_t pynet__write(void *handle, const char *data, size_t len, PyObject *keep) {
    uv_stream_t *stream = (uv_stream_t *)handle;
    if (len == 0) return 0;
    uv_buf_t buf = uv_buf_init((char *)data, (unsigned int)len);
    int n = uv_try_write(stream, &buf, 1);
    if (n >= 0 && (size_t)n == len) {
        pynet__extra(stream)->bytes_written += len;
        return 0;
    }
    if (n < 0) {
        /* EAGAIN: the kernel buffer is full or writes are already queued
         * (libuv keeps order by refusing try_write then); ENOSYS: a Windows
         * pipe, which never takes try_write. Anything else is a real error. */
        if (n != UV_EAGAIN && n != UV_ENOSYS) return n;
        n = 0;
    }
    size_t rest = len - (size_t)n;
    pynet_write_req_t *wr = malloc(sizeof(*wr) + (keep != NULL ? 0 : rest));
    if (wr == NULL) return UV_ENOMEM;
    wr->kept = keep;
    if (keep != NULL) {
        buf = uv_buf_init((char *)data + n, (unsigned int)rest);
    } else {
        memcpy(wr->data, data + n, rest);
        buf = uv_buf_init(wr->data, (unsigned int)rest);
    }
    int r = uv_write(&wr->req, stream, &buf, 1, pynet__write_cb);
    if (r < 0) {
        free(wr);
        return r;
    }
    Py_XINCREF(keep);
    pynet__extra(stream)->bytes_written += len;
    return (ssize_t)rest;
}

/* The same through cffi, which calls without the GIL: always a copy. */
static ssize_t pynet_write(void *handle, const char *data, size_t len) {
    return pynet__write(handle, data, len, NULL);
}

/* ---------------------------------------------------------------------------
 * Builtins: the calls Python makes on every request or loop turn, as C-API
 * functions rather than through cffi, whose wrapper releases the GIL around
 * every call and saves errno (a lock handoff each way).  uv_try_write on a
 * non-blocking socket does not block, and pynet_run lets go of the GIL where
 * libuv may wait.  pynet_capi_exports hands them to Python, in this order. */
/* The write builtin takes the handle as Python holds it, a cffi cdata that owns
 * the pynet_tcp_t / pynet_pipe_t: an int address kept per handle would cost an
 * idle connection 40 bytes.  cffi keeps a cdata's C pointer at a fixed place
 * after the object header (its CDataObject.c_data, the same since cffi 0.x).
 * pynet_capi_cdata finds that place once, on a cdata whose pointer Python knows,
 * and the builtin reads it only in objects of exactly the type checked then. */
static PyObject *pynet__cdata_type;
static Py_ssize_t pynet__cdata_offset;

/* obj: a cdata from ffi.new (its id()), value: its pointer.  0, or -1 when the
 * pointer is not where it was looked for (the caller keeps cffi's calls). */
static int pynet_capi_cdata(void *obj, void *value) {
    for (Py_ssize_t at = (Py_ssize_t)sizeof(PyObject); at <= 4 * (Py_ssize_t)sizeof(void *);
         at += (Py_ssize_t)sizeof(void *)) {
        if (*(void **)((char *)obj + at) == value) {
            PyGILState_STATE g = PyGILState_Ensure();
            PyObject *type = (PyObject *)Py_TYPE((PyObject *)obj);
            Py_INCREF(type);
            Py_XDECREF(pynet__cdata_type);
            pynet__cdata_type = type;
            pynet__cdata_offset = at;
            PyGILState_Release(g);
            return 0;
        }
    }
    return -1;
}

static PyObject *pynet__builtin_write(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    (void)self;
    char *data;
    Py_ssize_t len;
    if (n != 2 || pynet__cdata_type == NULL
        || (PyObject *)Py_TYPE(args[0]) != pynet__cdata_type) {
        PyErr_SetString(PyExc_TypeError, "write(handle: cdata of ffi.new, data: bytes)");
        return NULL;
    }
    void *handle = *(void **)((char *)args[0] + pynet__cdata_offset);
    if (PyBytes_AsStringAndSize(args[1], &data, &len) < 0) return NULL;
    return PyLong_FromSsize_t(pynet__write(handle, data, (size_t)len, args[1]));
}

/* read_to(handle, read_fn, reader or None): who gets the handle's reads from
 * now on (see pynet_stream_extra_t), both borrowed: the caller keeps them
 * alive.  A socket switches on every backpressure cycle: cffi's struct
 * access would cost it 2 µs. */
static PyObject *pynet__builtin_read_to(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    (void)self;
    if (n != 3 || pynet__cdata_type == NULL
        || (PyObject *)Py_TYPE(args[0]) != pynet__cdata_type) {
        PyErr_SetString(PyExc_TypeError, "read_to(handle: cdata of ffi.new, read_fn, reader)");
        return NULL;
    }
    uv_stream_t *stream = *(uv_stream_t **)((char *)args[0] + pynet__cdata_offset);
    pynet_stream_extra_t *x = pynet__extra(stream);
    x->read_fn = args[1];
    x->reader = args[2] == Py_None ? NULL : args[2];
    return Py_NewRef(Py_None); /* not Py_RETURN_NONE: see PYNET_NEW_REF_SINGLETONS */
}

/* Socket.write in C: the write gate's path (see Socket.write in socket.py)
 * without an interpreter frame.  A plain write (one non-empty bytes argument)
 * on a socket whose gate is open (its _write_gate is a handle cdata) goes
 * straight to pynet__write, as the first branch of the Python method does;
 * when the kernel does not take it whole, `not_whole(socket, data, r)` closes
 * the gate and records the write in flight.  Every other call is the Python
 * method's, with the same arguments.  One Socket class per process: the
 * socket_write builtin sets the three statics below, and the method it makes.
 *
 * _write_gate is a slot of Socket: the builtin finds its offset in a probe
 * instance (as pynet_capi_cdata finds a cdata's pointer; a member
 * descriptor's offset is not in the limited API), and the method reads it
 * there.  The method descriptor admits only instances of Socket and its
 * subclasses, whose layouts begin with Socket's.  A generic getattr was a
 * tenth of the instructions of an echoed request. */
static PyObject *pynet__socket_write_py, *pynet__socket_not_whole;
static Py_ssize_t pynet__write_gate_offset;

static PyObject *pynet__socket_write(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                     PyObject *kwnames) {
    char *data;
    Py_ssize_t len;
    if (nargs == 1 && kwnames == NULL && PyBytes_CheckExact(args[0])
        && PyBytes_AsStringAndSize(args[0], &data, &len) == 0 && len > 0) {
        /* Borrowed; NULL while unset (the Python method then says what is wrong). */
        PyObject *gate = *(PyObject **)((char *)self + pynet__write_gate_offset);
        if (gate != NULL && (PyObject *)Py_TYPE(gate) == pynet__cdata_type) {
            void *handle = *(void **)((char *)gate + pynet__cdata_offset);
            ssize_t r = pynet__write(handle, data, (size_t)len, args[0]);
            if (r == 0) return Py_NewRef(Py_True); /* see PYNET_NEW_REF_SINGLETONS */
            PyObject *rr = PyLong_FromSsize_t(r);
            if (rr == NULL) return NULL;
            PyObject *call[3] = {self, args[0], rr};
            PyObject *out = PyObject_Vectorcall(pynet__socket_not_whole, call, 3, NULL);
            Py_DECREF(rr);
            return out;
        }
    }
    /* The Python method, with the same arguments (keywords as they came). */
    Py_ssize_t total = nargs + (kwnames != NULL ? PyTuple_Size(kwnames) : 0);
    PyObject *small[8], **stack = small;
    if (total + 1 > 8 && (stack = PyMem_Malloc((size_t)(total + 1) * sizeof(PyObject *))) == NULL)
        return PyErr_NoMemory();
    stack[0] = self;
    memcpy(stack + 1, args, (size_t)total * sizeof(PyObject *));
    PyObject *out = PyObject_Vectorcall(pynet__socket_write_py, stack, (size_t)nargs + 1, kwnames);
    if (stack != small) PyMem_Free(stack);
    return out;
}

static PyMethodDef pynet__socket_write_def = {
    "write", (PyCFunction)(void (*)(void))pynet__socket_write,
    METH_FASTCALL | METH_KEYWORDS, NULL,
};

/* socket_write(cls, python_write, not_whole, probe) -> the method descriptor
 * for cls.write (see pynet__socket_write); its docstring is python_write's,
 * after the text signature inspect reads.  probe: an instance of cls whose
 * _write_gate slot holds python_write, the only reference to it inside the
 * object: where it is found is the slot's offset. */
static PyObject *pynet__builtin_socket_write(PyObject *self, PyObject *const *args,
                                             Py_ssize_t n) {
    (void)self;
    if (n != 4 || !PyType_Check(args[0]) || pynet__cdata_type == NULL
        || !PyObject_TypeCheck(args[3], (PyTypeObject *)args[0])) {
        PyErr_SetString(PyExc_TypeError, "socket_write(cls, python_write, not_whole, probe)");
        return NULL;
    }
    PyObject *size = PyObject_GetAttrString(args[0], "__basicsize__");
    if (size == NULL) return NULL;
    Py_ssize_t basicsize = PyLong_AsSsize_t(size);
    Py_DECREF(size);
    if (basicsize < 0) return NULL;
    Py_ssize_t found = 0;
    for (Py_ssize_t at = (Py_ssize_t)sizeof(PyObject);
         at + (Py_ssize_t)sizeof(PyObject *) <= basicsize; at += (Py_ssize_t)sizeof(PyObject *)) {
        if (*(PyObject **)((char *)args[3] + at) == args[1]) {
            found = found == 0 ? at : -1; /* twice: not a place to trust */
        }
    }
    if (found <= 0) {
        PyErr_SetString(PyExc_RuntimeError, "socket_write: the _write_gate slot was not found");
        return NULL;
    }
    PyObject *doc = PyObject_GetAttrString(args[1], "__doc__");
    if (doc == NULL) return NULL;
    PyObject *text = PyUnicode_Check(doc)
        ? PyUnicode_FromFormat("write($self, data, encoding=None, cb=None)\n--\n\n%U", doc)
        : PyUnicode_FromString("write($self, data, encoding=None, cb=None)\n--\n\n");
    Py_DECREF(doc);
    if (text == NULL) return NULL;
    /* The descriptor keeps a pointer to its PyMethodDef and its doc: both for good. */
    pynet__socket_write_def.ml_doc = PyUnicode_AsUTF8AndSize(text, NULL);
    if (pynet__socket_write_def.ml_doc == NULL) return NULL;
    /* `text` is never released: ml_doc points into it. */
    pynet__write_gate_offset = found;
    PyObject *old_write = pynet__socket_write_py, *old_not_whole = pynet__socket_not_whole;
    Py_INCREF(args[1]);
    Py_INCREF(args[2]);
    pynet__socket_write_py = args[1];
    pynet__socket_not_whole = args[2];
    Py_XDECREF(old_write);
    Py_XDECREF(old_not_whole);
    return PyDescr_NewMethod((PyTypeObject *)args[0], &pynet__socket_write_def);
}

static PyObject *pynet__builtin_run(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    (void)self;
    if (n != 2) {
        PyErr_SetString(PyExc_TypeError, "run(loop_address, mode)");
        return NULL;
    }
    pynet_loop_t *pl = PyLong_AsVoidPtr(args[0]);
    if (pl == NULL) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "run: NULL loop");
        return NULL;
    }
    long mode = PyLong_AsLong(args[1]);
    if (mode == -1 && PyErr_Occurred()) return NULL;
    /* Never nested on one loop: Loop.run and the asyncio driver refuse that. */
    pl->running = 1;
    int r = uv_run(&pl->loop, (uv_run_mode)mode);
    if (pl->released != NULL) {
        PyEval_RestoreThread(pl->released);
        pl->released = NULL;
    }
    pl->running = 0;
    return PyLong_FromLong(r);
}

static PyMethodDef pynet__builtins[] = {
    {"write", (PyCFunction)(void (*)(void))pynet__builtin_write, METH_FASTCALL,
     "write(handle, data: bytes) -> 0 sent, > 0 queued, < 0 libuv error"},
    {"run", (PyCFunction)(void (*)(void))pynet__builtin_run, METH_FASTCALL,
     "run(loop_address, mode) -> uv_run's answer, the GIL let go only while libuv waits"},
    {"read_to", (PyCFunction)(void (*)(void))pynet__builtin_read_to, METH_FASTCALL,
     "read_to(handle, read_fn, reader or None): reads go to read_fn(reader, data) or read_fn(data)"},
    {"socket_write", (PyCFunction)(void (*)(void))pynet__builtin_socket_write, METH_FASTCALL,
     "socket_write(cls, python_write, not_whole) -> cls.write in C (the write gate's path)"},
};

/* Appends the builtins to `sink` (a list's id(), kept alive by the caller). */
static int pynet_capi_exports(void *sink) {
    PyGILState_STATE g = PyGILState_Ensure();
    int r = 0;
    for (size_t i = 0; i < sizeof(pynet__builtins) / sizeof(pynet__builtins[0]); i++) {
        PyObject *f = PyCFunction_New(&pynet__builtins[i], NULL);
        if (f == NULL || PyList_Append((PyObject *)sink, f) < 0) {
            PyErr_Clear();
            r = -1;
        }
        Py_XDECREF(f);
        if (r < 0) break;
    }
    PyGILState_Release(g);
    return r;
}

/* A started idle handle makes uv_run poll without blocking: nothing to do here. */
static void pynet_noop_idle(uv_idle_t *handle) {
    (void)handle;
}

/* Linux abstract socket names, bound or connected with their exact length.
 * Never through uv_pipe_bind: libuv 1.44 binds the wrong address for a name
 * that starts with a NUL, and 1.49+ autobinds.  The fd is handed to libuv
 * with uv_pipe_open. */
#if defined(__linux__)
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int pynet__abstract_fd(const char *name, size_t len, int do_connect) {
    struct sockaddr_un sa;
    if (len == 0 || len > sizeof(sa.sun_path)) return UV_EINVAL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, name, len);
    socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    int r;
    do {
        r = do_connect ? connect(fd, (struct sockaddr *)&sa, salen)
                       : bind(fd, (struct sockaddr *)&sa, salen);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

static int pynet_pipe_abstract(void *handle, const char *name, size_t len, int do_connect) {
    int fd = pynet__abstract_fd(name, len, do_connect);
    if (fd < 0) return fd;
    int r = uv_pipe_open(handle, fd);
    if (r < 0) close(fd);
    return r;
}
#else
static int pynet_pipe_abstract(void *handle, const char *name, size_t len, int do_connect) {
    (void)handle; (void)name; (void)len; (void)do_connect;
    return UV_ENOTSUP;
}
#endif

static int pynet_fileno(void *handle) {
    uv_os_fd_t fd;
    int r = uv_fileno(handle, &fd);
    if (r < 0) return r;
    return (int)(intptr_t)fd;
}

/* Formats an IPv4/IPv6 sockaddr; returns 4 or 6, or a negative libuv error. */
static int pynet_sockaddr_name(const struct sockaddr *addr, char *ip, size_t iplen, int *port) {
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *a4 = (const struct sockaddr_in *)addr;
        *port = ntohs(a4->sin_port);
        int r = uv_ip4_name(a4, ip, iplen);
        return r < 0 ? r : 4;
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)addr;
        *port = ntohs(a6->sin6_port);
        int r = uv_ip6_name(a6, ip, iplen);
        return r < 0 ? r : 6;
    }
    return UV_EAFNOSUPPORT;
}

static int pynet_tcp_name(void *handle, int peer, char *ip, size_t iplen, int *port) {
    struct sockaddr_storage ss;
    int len = (int)sizeof(ss);
    int r = peer ? uv_tcp_getpeername(handle, (struct sockaddr *)&ss, &len)
                 : uv_tcp_getsockname(handle, (struct sockaddr *)&ss, &len);
    if (r < 0) return r;
    return pynet_sockaddr_name((struct sockaddr *)&ss, ip, iplen, port);
}

#endif /* __has_include(<uv.h>) */
