/* Load generator for the echo servers in bench/: raw epoll, one thread, so it
 * stays far cheaper per request than any server it drives (bench.py checks
 * that against the C server).
 *
 *   loadgen MODE TARGET CONNECTIONS SIZE SECONDS
 *
 * TARGET is HOST:PORT (IPv4) or a Unix socket path.  Modes:
 *   echo     each connection sends SIZE bytes, waits for all SIZE back, repeats;
 *            prints "requests N"
 *   stream   each connection keeps up to 1 MiB in flight through the echo;
 *            prints "bytes N" (echoed bytes received)
 *   connect  each of CONNECTIONS slots loops connect, SIZE-byte echo, close;
 *            prints "connections N"
 *   idle     opens CONNECTIONS connections, one SIZE-byte echo on each, prints
 *            "ready", holds them SECONDS, closes; prints "connections N"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define WINDOW (1 << 20)

typedef struct { int fd; size_t sent, got; int connecting; } conn_t;

static struct sockaddr_storage target;
static socklen_t target_len;
static int target_family;
static char *out, *in;
static size_t size;
static unsigned spread;  /* >0: bind each new TCP connection to the next 127.x.y.z */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_target(const char *t) {
    memset(&target, 0, sizeof target);
    const char *colon = strrchr(t, ':');
    if (t[0] != '/' && colon) {
        struct sockaddr_in *sa = (struct sockaddr_in *)&target;
        char host[64];
        size_t n = (size_t)(colon - t);
        if (n >= sizeof host) return -1;
        memcpy(host, t, n);
        host[n] = 0;
        sa->sin_family = AF_INET;
        sa->sin_port = htons((unsigned short)atoi(colon + 1));
        if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) return -1;
        target_len = sizeof *sa;
        target_family = AF_INET;
        return 0;
    }
    struct sockaddr_un *su = (struct sockaddr_un *)&target;
    if (strlen(t) >= sizeof su->sun_path) return -1;
    su->sun_family = AF_UNIX;
    strcpy(su->sun_path, t);
    target_len = sizeof *su;
    target_family = AF_UNIX;
    return 0;
}

/* A connected (or connecting, when nonblock) socket. */
static int open_conn(int nonblock) {
    int fd = socket(target_family, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) return -1;
    if (target_family == AF_INET) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (spread) {
            /* Thousands of short connections would exhaust one source address's
             * ephemeral ports (TIME_WAIT); 127.0.0.0/8 is all loopback. */
            struct sockaddr_in src = {0};
            spread = spread % (250u * 256u) + 1;
            src.sin_family = AF_INET;
            src.sin_addr.s_addr = htonl(0x7f000000u | ((1 + spread / 256) << 8) | (spread % 256));
            if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
                close(fd);
                return -1;
            }
        }
    }
    if (connect(fd, (struct sockaddr *)&target, target_len) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    if (!nonblock) fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static void watch(int ep, int op, conn_t *c, unsigned events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(ep, op, c->fd, &ev);
}

/* N connections, each watched by EPOLL for EVENTS; NULL (after perror) if one fails. */
static conn_t *open_all(int ep, int n, int nonblock, unsigned events) {
    conn_t *conns = calloc((size_t)n, sizeof(conn_t));
    for (int i = 0; i < n; i++) {
        conns[i].fd = open_conn(nonblock);
        if (conns[i].fd < 0) {
            perror("loadgen: connect");
            return NULL;
        }
        watch(ep, EPOLL_CTL_ADD, &conns[i], events);
    }
    return conns;
}

/* Reads what is there; -1 when the server closed the connection. */
static int drain(conn_t *c) {
    for (;;) {
        ssize_t r = read(c->fd, in, WINDOW);
        if (r > 0) { c->got += (size_t)r; continue; }
        if (r == 0) return -1;
        if (errno == EAGAIN || errno == EINTR) return 0;
        return -1;
    }
}

static int run_echo(int n, double seconds, int stream) {
    int ep = epoll_create1(0);
    conn_t *conns = open_all(ep, n, 0, EPOLLIN | EPOLLOUT);
    if (!conns) return 1;
    long requests = 0;
    unsigned long long bytes = 0;
    double end = now() + seconds;
    struct epoll_event evs[256];
    while (now() < end) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int j = 0; j < k; j++) {
            conn_t *c = evs[j].data.ptr;
            if (stream) {
                if (evs[j].events & EPOLLIN) {
                    size_t before = c->got;
                    if (drain(c) < 0) { fprintf(stderr, "loadgen: server closed\n"); return 1; }
                    bytes += c->got - before;
                }
                while (c->sent - c->got < WINDOW) {
                    ssize_t w = write(c->fd, out, size);
                    if (w <= 0) break;
                    c->sent += (size_t)w;
                }
                continue;
            }
            if ((evs[j].events & EPOLLOUT) && c->sent < size) {
                ssize_t w = write(c->fd, out + c->sent, size - c->sent);
                if (w > 0) c->sent += (size_t)w;
                if (c->sent == size) watch(ep, EPOLL_CTL_MOD, c, EPOLLIN);
            }
            if (evs[j].events & EPOLLIN) {
                if (drain(c) < 0) { fprintf(stderr, "loadgen: server closed\n"); return 1; }
                if (c->got >= size && c->sent == size) {
                    requests++;
                    c->got -= size;
                    c->sent = 0;
                    watch(ep, EPOLL_CTL_MOD, c, EPOLLIN | EPOLLOUT);
                }
            }
        }
    }
    if (stream) printf("bytes %llu\n", bytes);
    else printf("requests %ld\n", requests);
    for (int i = 0; i < n; i++) close(conns[i].fd);
    return 0;
}

static int run_connect(int n, double seconds) {
    int ep = epoll_create1(0);
    conn_t *conns = open_all(ep, n, 1, EPOLLOUT);
    if (!conns) return 1;
    long done = 0;
    double end = now() + seconds;
    struct epoll_event evs[256];
    while (now() < end) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int j = 0; j < k; j++) {
            conn_t *c = evs[j].data.ptr;
            if (evs[j].events & (EPOLLERR | EPOLLHUP) && c->sent < size) {
                int e = 0;
                socklen_t len = sizeof e;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len);
                fprintf(stderr, "loadgen: connect failed: %s\n", strerror(e));
                return 1;
            }
            if ((evs[j].events & EPOLLOUT) && c->sent < size) {
                ssize_t w = write(c->fd, out + c->sent, size - c->sent);
                if (w > 0) c->sent += (size_t)w;
                if (c->sent == size) watch(ep, EPOLL_CTL_MOD, c, EPOLLIN);
                continue;
            }
            if (evs[j].events & EPOLLIN) {
                int closed = drain(c) < 0;
                if (c->got >= size || closed) {
                    if (c->got < size) { fprintf(stderr, "loadgen: short echo\n"); return 1; }
                    done++;
                    close(c->fd);  /* epoll forgets it with the fd */
                    c->fd = open_conn(1);
                    c->sent = c->got = 0;
                    if (c->fd < 0) { perror("loadgen: connect"); return 1; }
                    watch(ep, EPOLL_CTL_ADD, c, EPOLLOUT);
                }
            }
        }
    }
    printf("connections %ld\n", done);
    return 0;
}

static int run_idle(int n, double seconds) {
    int ep = epoll_create1(0);
    conn_t *conns = open_all(ep, n, 0, EPOLLIN);
    if (!conns) return 1;
    for (int i = 0; i < n; i++) {
        if (write(conns[i].fd, out, size) != (ssize_t)size) { perror("loadgen: write"); return 1; }
    }
    int echoed = 0;
    struct epoll_event evs[256];
    double deadline = now() + 60;
    while (echoed < n && now() < deadline) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int j = 0; j < k; j++) {
            conn_t *c = evs[j].data.ptr;
            if (drain(c) < 0) { fprintf(stderr, "loadgen: server closed\n"); return 1; }
            if (c->got >= size && !c->connecting) { c->connecting = 1; echoed++; }
        }
    }
    printf("ready %d\n", echoed);
    fflush(stdout);
    double end = now() + seconds;
    while (now() < end) usleep(10000);
    for (int i = 0; i < n; i++) close(conns[i].fd);
    printf("connections %d\n", echoed);
    return echoed == n ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: loadgen echo|stream|connect|idle HOST:PORT|PATH "
                        "CONNECTIONS SIZE SECONDS\n");
        return 2;
    }
    const char *mode = argv[1];
    int n = atoi(argv[3]);
    size = (size_t)atol(argv[4]);
    double seconds = atof(argv[5]);
    if (parse_target(argv[2]) != 0) {
        fprintf(stderr, "loadgen: bad target %s\n", argv[2]);
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {  /* idle mode holds thousands of fds */
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    out = malloc(size);
    in = malloc(WINDOW);
    memset(out, 'x', size);
    if (!strcmp(mode, "echo")) return run_echo(n, seconds, 0);
    if (!strcmp(mode, "stream")) return run_echo(n, seconds, 1);
    if (!strcmp(mode, "connect")) { spread = 1; return run_connect(n, seconds); }
    if (!strcmp(mode, "idle")) { spread = 1; return run_idle(n, seconds); }
    fprintf(stderr, "loadgen: unknown mode %s\n", mode);
    return 2;
}
