/* The practical limit: an echo server in C on libuv, as lean as it gets
 * (one allocation per read, uv_try_write first, uv_write for the rest).
 *
 *   echo_uv PORT|PATH   -> prints "listening on 127.0.0.1:PORT" (or the path)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

typedef struct { uv_write_t req; char *base; } write_t;

static uv_loop_t *loop;
static uv_stream_t *server;
static int is_pipe;
static char path[256];

static void on_close(uv_handle_t *h) { free(h); }

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)h;
    (void)suggested;
    static char slab[65536];  /* one read at a time: the slab is free again after read_cb */
    *buf = uv_buf_init(slab, sizeof slab);
}

static void write_cb(uv_write_t *req, int status) {
    (void)status;
    write_t *w = (write_t *)req;
    free(w->base);
    free(w);
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    if (nread < 0) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    if (nread == 0) return;
    uv_buf_t b = uv_buf_init(buf->base, (unsigned)nread);
    int sent = uv_try_write(s, &b, 1);
    if (sent == nread) return;
    if (sent < 0) sent = 0;
    write_t *w = malloc(sizeof *w);
    w->base = malloc((size_t)(nread - sent));
    memcpy(w->base, buf->base + sent, (size_t)(nread - sent));
    uv_buf_t rest = uv_buf_init(w->base, (unsigned)(nread - sent));
    uv_write(&w->req, s, &rest, 1, write_cb);
}

static void on_connection(uv_stream_t *srv, int status) {
    if (status < 0) return;
    uv_stream_t *client;
    if (is_pipe) {
        uv_pipe_t *p = malloc(sizeof *p);
        uv_pipe_init(loop, p, 0);
        client = (uv_stream_t *)p;
    } else {
        uv_tcp_t *t = malloc(sizeof *t);
        uv_tcp_init(loop, t);
        client = (uv_stream_t *)t;
    }
    if (uv_accept(srv, client) == 0) uv_read_start(client, alloc_cb, read_cb);
    else uv_close((uv_handle_t *)client, on_close);
}

static void on_signal(uv_signal_t *sig, int signum) {
    (void)signum;
    uv_signal_stop(sig);
    if (is_pipe) unlink(path);
    uv_stop(loop);
}

int main(int argc, char **argv) {
    const char *where = argc > 1 ? argv[1] : "0";
    loop = uv_default_loop();
    is_pipe = strspn(where, "0123456789") != strlen(where);
    int err;
    if (is_pipe) {
        uv_pipe_t *p = malloc(sizeof *p);
        uv_pipe_init(loop, p, 0);
        snprintf(path, sizeof path, "%s", where);
        err = uv_pipe_bind(p, path);
        server = (uv_stream_t *)p;
    } else {
        uv_tcp_t *t = malloc(sizeof *t);
        struct sockaddr_in addr;
        uv_tcp_init(loop, t);
        uv_ip4_addr("127.0.0.1", atoi(where), &addr);
        err = uv_tcp_bind(t, (const struct sockaddr *)&addr, 0);
        server = (uv_stream_t *)t;
    }
    if (err == 0) err = uv_listen(server, 511, on_connection);
    if (err) {
        fprintf(stderr, "echo_uv: %s\n", uv_strerror(err));
        return 1;
    }
    if (is_pipe) {
        printf("listening on %s\n", path);
    } else {
        struct sockaddr_storage name;
        int len = sizeof name;
        uv_tcp_getsockname((uv_tcp_t *)server, (struct sockaddr *)&name, &len);
        printf("listening on 127.0.0.1:%d\n", ntohs(((struct sockaddr_in *)&name)->sin_port));
    }
    fflush(stdout);
    uv_signal_t sigint, sigterm;
    uv_signal_init(loop, &sigint);
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_init(loop, &sigterm);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    uv_run(loop, UV_RUN_DEFAULT);
    return 0;
}
