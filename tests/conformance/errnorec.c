/*
 * errnorec: record what Linux's socket calls return after a reset or a
 * close, for the errno table of docs/fidelity.md.
 *
 * Run as root inside a network namespace of its own (errno-table.sh
 * makes one): it uses loopback, 127.0.0.1 port 5001, and an nftables table
 * "errnorec" to silence the peer where a situation needs it.
 *
 * For each situation (a socket brought to a state: reset received while
 * ESTABLISHED, a refused connect(), ...) and each call, it makes the
 * situation afresh, then makes that call twice on the socket, and prints
 * one line: "SITUATION CALL FIRST THEN", each result an errno name or "0"
 * for success (for recv(), 0 bytes: end of file). A fresh socket for every
 * call, because some results are reported once (the pending error, sk_err) and
 * would hide the call that follows.
 *
 * The sockets are non-blocking, as synfin's scripts and realrun's are;
 * connect() is followed by poll() and, where the situation says so,
 * getsockopt(SO_ERROR), which is how such an application learns the
 * outcome.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORT 5001

static const char *
ename(int e)
{
    switch (e) {
    case 0: return "0";
    case EPIPE: return "EPIPE";
    case ECONNRESET: return "ECONNRESET";
    case ENOTCONN: return "ENOTCONN";
    case EISCONN: return "EISCONN";
    case EALREADY: return "EALREADY";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ECONNABORTED: return "ECONNABORTED";
    case EINPROGRESS: return "EINPROGRESS";
    case EAGAIN: return "EAGAIN";
    case EINVAL: return "EINVAL";
    }
    return "E?";
}

static void
die(const char *what)
{
    perror(what);
    exit(1);
}

static void
sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void
nft(const char *rules)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "nft -f - <<'EOF'\n%s\nEOF\n", rules);
    if (system(cmd) != 0)
        die("nft");
}

/* Drop every segment the server sends (the client hears nothing more). */
static void
silence_server(bool on)
{
    if (on)
        nft("table inet errnorec {\n chain in {\n type filter hook input "
            "priority 0\n tcp sport 5001 drop\n }\n}");
    else
        nft("delete table inet errnorec");
}

static void
drop_syns(bool on)
{
    if (on)
        nft("table inet errnorec {\n chain in {\n type filter hook input "
            "priority 0\n tcp dport 5001 drop\n }\n}");
    else
        nft("delete table inet errnorec");
}

static struct sockaddr_in
server_addr(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int
listener(void)
{
    struct sockaddr_in a = server_addr();
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 8))
        die("listen");
    return fd;
}

/* A non-blocking connect; wait up to ms for it to finish (or fail). */
static int
nb_connect(int ms)
{
    struct sockaddr_in a = server_addr();
    struct pollfd p;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        die("socket");
    if (connect(fd, (struct sockaddr *)&a, sizeof a) && errno != EINPROGRESS)
        die("connect");
    p.fd = fd;
    p.events = POLLOUT;
    poll(&p, 1, ms);
    return fd;
}

static void
abort_close(int fd)
{
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

enum call { C_SEND, C_RECV, C_SHUT_WR, C_SHUT_RD, C_CONNECT, C_SO_ERROR };
static const char *const call_name[] = {
    "send", "recv", "shutdown(WR)", "shutdown(RD)", "connect", "SO_ERROR"};

static const char *
do_call(int fd, enum call c)
{
    static char buf[4096];
    struct sockaddr_in a = server_addr();
    int err = 0;
    socklen_t len = sizeof err;
    ssize_t r;

    switch (c) {
    case C_SEND:
        r = send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        return r < 0 ? ename(errno) : "0";
    case C_RECV:
        r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0)
            return "data";
        return r == 0 ? "0" : ename(errno);
    case C_SHUT_WR: return shutdown(fd, SHUT_WR) ? ename(errno) : "0";
    case C_SHUT_RD: return shutdown(fd, SHUT_RD) ? ename(errno) : "0";
    case C_CONNECT:
        return connect(fd, (struct sockaddr *)&a, sizeof a) ? ename(errno)
                                                            : "0";
    case C_SO_ERROR:
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
            return ename(errno);
        return ename(err);
    }
    return "?";
}

/* The situations. Each returns the client's socket, set up; *lfd and *peer
 * are closed by the caller. */
enum sit {
    S_RST_ESTABLISHED,
    S_RST_UNREAD,
    S_RST_CLOSE_WAIT,
    S_RST_FIN_WAIT_2,
    S_FIN_WAIT_1,
    S_FIN_WAIT_2,
    S_CLOSE_WAIT,
    S_TIME_WAIT,
    S_REFUSED,
    S_REFUSED_READ,
    S_TIMEDOUT,
    S_TIMEDOUT_READ,
    S__COUNT
};
static const char *const sit_name[] = {
    "reset-established",     "reset-unread-close",  "reset-close-wait",
    "reset-fin-wait-2",      "shut-wr-fin-wait-1",  "shut-wr-fin-wait-2",
    "peer-fin-close-wait",   "both-fins-time-wait", "refused",
    "refused-so-error-read", "timed-out",           "timed-out-so-error-read"};

static int
accept_one(int lfd)
{
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
        die("accept");
    return fd;
}

static int
situation(enum sit s, int *lfd, int *peer)
{
    int fd, err;
    socklen_t len = sizeof err;

    *lfd = *peer = -1;
    switch (s) {
    case S_REFUSED:
    case S_REFUSED_READ:
        fd = nb_connect(1000);
        sleep_ms(5);
        if (s == S_REFUSED_READ)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        return fd;
    case S_TIMEDOUT:
    case S_TIMEDOUT_READ:
        drop_syns(true);
        fd = nb_connect(10000);
        sleep_ms(5);
        drop_syns(false);
        if (s == S_TIMEDOUT_READ)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        return fd;
    default: break;
    }
    *lfd = listener();
    fd = nb_connect(1000);
    *peer = accept_one(*lfd);
    sleep_ms(5);
    switch (s) {
    case S_RST_ESTABLISHED:
        abort_close(*peer);
        *peer = -1;
        break;
    case S_RST_UNREAD:
        send(fd, "y", 1, MSG_NOSIGNAL);
        sleep_ms(5);
        close(*peer); /* our byte unread: RST */
        *peer = -1;
        break;
    case S_RST_CLOSE_WAIT:
        shutdown(*peer, SHUT_WR);
        sleep_ms(5);
        abort_close(*peer);
        *peer = -1;
        break;
    case S_RST_FIN_WAIT_2:
        shutdown(fd, SHUT_WR);
        sleep_ms(5);
        abort_close(*peer);
        *peer = -1;
        break;
    case S_FIN_WAIT_1:
        silence_server(true);
        shutdown(fd, SHUT_WR);
        break;
    case S_FIN_WAIT_2: shutdown(fd, SHUT_WR); break;
    case S_CLOSE_WAIT: shutdown(*peer, SHUT_WR); break;
    case S_TIME_WAIT:
        shutdown(fd, SHUT_WR);
        sleep_ms(5);
        shutdown(*peer, SHUT_WR);
        break;
    default: break;
    }
    sleep_ms(10);
    return fd;
}

int
main(void)
{
    for (int s = 0; s < S__COUNT; s++)
        for (int c = 0; c <= C_SO_ERROR; c++) {
            int lfd, peer, fd = situation((enum sit)s, &lfd, &peer);
            const char *first = do_call(fd, (enum call)c);
            const char *then;
            char f[32];
            snprintf(f, sizeof f, "%s", first);
            then = do_call(fd, (enum call)c);
            printf("%s %s %s %s\n", sit_name[s], call_name[c], f, then);
            fflush(stdout);
            if (s == S_FIN_WAIT_1)
                silence_server(false);
            abort_close(fd);
            if (peer >= 0)
                abort_close(peer);
            if (lfd >= 0)
                close(lfd);
            sleep_ms(5);
        }
    return 0;
}
