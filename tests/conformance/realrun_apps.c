/*
 * realrun's applications: the scenario's scripts, run with real
 * non-blocking sockets in one process, at the scripted times and on the
 * scripted events, in the same way src/app/app.c runs them: the server's
 * listening socket, then every client socket ("client", or each entry of
 * "clients" with its own options and script).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "realrun.h"
#include "realrun_errors.h"
#include "synfin/trace.h"

struct run {
    int64_t due_us;
    struct rsock *s;
    uint32_t step;
};

struct rsock socks[MAX_SOCKS];
static struct run runs[MAX_RUNS];
static size_t nruns;
static struct rsock *listener, *server_newest;
static char zeros[65536];

static struct rsock *
rsock_new(int side, const struct endpoint_cfg *cfg)
{
    for (size_t i = 0; i < MAX_SOCKS; i++) {
        struct rsock *s = &socks[i];
        if (s->used)
            continue;
        memset(s, 0, sizeof *s);
        s->used = true;
        s->fd = -1;
        s->side = (uint8_t)side;
        s->cfg = cfg;
        s->reuseaddr = cfg->reuseaddr;
        s->keepalive = cfg->keepalive;
        s->cork = cfg->cork;
        s->linger = cfg->linger;
        return s;
    }
    die(1, "too many sockets");
    return NULL;
}

static void
set_opt(struct rsock *s, enum sock_opt o)
{
    int one, lvl = SOL_SOCKET, name;
    struct linger lg;

    if (s->fd < 0)
        return;
    switch (o) {
    case OPT_SO_REUSEADDR:
        one = s->reuseaddr;
        name = SO_REUSEADDR;
        break;
    case OPT_SO_KEEPALIVE:
        one = s->keepalive;
        name = SO_KEEPALIVE;
        break;
    case OPT_TCP_CORK:
        one = s->cork;
        lvl = IPPROTO_TCP;
        name = SOL_TCP_CORK;
        break;
    case OPT_SO_LINGER:
        lg.l_onoff = s->linger >= 0;
        lg.l_linger = s->linger >= 0 ? s->linger : 0;
        setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        return;
    case OPT__COUNT:
    default: return;
    }
    setsockopt(s->fd, lvl, name, &one, sizeof one);
}

static int
ensure_fd(struct rsock *s)
{
    if (s->fd >= 0)
        return 0;
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        return errno;
    if (s->reuseaddr)
        set_opt(s, OPT_SO_REUSEADDR);
    if (s->keepalive)
        set_opt(s, OPT_SO_KEEPALIVE);
    if (s->cork)
        set_opt(s, OPT_TCP_CORK);
    if (s->linger >= 0)
        set_opt(s, OPT_SO_LINGER);
    return 0;
}

static int
do_bind(struct rsock *s, uint16_t port)
{
    struct sockaddr_in sin = {.sin_family = AF_INET,
                              .sin_port = htons(port),
                              .sin_addr.s_addr = htonl(addr[s->side])};
    int err = ensure_fd(s);

    if (err)
        return err;
    return bind(s->fd, (struct sockaddr *)&sin, sizeof sin) ? errno : 0;
}

static void app_event(struct rsock *s, enum app_event ev, int err, long bytes);

static void
flush_send(struct rsock *s)
{
    while (s->unsent > 0 && s->fd >= 0) {
        size_t n = s->unsent > sizeof zeros ? sizeof zeros : s->unsent;
        ssize_t w = send(s->fd, zeros, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        s->unsent -= (uint64_t)w;
    }
}

/* Linux reports a socket whose TCB is gone as TCP_CLOSE. */
static int
tcpi_state(const struct rsock *s)
{
    uint8_t ti[256]; /* struct tcp_info: tcpi_state comes first */
    socklen_t len = sizeof ti;

    if (s->fd < 0 ||
        getsockopt(s->fd, IPPROTO_TCP, SOL_TCP_INFO, ti, &len) < 0 || len < 1)
        return -1;
    return ti[0];
}

static void
run_step(struct rsock *s, const struct script_step *st)
{
    int err = 0;
    long n = 0;
    const char *detail = NULL;

    gate_close();

    switch (st->call) {
    case CALL_LISTEN:
        if (!s->listening) {
            uint16_t port = st->port ? st->port : scn->server.port;
            err = do_bind(s, port);
            if (!err && listen(s->fd, 16) < 0)
                err = errno;
            s->listening = !err;
            n = port;
        } else {
            err = EINVAL;
        }
        break;
    case CALL_BIND:
        err = do_bind(s, st->port);
        n = st->port;
        break;
    case CALL_CONNECT: {
        /* The server connects only to the client, for a simultaneous
         * open (its script must give the client's port). */
        int peer = s->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
        uint16_t rport = st->port ? st->port : scn->server.port;
        struct sockaddr_in sin = {.sin_family = AF_INET,
                                  .sin_port = htons(rport),
                                  .sin_addr.s_addr = htonl(addr[peer])};
        struct sockaddr_in me;
        socklen_t ml = sizeof me;
        /* Our address, and a port: the socket's own, or one connect()
         * picks from the range (realrun_ports.c). */
        if (s->fd < 0) {
            if (!s->cfg->port && !(err = ensure_fd(s)))
                err = ports_leave_to_connect(s->fd);
            if (!err)
                err = do_bind(s, s->cfg->port);
        }
        if (!err && connect(s->fd, (struct sockaddr *)&sin, sizeof sin) < 0 &&
            errno != EINPROGRESS)
            err = errno;
        if (!err) {
            s->connecting = true;
            if (s->side == SIDE_SERVER)
                server_newest = s; /* its later steps act on it */
            if (getsockname(s->fd, (struct sockaddr *)&me, &ml) == 0)
                n = ntohs(me.sin_port);
        }
        break;
    }
    case CALL_SEND:
        n = st->bytes;
        if (s->fd < 0 || s->listening) {
            err = ENOTCONN;
        } else {
            ssize_t w = send(s->fd, zeros, 0, MSG_NOSIGNAL);
            if (w < 0 && errno != EAGAIN) {
                err = errno;
            } else {
                s->unsent += st->bytes;
                flush_send(s);
            }
        }
        break;
    case CALL_RECV: {
        uint64_t want = st->bytes ? st->bytes : (uint64_t)-1;
        static char buf[65536];
        if (s->fd < 0 || s->listening)
            err = ENOTCONN;
        while (s->fd >= 0 && want > 0) {
            ssize_t r =
                recv(s->fd, buf, want > sizeof buf ? sizeof buf : want, 0);
            /* Nothing yet (EAGAIN) and end of file are both 0 bytes in
             * synfin; an error is the call's result. */
            if (r < 0 && n == 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                err = errno;
            if (r <= 0)
                break;
            n += r;
            want -= (uint64_t)r;
        }
        s->inq = s->inq > n ? s->inq - n : 0;
        break;
    }
    case CALL_SHUTDOWN:
        detail = st->how == SHUT_HOW_RD   ? "SHUT_RD"
                 : st->how == SHUT_HOW_WR ? "SHUT_WR"
                                          : "SHUT_RDWR";
        if (s->fd < 0 ||
            shutdown(s->fd, st->how == SHUT_HOW_RD   ? SHUT_RD
                            : st->how == SHUT_HOW_WR ? SHUT_WR
                                                     : SHUT_RDWR) < 0)
            err = s->fd < 0 ? ENOTCONN : errno;
        break;
    case CALL_CLOSE:
        if (st->listener && !s->listening) {
            err = EINVAL;
            break;
        }
        if (st->listener)
            detail = "listening socket";
        /* Like the engine: what close() leaves unsent is lost with it
         * unless the kernel already has it. */
        if (s->fd >= 0)
            close(s->fd);
        s->fd = -1;
        s->app_closed = true;
        s->listening = false;
        break;
    case CALL_SETSOCKOPT:
        n = st->value;
        detail = sock_opt_name((enum sock_opt)st->opt);
        switch ((enum sock_opt)st->opt) {
        case OPT_SO_REUSEADDR: s->reuseaddr = st->value != 0; break;
        case OPT_SO_KEEPALIVE: s->keepalive = st->value != 0; break;
        case OPT_TCP_CORK: s->cork = st->value != 0; break;
        case OPT_SO_LINGER: s->linger = st->value; break;
        case OPT__COUNT: break;
        }
        set_opt(s, (enum sock_opt)st->opt);
        break;
    case CALL_SET: {
        /* The namespace's sysctl, at this moment (apps_check made sure
         * Linux's unit can say the value). */
        const struct tcp_setting_info *info =
            tcp_setting_info((enum tcp_setting)st->setting);
        n = (long)st->set_value;
        detail = info->key;
        /* tcp_tw_reuse 2 is "on loopback only": these hosts are, synfin's
         * are not (apply_tcp_params says the same). */
        sysctl(info->sysctl,
               st->setting == SET_TW_REUSE ? st->set_value == 1
               : info->in_seconds          ? st->set_value / 1000000
                                           : st->set_value,
               true);
        break;
    }
    case CALL_CRASH:
    case CALL__COUNT: err = EOPNOTSUPP; break;
    }
    rec_call(s->side, st->call, err, n, detail);
}

static void
fire_steps(struct rsock *s, enum app_event ev)
{
    const struct endpoint_cfg *cfg = s->cfg;

    for (size_t i = 0; i < cfg->nsteps && i < 64; i++) {
        const struct script_step *st = &cfg->steps[i];
        if (st->on != ev || (s->fired & (1ull << i)))
            continue;
        s->fired |= 1ull << i;
        if (nruns == MAX_RUNS)
            die(1, "too many pending steps");
        runs[nruns].due_us = now_us() + (int64_t)st->after_us;
        runs[nruns].s = s;
        runs[nruns].step = (uint32_t)i;
        nruns++;
    }
}

static void
app_event(struct rsock *s, enum app_event ev, int err, long bytes)
{
    if (s->app_closed)
        return;
    rec_app(s->side, ev, err, bytes);
    if (ev == EV_CLOSED)
        s->gone = true;
    fire_steps(s, ev);
    if (ev == EV_RESET)
        fire_steps(s, EV_ERROR);
}

/* Where a connected socket goes: its ports, for the error reports. */
static void
note_ports(struct rsock *s)
{
    struct sockaddr_in me, peer;
    socklen_t ml = sizeof me, pl = sizeof peer;

    if (getsockname(s->fd, (struct sockaddr *)&me, &ml) == 0 &&
        getpeername(s->fd, (struct sockaddr *)&peer, &pl) == 0) {
        s->lport = ntohs(me.sin_port);
        s->rport = ntohs(peer.sin_port);
    }
}

/*
 * The error a connected socket's connection ended with, left pending for
 * the application's next call: poll() says whether there is one
 * (tcp_poll: EPOLLERR while sk_err is set), the tracepoint which. 0: none.
 */
static int
pending_error(struct rsock *s)
{
    struct pollfd p = {.fd = s->fd, .events = 0};

    if (poll(&p, 1, 0) != 1 || !(p.revents & POLLERR))
        return 0;
    /* sk_error_report follows the state change that may have woken us. */
    for (int tries = 0; tries < 100; tries++) {
        struct timespec ms = {0, 1000000};
        int err;
        trace_drain();
        if ((err = errors_take(s->lport, s->rport)))
            return err;
        nanosleep(&ms, NULL);
    }
    die(1,
        "poll() finds an error on the %s's socket, but the tracepoint "
        "did not say which",
        side_name[s->side]);
    return 0;
}

/* The socket's TCB is gone with an error: what the engine reports. */
static void
sock_error(struct rsock *s, int err)
{
    if (s->gone)
        return;
    /* A pending EPIPE is a RST too: tcp_reset sets it in CLOSE-WAIT (an
     * EPIPE from send() is the call's result, not reported here). */
    app_event(s,
              err == ECONNRESET || err == ECONNREFUSED || err == EPIPE
                  ? EV_RESET
                  : EV_ERROR,
              err, 0);
    app_event(s, EV_CLOSED, 0, 0);
    s->gone = true;
}

/*
 * An application that does not read as data arrives is told of it (as
 * synfin tells it) from the receive queue's length, SIOCINQ, and of the
 * peer's FIN from POLLRDHUP (RCV_SHUTDOWN), which a reset sets too: with
 * an error pending, that is not an end of file. Called on every turn of
 * the loop, since poll() cannot wait for more data while some is unread.
 */
void
apps_notice_input(struct rsock *s, short re)
{
    int q = 0;

    if (s->cfg->autoread || !s->connected || s->gone || s->fd < 0)
        return;
    if (ioctl(s->fd, SIOCINQ, &q) == 0 && q > s->inq) {
        app_event(s, EV_DATA, 0, q - s->inq);
        s->inq = q;
    }
    if ((re & POLLRDHUP) && !(re & POLLERR) && !s->eof) {
        s->eof = true;
        app_event(s, EV_EOF, 0, 0);
    }
}

void
apps_on_ready(struct rsock *s, short re)
{
    if (s->listening) {
        if (re & POLLIN) {
            int fd;
            while ((fd = accept4(s->fd, NULL, NULL,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                struct rsock *c = rsock_new(SIDE_SERVER, &scn->server);
                c->fd = fd;
                c->connected = true;
                c->reuseaddr = s->reuseaddr;
                c->keepalive = s->keepalive;
                c->linger = s->linger;
                note_ports(c);
                server_newest = c;
                app_event(c, EV_CONNECTED, 0, 0);
            }
        }
        return;
    }
    if (s->connecting && (re & (POLLOUT | POLLERR | POLLHUP))) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        s->connecting = false;
        if (err) {
            sock_error(s, err);
            return;
        }
        s->connected = true;
        note_ports(s);
        app_event(s, EV_CONNECTED, 0, 0);
    }
    if (!s->connected || s->gone)
        return;
    if (re & POLLOUT)
        flush_send(s);
    apps_notice_input(s, re);
    if ((re & (POLLIN | POLLERR | POLLHUP | POLLRDHUP)) && s->cfg->autoread) {
        static char buf[65536];
        for (;;) {
            ssize_t r = recv(s->fd, buf, sizeof buf, 0);
            if (r > 0) {
                app_event(s, EV_DATA, 0, r);
                continue;
            }
            if (r == 0) {
                if (!s->eof) {
                    s->eof = true;
                    app_event(s, EV_EOF, 0, 0);
                }
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                sock_error(s, errno);
                return;
            }
            break;
        }
    }
    if (re & POLLERR) {
        int err = pending_error(s);
        if (err)
            sock_error(s, err);
    }
}

/*
 * Linux shows a socket whose TCB is gone as TCP_CLOSE. Before reporting
 * that, read what the socket still holds (data, EOF) and its error, so
 * that the application learns things in the order the engine tells them,
 * whichever of poll() and this check sees the change first.
 */
void
apps_check_gone(struct rsock *s)
{
    int err = 0;
    socklen_t len = sizeof err;

    if (s->gone || s->app_closed || s->listening || s->fd < 0 ||
        (!s->connected && !s->connecting))
        return;
    if (tcpi_state(s) != 7 /* TCP_CLOSE */)
        return;
    if (s->connected) {
        /* What poll() would say now: data, end of file, error. */
        struct pollfd p = {.fd = s->fd, .events = POLLIN | POLLRDHUP};
        if (poll(&p, 1, 0) < 0)
            p.revents = 0;
        apps_on_ready(s, (short)(p.revents | POLLIN));
    }
    if (s->gone)
        return;
    if (s->connected)
        err = pending_error(s);
    else /* a connect's outcome, which the application reads */
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
        sock_error(s, err);
        return;
    }
    if (s->connecting) /* closed before it connected, without an error */
        s->connecting = false;
    app_event(s, EV_CLOSED, 0, 0);
}

static struct rsock *
server_target(const struct script_step *st)
{
    switch (st->call) {
    case CALL_LISTEN:
    case CALL_BIND:
    case CALL_SETSOCKOPT:
    case CALL_CRASH:
    case CALL_SET:
    case CALL_CONNECT: return listener; /* the server's own socket */
    case CALL_CLOSE: return st->listener ? listener : server_newest;
    case CALL_SEND:
    case CALL_RECV:
    case CALL_SHUTDOWN:
    case CALL__COUNT: break;
    }
    return server_newest;
}

/* s's timed steps, in time order (stable, as the engine's). */
static void
sort_timed(struct rsock *s)
{
    const struct endpoint_cfg *cfg = s->cfg;
    size_t n = 0;

    for (size_t i = 0; i < cfg->nsteps && n < 64; i++)
        if (cfg->steps[i].on == EV_NONE)
            s->timed[n++] = (uint32_t)i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cfg->steps[s->timed[j - 1]].at_us >
                                        cfg->steps[s->timed[j]].at_us;
             j--) {
            uint32_t t = s->timed[j];
            s->timed[j] = s->timed[j - 1];
            s->timed[j - 1] = t;
        }
    s->ntimed = n;
}

/* A "set" of a setting Linux counts in seconds must be whole seconds. */
static void
check_sets(const struct endpoint_cfg *e)
{
    for (size_t i = 0; i < e->nsteps; i++) {
        const struct script_step *st = &e->steps[i];
        const struct tcp_setting_info *info;
        if (st->call != CALL_SET)
            continue;
        info = tcp_setting_info((enum tcp_setting)st->setting);
        if (info->in_seconds && st->set_value % 1000000)
            die(2, "set %s: Linux takes whole seconds", info->key);
    }
}

void
apps_check(const struct scenario *s)
{
    if (s->nclients == 0 && (s->client.count != 1 || s->client.hosts != 1))
        die(2, "client.count and client.hosts must be 1");
    if (s->nclients + 1 > MAX_SOCKS / 2)
        die(2, "at most %d client sockets", MAX_SOCKS / 2 - 1);
    for (size_t i = 0; i < s->nclients; i++) {
        if (s->clients[i].addr_index != 0)
            die(2, "clients[%zu].address: one client address only", i);
        if (s->clients[i].nsteps > 64)
            die(2, "at most 64 script steps per socket");
    }
    if (s->client.nsteps > 64 || s->server.nsteps > 64)
        die(2, "at most 64 script steps per host");
    check_sets(&s->client);
    check_sets(&s->server);
    for (size_t i = 0; i < s->nclients; i++)
        check_sets(&s->clients[i]);
}

/*
 * The engine arms the server's listening socket first, then the client
 * sockets in order; each keeps one timer for its next timed step, and the
 * sim fires timers due at the same time in the order they were armed.
 * armed[] keeps that order here.
 */
static struct rsock *scripted[MAX_SOCKS];
static uint64_t armed[MAX_SOCKS], arm_count;
static size_t nscripted;

void
apps_start(void)
{
    listener = rsock_new(SIDE_SERVER, &scn->server);
    scripted[nscripted++] = listener;
    if (scn->nclients == 0)
        scripted[nscripted++] = rsock_new(SIDE_CLIENT, &scn->client);
    for (size_t i = 0; i < scn->nclients; i++)
        scripted[nscripted++] = rsock_new(SIDE_CLIENT, &scn->clients[i]);
    for (size_t i = 0; i < nscripted; i++) {
        sort_timed(scripted[i]);
        armed[i] = arm_count++;
    }
}

static int64_t
timed_due(const struct rsock *s)
{
    return s->next_timed < s->ntimed
               ? (int64_t)s->cfg->steps[s->timed[s->next_timed]].at_us
               : -1;
}

int64_t
apps_next_due(void)
{
    int64_t due = -1;

    for (size_t i = 0; i < nscripted; i++) {
        int64_t at = timed_due(scripted[i]);
        if (at >= 0 && (due < 0 || at < due))
            due = at;
    }
    for (size_t i = 0; i < nruns; i++)
        if (due < 0 || runs[i].due_us < due)
            due = runs[i].due_us;
    return due;
}

void
apps_run_due(void)
{
    int64_t t = now_us();

    /* Timed steps in time order, ties in the order they were armed. */
    for (;;) {
        size_t best = nscripted;
        for (size_t i = 0; i < nscripted; i++) {
            int64_t at = timed_due(scripted[i]), b;
            if (at < 0 || at > t)
                continue;
            b = best < nscripted ? timed_due(scripted[best]) : -1;
            if (best == nscripted || at < b ||
                (at == b && armed[i] < armed[best]))
                best = i;
        }
        if (best == nscripted)
            break;
        {
            struct rsock *owner = scripted[best];
            const struct script_step *st =
                &owner->cfg->steps[owner->timed[owner->next_timed++]];
            struct rsock *s =
                owner->side == SIDE_CLIENT ? owner : server_target(st);
            armed[best] = arm_count++;
            if (s)
                run_step(s, st);
            else
                rec_call(owner->side, st->call, ENOTCONN, 0,
                         "no accepted connection");
        }
    }
    for (;;) {
        size_t best = nruns;
        for (size_t i = 0; i < nruns; i++)
            if (runs[i].due_us <= t &&
                (best == nruns || runs[i].due_us < runs[best].due_us))
                best = i;
        if (best == nruns)
            break;
        {
            struct run r = runs[best];
            runs[best] = runs[--nruns];
            run_step(r.s, &r.s->cfg->steps[r.step]);
        }
    }
}
