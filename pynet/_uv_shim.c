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

/* ---------------------------------------------------------------------------
 * Upcalls: libuv's callbacks call Python through the C API, not through cffi's
 * callback layer.  Each handle's ->data (and each request's) is the handle's
 * Python wrapper itself.  The registry is libuv's own list of a loop's handles:
 * pynet_hold takes one reference to the wrapper when uv_*_init succeeds, the
 * close callback gives it back, and libuv calls nothing after that; pynet_walk
 * lists the handles held (uv_walk).  A request's ->data is borrowed: its handle
 * keeps the request alive until the request's callback.
 * The Python side (_callbacks.py) hands over one function per upcall, once, with
 * pynet_capi_init; a read arrives as a fresh bytes object built here. */
enum {
    PYNET_UP_READ, PYNET_UP_READ_ERROR, PYNET_UP_WRITE, PYNET_UP_CLOSE,
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
static void pynet__call(int which, void *owner, PyObject *a, PyObject *b) {
    PyObject *r = PyObject_CallFunctionObjArgs(pynet__up[which], (PyObject *)owner, a, b, NULL);
    if (r == NULL) pynet__report();
    Py_XDECREF(r);
}

/* Takes the GIL and calls upcall `which` with (owner[, x[, y]]), as many ints
 * as nargs says. */
static void pynet__upcall(int which, void *owner, int nargs, long x, long y) {
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *a = NULL, *b = NULL;
    if ((nargs >= 1 && (a = PyLong_FromLong(x)) == NULL) ||
        (nargs >= 2 && (b = PyLong_FromLong(y)) == NULL))
        pynet__report();
    else
        pynet__call(which, owner, a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
    PyGILState_Release(g);
}

/* The registry: uv_*_init succeeded on `handle`, whose ->data is its wrapper. */
static void pynet_hold(void *handle) {
    PyGILState_STATE g = PyGILState_Ensure();
    Py_INCREF((PyObject *)((uv_handle_t *)handle)->data);
    PyGILState_Release(g);
}
static void pynet_on_close(uv_handle_t *h) {
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *owner = h->data;
    pynet__call(PYNET_UP_CLOSE, owner, NULL, NULL);
    Py_DECREF(owner);  /* pynet_hold's */
    PyGILState_Release(g);
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
    pynet__upcall(PYNET_UP_CONNECTION, server->data, 1, status, 0);
}
static void pynet_on_connect(uv_connect_t *req, int status) {
    pynet__upcall(PYNET_UP_CONNECT, req->data, 1, status, 0);
}
static void pynet_on_shutdown(uv_shutdown_t *req, int status) {
    pynet__upcall(PYNET_UP_SHUTDOWN, req->data, 1, status, 0);
}
static void pynet_on_poll(uv_poll_t *h, int status, int events) {
    pynet__upcall(PYNET_UP_POLL, h->data, 2, status, events);
}
static void pynet_on_timer(uv_timer_t *h) {
    pynet__upcall(PYNET_UP_TIMER, h->data, 0, 0, 0);
}
static void pynet_on_async(uv_async_t *h) {
    pynet__upcall(PYNET_UP_ASYNC, h->data, 0, 0, 0);
}
static void pynet_on_check(uv_check_t *h) {
    pynet__upcall(PYNET_UP_CHECK, h->data, 0, 0, 0);
}

/* Reads land in a per-loop spare bytes object of 64 KiB that no Python code
 * has seen.  A read that fills it is handed to Python as it is, without a copy,
 * and a new spare is made; a shorter read is copied into a bytes of its own size
 * and the spare stays (the limited API has no way to shrink a bytes).  Streaming
 * reads are mostly full ones.  alloc_cb only lends the spare's buffer (no GIL
 * needed); read_cb, with the GIL, is the only code that swaps it; uv_run is
 * never nested (the loop forbids that), so one spare per loop is enough. */
#define PYNET_READ_SIZE 65536
typedef struct {
    uv_loop_t loop;   /* first, so a uv_loop_t* is a pynet_loop_t* */
    PyObject *spare;  /* a bytes of PYNET_READ_SIZE, or NULL after a failed allocation */
    char *spare_buf;
} pynet_loop_t;

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

static uv_loop_t *pynet_loop_new(void) {
    pynet_loop_t *pl = malloc(sizeof(*pl));
    if (pl == NULL) return NULL;
    if (uv_loop_init(&pl->loop) != 0) {
        free(pl);
        return NULL;
    }
    pl->loop.data = NULL;
    PyGILState_STATE g = PyGILState_Ensure();
    pynet__renew_spare(pl);
    PyGILState_Release(g);
    return &pl->loop;
}

static int pynet_loop_delete(uv_loop_t *loop) {
    int r = uv_loop_close(loop);
    if (r == 0) {
        PyGILState_STATE g = PyGILState_Ensure();
        Py_XDECREF(((pynet_loop_t *)loop)->spare);
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

/* Every stream handle pynet makes is a TCP or pipe handle with the byte counts
 * Node keeps on its stream handles (handle.bytesRead, handle.bytesWritten)
 * after it: counted here, a request costs Python no int allocation. */
typedef struct {
    uint64_t bytes_read;
    uint64_t bytes_written; /* handed to libuv: sent now or queued */
} pynet_counts_t;
typedef struct {
    uv_tcp_t uv;
    pynet_counts_t counts;
} pynet_tcp_t;
typedef struct {
    uv_pipe_t uv;
    pynet_counts_t counts;
} pynet_pipe_t;

static pynet_counts_t *pynet__counts(uv_stream_t *s) {
    return s->type == UV_TCP ? &((pynet_tcp_t *)s)->counts : &((pynet_pipe_t *)s)->counts;
}

static void pynet__read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    if (nread == 0) return; /* EAGAIN: nothing to say */
    pynet_loop_t *pl = (pynet_loop_t *)s->loop;
    if (nread < 0) {
        if (pl->spare == NULL) {
            PyGILState_STATE g = PyGILState_Ensure();
            pynet__renew_spare(pl); /* memory may be back for the next read */
            PyGILState_Release(g);
        }
        pynet__upcall(PYNET_UP_READ_ERROR, s->data, 1, (long)nread, 0);
        return;
    }
    pynet__counts(s)->bytes_read += (uint64_t)nread;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *data;
    if (nread == PYNET_READ_SIZE && buf->base == pl->spare_buf) {
        data = pl->spare; /* full: the spare itself becomes the chunk */
        pynet__renew_spare(pl);
    } else {
        data = PyBytes_FromStringAndSize(buf->base, nread);
    }
    if (data == NULL) {
        pynet__report();
    } else {
        pynet__call(PYNET_UP_READ, s->data, data, NULL);
        Py_DECREF(data);
    }
    PyGILState_Release(g);
}

/* The stream calls take void *: Python passes its uv_tcp_t / uv_pipe_t pointer
 * as it is instead of keeping a uv_stream_t * cast object per handle. */
static int pynet_read_start(void *stream) {
    return uv_read_start((uv_stream_t *)stream, pynet__alloc_cb, pynet__read_cb);
}

/* A queued write owns a copy of what uv_try_write could not send. */
typedef struct {
    uv_write_t req;
    char data[];
} pynet_write_req_t;

static void pynet__write_cb(uv_write_t *req, int status) {
    void *owner = req->handle->data;
    free(req);
    pynet__upcall(PYNET_UP_WRITE, owner, 1, status, 0);
}

/* Node's write: try it now; queue (a copy of) the rest.
 * Returns 0 when everything went out now (no upcall will follow), the number
 * of bytes queued (one write upcall will follow), or a negative
 * libuv error (nothing was queued). */
static ssize_t pynet_write(void *handle, const char *data, size_t len) {
    uv_stream_t *stream = (uv_stream_t *)handle;
    if (len == 0) return 0;
    uv_buf_t buf = uv_buf_init((char *)data, (unsigned int)len);
    int n = uv_try_write(stream, &buf, 1);
    if (n >= 0 && (size_t)n == len) {
        pynet__counts(stream)->bytes_written += len;
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
    pynet_write_req_t *wr = malloc(sizeof(*wr) + rest);
    if (wr == NULL) return UV_ENOMEM;
    memcpy(wr->data, data + n, rest);
    buf = uv_buf_init(wr->data, (unsigned int)rest);
    int r = uv_write(&wr->req, stream, &buf, 1, pynet__write_cb);
    if (r < 0) {
        free(wr);
        return r;
    }
    pynet__counts(stream)->bytes_written += len;
    return (ssize_t)rest;
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
