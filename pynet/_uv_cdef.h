/* What Python sees of libuv and of the shim. Parsed by cffi, not by a C
 * compiler: no preprocessor, and "..." lets the compiler fill in sizes and
 * layouts so that one cdef serves every libuv >= 1.44 and every platform. */

typedef struct uv_loop_s uv_loop_t;

typedef struct uv_handle_s { void *data; uv_loop_t *loop; ...; } uv_handle_t;
typedef struct uv_stream_s { void *data; ...; } uv_stream_t;
typedef struct uv_tcp_s { void *data; ...; } uv_tcp_t;
typedef struct uv_pipe_s { void *data; ...; } uv_pipe_t;
typedef struct uv_poll_s { void *data; ...; } uv_poll_t;
typedef struct uv_timer_s { void *data; ...; } uv_timer_t;
typedef struct uv_check_s { void *data; ...; } uv_check_t;
typedef struct uv_async_s { void *data; ...; } uv_async_t;
typedef struct uv_getaddrinfo_s { void *data; ...; } uv_getaddrinfo_t;

typedef int... sa_family_t;
struct sockaddr { sa_family_t sa_family; ...; };
struct sockaddr_in { ...; };
struct sockaddr_in6 { ...; };
struct sockaddr_storage { ...; };
struct addrinfo {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    struct sockaddr *ai_addr;
    struct addrinfo *ai_next;
    ...;
};

typedef enum { UV_RUN_DEFAULT = 0, UV_RUN_ONCE, UV_RUN_NOWAIT } uv_run_mode;
enum uv_tcp_flags { UV_TCP_IPV6ONLY = 1 };
enum uv_poll_event { UV_READABLE = 1, UV_WRITABLE = 2, ... };

#define UV_EOF ...
#define UV_EAGAIN ...
#define UV_ECANCELED ...
#define UV_EBADF ...
#define UV_EINVAL ...
#define UV_ENOTCONN ...
#define UV_EADDRINUSE ...
#define UV_ETIMEDOUT ...
#define UV_ENOMEM ...
#define UV_EAI_NONAME ...
#define UV_EAI_AGAIN ...
#define AI_ADDRCONFIG ...
#define AI_V4MAPPED ...
#define AF_INET ...
#define AF_INET6 ...
#define AF_UNSPEC ...
#define SOCK_STREAM ...

unsigned int uv_version(void);
const char *uv_err_name(int err);
const char *uv_strerror(int err);

int uv_run(uv_loop_t *, uv_run_mode mode);
void uv_stop(uv_loop_t *);
int uv_loop_alive(const uv_loop_t *loop);
int uv_backend_fd(const uv_loop_t *);
int uv_backend_timeout(const uv_loop_t *);
void uv_update_time(uv_loop_t *);
uint64_t uv_now(const uv_loop_t *);

/* The handle and stream arguments that every connection passes are declared
 * void * here (C converts them back): Python hands over its uv_tcp_t / uv_pipe_t
 * pointer as it is, instead of making an ffi.cast object per call. */
void uv_close(void *handle, void (*close_cb)(uv_handle_t *));
int uv_is_closing(const uv_handle_t *handle);
int uv_is_active(const uv_handle_t *handle);
void uv_ref(void *handle);
void uv_unref(void *handle);
int uv_has_ref(const void *handle);

int uv_listen(void *stream, int backlog, void (*cb)(uv_stream_t *, int));
int uv_accept(void *server, void *client);
int uv_read_stop(void *stream);
size_t uv_stream_get_write_queue_size(const void *stream);
int uv_is_readable(const uv_stream_t *handle);
int uv_is_writable(const uv_stream_t *handle);

int uv_tcp_init(uv_loop_t *, void *handle);
int uv_tcp_nodelay(void *handle, int enable);
int uv_tcp_keepalive(void *handle, int enable, unsigned int delay);
int uv_tcp_bind(void *handle, const struct sockaddr *addr, unsigned int flags);
int uv_tcp_close_reset(void *handle, void (*close_cb)(uv_handle_t *));

int uv_pipe_init(uv_loop_t *, void *handle, int ipc);
int uv_pipe_bind(void *handle, const char *name);
int uv_pipe_chmod(void *handle, int flags);
int uv_pipe_getsockname(const void *handle, char *buffer, size_t *size);
void uv_pipe_pending_instances(void *handle, int count);

typedef enum { UV_UNKNOWN_HANDLE = 0, UV_NAMED_PIPE = ..., UV_TCP = ..., UV_TTY = ..., UV_UDP = ..., UV_FILE = ..., ... } uv_handle_type;
uv_handle_type uv_guess_handle(int file);
int uv_tcp_open(void *handle, int sock);
int uv_pipe_open(void *handle, int file);

int uv_ip4_addr(const char *ip, int port, struct sockaddr_in *addr);
int uv_ip6_addr(const char *ip, int port, struct sockaddr_in6 *addr);

int uv_poll_init_socket(uv_loop_t *loop, uv_poll_t *handle, int socket);
int uv_poll_start(uv_poll_t *handle, int events, void (*cb)(uv_poll_t *, int, int));
int uv_poll_stop(uv_poll_t *poll);

int uv_timer_init(uv_loop_t *, uv_timer_t *handle);
int uv_timer_start(uv_timer_t *handle, void (*cb)(uv_timer_t *), uint64_t timeout, uint64_t repeat);
int uv_timer_stop(uv_timer_t *handle);

int uv_check_init(uv_loop_t *, uv_check_t *check);
int uv_check_start(uv_check_t *check, void (*cb)(uv_check_t *));
int uv_check_stop(uv_check_t *check);
typedef struct uv_idle_s { void *data; ...; } uv_idle_t;
int uv_idle_init(uv_loop_t *, uv_idle_t *idle);
int uv_idle_start(uv_idle_t *idle, void (*cb)(uv_idle_t *));
int uv_idle_stop(uv_idle_t *idle);

int uv_async_init(uv_loop_t *, uv_async_t *async, void (*cb)(uv_async_t *));
int uv_async_send(uv_async_t *async);

int uv_getaddrinfo(uv_loop_t *loop, uv_getaddrinfo_t *req,
                   void (*cb)(uv_getaddrinfo_t *, int, struct addrinfo *),
                   const char *node, const char *service, const struct addrinfo *hints);
void uv_freeaddrinfo(struct addrinfo *ai);

/* The shim (_uv_shim.c): only what must be C. */
/* The TCP and pipe handles pynet makes: libuv's handle, then what the shim
 * keeps beside it (Node's handle.bytesRead and handle.bytesWritten, who gets reads). */
typedef struct {
    uint64_t bytes_read; uint64_t bytes_written; void *read_fn; void *reader;
} pynet_stream_extra_t;
typedef struct { uv_tcp_t uv; pynet_stream_extra_t extra; } pynet_tcp_t;
typedef struct { uv_pipe_t uv; pynet_stream_extra_t extra; } pynet_pipe_t;
uv_loop_t *pynet_loop_new(void);
int pynet_loop_delete(uv_loop_t *loop);
int pynet_loop_queues(uv_loop_t *loop, void *ticks, void *micro);
int pynet_read_start(void *stream);
int pynet_shutdown(void *stream);
int pynet_tcp_connect(void *handle, const struct sockaddr *addr);
int pynet_pipe_connect(void *handle, const char *name);
ssize_t pynet_write(void *stream, const char *data, size_t len);
int pynet_reuses_chunks(void);
int pynet_fileno(void *handle);
int pynet_sockaddr_name(const struct sockaddr *addr, char *ip, size_t iplen, int *port);
void pynet_noop_idle(uv_idle_t *handle);
int pynet_pipe_abstract(void *handle, const char *name, size_t len, int do_connect);
int pynet_tcp_name(void *handle, int peer, char *ip, size_t iplen, int *port);

/* The C callbacks handed to libuv: each calls its Python upcall (_callbacks.py)
 * through the C API, with the handle's wrapper (handle->data) first. */
int pynet_capi_init(void *const *upcalls, int n);
int pynet_capi_exports(void *sink);
int pynet_capi_cdata(void *obj, void *value);
void pynet_on_close(uv_handle_t *handle);
void pynet_hold(void *handle);
void pynet_walk(uv_loop_t *loop, void *sink);
void pynet_on_connection(uv_stream_t *server, int status);
void pynet_on_poll(uv_poll_t *handle, int status, int events);
void pynet_on_timer(uv_timer_t *handle);
void pynet_on_async(uv_async_t *handle);
void pynet_on_check(uv_check_t *handle);

/* Name resolution keeps cffi's callback: it walks a struct addrinfo list in Python. */
extern "Python" void _pynet_on_getaddrinfo(uv_getaddrinfo_t *req, int status, struct addrinfo *res);
