/* Echo load generator: C connections each send SIZE bytes and wait for all
 * SIZE bytes back, then repeat, for SECONDS.  Prints "requests N".  Raw epoll,
 * one thread, so it stays far cheaper per request than any server it drives.
 *
 *   loadgen HOST PORT CONNECTIONS SIZE SECONDS
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct { int fd; size_t sent, got; } conn_t;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: loadgen HOST PORT CONNECTIONS SIZE SECONDS\n");
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]), n = atoi(argv[3]);
    size_t size = (size_t)atol(argv[4]);
    double seconds = atof(argv[5]);
    char *out = malloc(size), *in = malloc(size > 65536 ? size : 65536);
    memset(out, 'x', size);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "loadgen: bad IPv4 address %s\n", host);
        return 2;
    }
    int ep = epoll_create1(0);
    conn_t *conns = calloc(n, sizeof(conn_t));
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            perror("loadgen: connect");
            return 1;
        }
        fcntl(fd, F_SETFL, O_NONBLOCK);
        conns[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = &conns[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    long requests = 0;
    double end = now() + seconds;
    struct epoll_event evs[256];
    while (now() < end) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int j = 0; j < k; j++) {
            conn_t *c = evs[j].data.ptr;
            if ((evs[j].events & EPOLLOUT) && c->sent < size) {
                ssize_t w = write(c->fd, out + c->sent, size - c->sent);
                if (w > 0) c->sent += (size_t)w;
                if (c->sent == size) {
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (evs[j].events & EPOLLIN) {
                for (;;) {
                    ssize_t r = read(c->fd, in, size > 65536 ? 65536 : size);
                    if (r <= 0) {
                        if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                            fprintf(stderr, "loadgen: server closed a connection\n");
                            return 1;
                        }
                        break;
                    }
                    c->got += (size_t)r;
                }
                if (c->got >= size && c->sent == size) {
                    requests++;
                    c->got -= size;
                    c->sent = 0;
                    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
        }
    }
    printf("requests %ld\n", requests);
    for (int i = 0; i < n; i++) close(conns[i].fd);
    return 0;
}
