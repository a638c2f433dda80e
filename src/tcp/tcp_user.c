/*
 * RFC 9293 §3.10.1-6 user calls, as the socket calls students write:
 * listen/connect = OPEN, send = SEND, recv = RECEIVE, shutdown/close =
 * CLOSE, close with SO_LINGER 0 or unread data = ABORT. Each returns 0 or
 * an errno value, which the trace shows.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine.h"

/*
 * May sock s bind port on its host? Linux (inet_csk_get_port ->
 * inet_csk_bind_conflict -> inet_bind_conflict): a listener on the port
 * always conflicts; any other socket on the same address and port (only
 * bound, connected, or a TIME-WAIT one, which keeps its socket's
 * SO_REUSEADDR) conflicts unless both it and s have SO_REUSEADDR.
 */
static int
bind_check(struct sock *s, uint16_t port)
{
    struct host *h = s->host;

    if (conn_table_listener(h, port) ||
        conn_table_port_taken(h, s->laddr, port, s->reuseaddr) ||
        sock_port_bound(h, s, s->laddr, port))
        return EADDRINUSE;
    return 0;
}

static void
copy_options(struct tcb *tcb, const struct sock *s)
{
    tcb->reuseaddr = s->reuseaddr;
    tcb->keepalive = s->keepalive;
    tcb->cork = s->cork;
    tcb->ttl = tcp_ttl(s->w, s->cfg);
    tcb->rcv_wnd = s->w->tcp.window;
}

static bool
linux_profile(const struct sock *s)
{
    return s->w->scn->tcp.profile == PROFILE_LINUX;
}

/* Linux sock_error(): the pending error, reported once. */
static int
take_error(struct sock *s)
{
    int err = s->pending_err;
    s->pending_err = 0;
    return err;
}

/* The connection as the application's socket sees it: NULL once it is
 * gone, and in the linux profile once it is in TIME-WAIT, which Linux
 * hands to a timewait socket, leaving the application's in TCP_CLOSE
 * (tcp_time_wait, tcp_done). */
static struct tcb *
sock_conn(const struct sock *s)
{
    struct tcb *tcb = s->tcb;

    if (!tcb || tcb->dead || (linux_profile(s) && tcb->state == TCP_TIME_WAIT))
        return NULL;
    return tcb;
}

/* A socket whose connection is gone, in the linux profile: is it one that
 * had a connection (Linux: TCP_CLOSE with sk_shutdown = SHUTDOWN_MASK, set
 * by tcp_done), rather than one never connected? */
static bool
linux_after_end(const struct sock *s)
{
    return linux_profile(s) && s->had_conn && !s->listening && !sock_conn(s);
}

int
tcp_user_listen(struct sock *s, uint16_t port)
{
    struct host *h = s->host;
    struct tcb *tcb;
    int err;

    if (s->listening)
        return EINVAL;
    if (h->nlisteners == sizeof h->listeners / sizeof h->listeners[0])
        return ENOBUFS;
    if (!port)
        port = s->port ? s->port : s->cfg->port;
    if (port != s->port && (err = bind_check(s, port)))
        return err;
    tcb = tcp_tcb_new(h, 0);
    tcb->laddr = s->laddr;
    tcb->lport = port;
    tcb->sock = s;
    copy_options(tcb, s);
    s->tcb = tcb;
    s->port = port;
    s->listening = true;
    conn_table_add_listener(tcb); /* there is room: checked above */
    tcp_set_state(tcb, TCP_LISTEN,
                  "§3.10.1 OPEN (passive): listen() waits for a SYN");
    return 0;
}

int
tcp_user_bind(struct sock *s, uint16_t port)
{
    int err;

    if (s->port)
        return EINVAL;
    if ((err = bind_check(s, port)))
        return err;
    s->port = port;
    s->bound = true;
    s->host->nbound++;
    return 0;
}

/* The next ephemeral port in the endpoint's range whose 4-tuple is free
 * (Linux: inet_hash_connect; a 4-tuple in TIME-WAIT is taken). */
static uint16_t
pick_port(struct sock *s, uint32_t raddr, uint16_t rport)
{
    uint32_t lo = s->cfg->port_lo, hi = s->cfg->port_hi;
    struct host *h = s->host;

    /* The same search failed and no port has come free since, nor may a
     * TIME-WAIT be taken over yet: it would fail again, after a walk over
     * the whole range (which leaves next_port where it was). Without this,
     * clients beyond the range take quadratic time. */
    if (h->no_port.valid && h->no_port.freed == h->freed &&
        sim_now(s->w->sim) <= h->no_port.reuse_at &&
        h->no_port.tw_reuse == s->w->tcp.tw_reuse &&
        h->no_port.laddr == s->laddr && h->no_port.raddr == raddr &&
        h->no_port.rport == rport && h->no_port.lo == lo && h->no_port.hi == hi)
        return 0;
    h->no_port.reuse_at = UINT64_MAX;
    for (uint32_t tries = 0; tries <= hi - lo; tries++) {
        uint16_t port;
        struct tcb *old;

        if (h->next_port < lo || h->next_port > hi)
            h->next_port = lo;
        port = (uint16_t)h->next_port;
        h->next_port = h->next_port >= hi ? lo : h->next_port + 1;
        old = conn_table_lookup(h, s->laddr, port, raddr, rport);
        if ((!old || tcp_tw_reusable(old, true)) &&
            !conn_table_listener(h, port) &&
            !sock_port_bound(h, NULL, s->laddr, port))
            return port;
        if (old && tcp_tw_reuse_after(old) < h->no_port.reuse_at)
            h->no_port.reuse_at = tcp_tw_reuse_after(old);
    }
    h->no_port.valid = true;
    h->no_port.tw_reuse = s->w->tcp.tw_reuse;
    h->no_port.freed = h->freed;
    h->no_port.laddr = s->laddr;
    h->no_port.raddr = raddr;
    h->no_port.rport = rport;
    h->no_port.lo = (uint16_t)lo;
    h->no_port.hi = (uint16_t)hi;
    return 0;
}

/*
 * connect() on a socket that has been connected, as Linux answers it
 * (__inet_stream_connect), from socket->state: EISCONN once the socket is
 * SS_CONNECTED (accepted, shut down, or a second connect() saw it
 * established); while SS_CONNECTING, as after a non-blocking connect(),
 * EALREADY during the handshake, 0 once established (and it is
 * SS_CONNECTED), and after the end the pending error, or ECONNABORTED, and
 * the socket is unconnected again: the next connect() starts a new
 * connection. -1: none of these, go on.
 */
static int
linux_connect_again(struct sock *s)
{
    const struct tcb *tcb = sock_conn(s);

    switch ((enum sock_ss)s->ss) {
    case SS_CONNECTED: return EISCONN;
    case SS_CONNECTING:
        if (tcb &&
            (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED))
            return EALREADY;
        if (tcb) {
            s->ss = SS_CONNECTED;
            return 0;
        }
        s->ss = SS_UNCONNECTED;
        {
            int err = take_error(s);
            return err ? err : ECONNABORTED;
        }
    case SS_DISCONNECTING: return EINVAL;
    case SS_UNCONNECTED: break;
    }
    return -1;
}

int
tcp_user_connect(struct sock *s, uint16_t rport, bool has_isn, uint32_t isn)
{
    struct world *w = s->w;
    struct host *h = s->host;
    int peer = s->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    uint32_t raddr = host_addr(w, peer);
    uint16_t lport;
    struct tcb *tcb, *tw;
    int err;

    if (s->listening)
        return EINVAL;
    if (linux_profile(s) && (err = linux_connect_again(s)) >= 0)
        return err;
    if (s->tcb && !s->tcb->dead)
        return EISCONN;
    if (!rport)
        rport = w->scn->server.port;
    if (s->side == SIDE_SERVER) {
        /* A server connects only to meet a client's SYN (simultaneous
         * open), from its own port unless it bound another. */
        if (!s->conn)
            s->conn = 1;
        if (!s->port)
            s->port = s->cfg->port;
    }
    /* Linux: a fixed port is bound before connect(), with bind()'s
     * rules (the engine's client "port"; realrun binds it). */
    if (s->port && !s->bound && w->tcp.profile == PROFILE_LINUX) {
        if ((err = bind_check(s, s->port)) != 0)
            return err;
        s->bound = true;
        h->nbound++;
    }
    if (s->port) {
        lport = s->port;
        tw = conn_table_lookup(h, s->laddr, lport, raddr, rport);
        if (tw && !tcp_tw_reusable(tw, false))
            return EADDRNOTAVAIL;
    } else if (!(lport = pick_port(s, raddr, rport))) {
        return EADDRNOTAVAIL;
    } else {
        tw = conn_table_lookup(h, s->laddr, lport, raddr, rport);
    }
    tcb = tcp_tcb_new(h, s->conn);
    tcb->laddr = s->laddr;
    tcb->lport = lport;
    tcb->raddr = raddr;
    tcb->rport = rport;
    tcb->sock = s;
    copy_options(tcb, s);
    tcb->iss = has_isn ? isn : tcp_choose_isn(tcb, s->cfg);
    if (tw) { /* in TIME-WAIT, and tcp_tw_reusable said yes */
        tcp_tw_take_over(tcb, tw);
        /* A pinned ISN (the step's, the socket's) wins over the one the
         * TIME-WAIT hands on: the scenario chose its numbers. */
        if (has_isn || s->cfg->has_isn)
            tcb->iss = has_isn ? isn : s->cfg->isn;
    }
    tcb->snd_una = tcb->iss;
    tcb->snd_nxt = tcb->snd_max = tcb->iss + 1;
    tcb->snd_wnd = 1; /* until the peer tells us its window */
    tcb->live->first_tx_us = sim_now(w->sim);
    s->tcb = tcb;
    s->ss = SS_CONNECTING;
    s->had_conn = true;
    s->connected_once = s->peer_fin = false;
    s->pending_err = 0;
    s->unread_left = 0;
    conn_table_insert(tcb);
    tcp_set_state(tcb, TCP_SYN_SENT,
                  "§3.10.1 OPEN (active): connect() sends SYN, enter "
                  "SYN-SENT");
    tcp_send_syn(tcb, false);
    return 0;
}

int
tcp_user_send(struct sock *s, uint32_t bytes)
{
    struct tcb *tcb = s->tcb;
    int err;

    /* Linux (tcp_sendmsg_locked, sk_stream_error): the pending error
     * first, then EPIPE, the socket being shut for sending (tcp_done). */
    if (linux_after_end(s))
        return (err = take_error(s)) ? err : EPIPE;
    if (!tcb || tcb->dead || s->listening)
        return ENOTCONN;
    switch (tcb->state) {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        /* "Queue the data for transmission" (after the handshake in the
         * SYN states). */
        if (tcb->fin_queued)
            return EPIPE;
        tcb->unsent += bytes;
        tcp_output(tcb);
        return 0;
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Return 'error: connection closing' and do not service
         * request." */
        return EPIPE;
    case TCP_CLOSED:
    case TCP_LISTEN: break;
    }
    return ENOTCONN;
}

int
tcp_user_recv(struct sock *s, uint32_t bytes, uint32_t *got)
{
    struct tcb *tcb = s->tcb;

    *got = 0;
    if (linux_after_end(s)) {
        /* tcp_recvmsg_locked: data still queued first, then 0 if the
         * peer's FIN came (SOCK_DONE), then the pending error, then 0
         * (RCV_SHUTDOWN, set by tcp_done). */
        uint32_t *left = tcb && !tcb->dead ? &tcb->unread : &s->unread_left;
        *got = bytes == 0 || bytes > *left ? *left : bytes;
        *left -= *got;
        return *got || s->peer_fin ? 0 : take_error(s);
    }
    if (!tcb || s->listening)
        return ENOTCONN;
    *got = bytes == 0 || bytes > tcb->unread ? tcb->unread : bytes;
    tcb->unread -= *got;
    return 0;
}

/* CLOSE for the sending direction: queue a FIN after the data. */
static int
close_send(struct tcb *tcb)
{
    switch (tcb->state) {
    case TCP_SYN_SENT:
        /* "Delete the TCB and return 'error: closing' responses to any
         * queued SENDs" */
        tcp_close_tcb(tcb, END_REFUSED, 0,
                      "§3.10.4 CLOSE in SYN-SENT: delete the TCB");
        return 0;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        tcb->fin_queued = true;
        tcp_output(tcb);
        return 0;
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
        /* "Strictly speaking, this is an error ... An 'ok' response
         * would be acceptable, too, as long as a second FIN is not
         * emitted" (Linux: 0, tcp_shutdown does nothing). */
        return 0;
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Respond with 'error: connection closing'" (EPIPE, as SEND's
         * is); Linux answers 0 (inet_shutdown; TIME-WAIT's socket is
         * closed already, see sock_conn). */
        return tcb->w->scn->tcp.profile == PROFILE_LINUX ? 0 : EPIPE;
    case TCP_CLOSED:
    case TCP_LISTEN: break;
    }
    return ENOTCONN;
}

int
tcp_user_shutdown(struct sock *s, int how)
{
    struct tcb *tcb = s->tcb;

    /* inet_shutdown: a socket still SS_CONNECTING becomes SS_CONNECTED,
     * or SS_DISCONNECTING in the handshake or once closed. */
    if (linux_profile(s) && s->ss == SS_CONNECTING)
        s->ss = sock_conn(s) && tcb->state != TCP_SYN_SENT &&
                        tcb->state != TCP_SYN_RECEIVED
                    ? SS_CONNECTED
                    : SS_DISCONNECTING;
    if (!sock_conn(s) || s->listening)
        return ENOTCONN;
    if (how & SHUT_HOW_RD)
        tcb->rd_shut = true;
    if (how & SHUT_HOW_WR)
        return close_send(tcb);
    return 0;
}

void
tcp_abort(struct tcb *tcb, const char *why)
{
    switch (tcb->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        /* §3.10.5 ABORT: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
         * (Linux adds ACK: the profile's abort_ack). */
        tcp_send_rst(tcb);
        break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Respond with 'ok' and delete the TCB" */
        break;
    }
    tcp_close_tcb(tcb, END_ABORTED, 0, why);
}

/*
 * close(): the application lets go of the socket. The connection lives on
 * as an orphan until its FIN is ACKed and TIME-WAIT is over, unless the
 * close must abort: SO_LINGER {on, 0}, or unread data (RFC 1122
 * §4.2.2.13: "If such a host issues a CLOSE call while received data is
 * still pending in TCP, or if new data is received after CLOSE is called,
 * its TCP SHOULD send a RST"; RFC 2525 §2.17 explains why; Linux
 * tcp_close).
 */
int
tcp_user_close(struct sock *s)
{
    struct tcb *tcb = s->tcb;
    const struct tcp_params *p = &s->w->tcp;

    if (s->listening)
        return tcp_user_close_listener(s);
    s->closed = true;
    if (s->bound)
        s->host->freed++; /* a port only bound may come free */
    if (!tcb || tcb->dead)
        return 0;
    tcb->sock = NULL;
    s->tcb = NULL;
    if (s->linger == 0) {
        tcp_abort(tcb, "close() with SO_LINGER {on, 0}: abort with RST, "
                       "no TIME-WAIT");
        return 0;
    }
    if (tcb->unread > 0) {
        tcp_abort(tcb, "close() with unread data: abort with RST "
                       "(RFC 1122 §4.2.2.13, Linux)");
        return 0;
    }
    close_send(tcb);
    if (!tcb->dead && tcb->state == TCP_FIN_WAIT_2 && p->fin_timeout_us)
        tcp_timer_set(tcb, TIMER_FIN_WAIT_2, p->fin_timeout_us);
    return 0;
}

int
tcp_user_close_listener(struct sock *s)
{
    struct host *h = s->host;
    struct tcb *lst = s->tcb;

    if (!s->listening || !lst)
        return EINVAL;
    /* Connections still in the handshake die with their listener. */
    {
        struct tcb **tcbs;
        size_t n = conn_table_tcbs(h, &tcbs);
        for (size_t i = 0; i < n; i++)
            if (!tcbs[i]->dead && tcbs[i]->state == TCP_SYN_RECEIVED &&
                tcbs[i]->live->listener == s)
                tcp_close_tcb(tcbs[i], END_ABORTED, 0,
                              "listening socket closed during the "
                              "handshake");
        free(tcbs);
    }
    conn_table_remove_listener(lst);
    /* The socket is gone: listening again means binding the port again. */
    s->listening = false;
    s->port = 0;
    s->tcb = NULL;
    lst->sock = NULL;
    tcp_set_state(lst, TCP_CLOSED, "§3.10.4 CLOSE in LISTEN: delete the TCB");
    lst->end = END_CLOSED;
    tcp_tcb_delete(lst);
    return 0;
}

void
tcp_user_setsockopt(struct sock *s, enum sock_opt opt, int value)
{
    struct tcb *t = s->tcb;

    switch (opt) {
    case OPT_SO_REUSEADDR:
        s->reuseaddr = value != 0;
        if (t)
            t->reuseaddr = s->reuseaddr;
        break;
    case OPT_SO_LINGER: s->linger = value; break;
    case OPT_SO_KEEPALIVE:
        s->keepalive = value != 0;
        if (t && !s->listening) {
            t->keepalive = s->keepalive;
            if (t->keepalive &&
                (t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT))
                tcp_timer_set(t, TIMER_KEEPALIVE, s->w->tcp.keepalive_time_us);
            else if (!t->keepalive)
                tcp_timer_stop(t, TIMER_KEEPALIVE);
        }
        break;
    case OPT_TCP_CORK:
        s->cork = value != 0;
        if (t && !s->listening) {
            t->cork = s->cork;
            if (!t->cork)
                tcp_output(t);
        }
        break;
    case OPT__COUNT: break;
    }
}

static void
on_host_restart(struct sim *sim, void *arg)
{
    struct host *h = arg;
    (void)sim;
    h->down = false;
}

/* Every TCB vanishes in order of creation, then every listener. */
void
tcp_user_crash(struct host *h, uint64_t restart_us)
{
    struct tcb **tcbs;
    size_t n;

    h->down = true;
    n = conn_table_tcbs(h, &tcbs);
    for (size_t i = 0; i < n; i++) {
        struct tcb *t = tcbs[i];
        if (t->dead)
            continue;
        if (t->sock)
            t->sock->closed = true;
        t->sock = NULL;
        tcp_close_tcb(t, END_CRASHED, 0,
                      "host crashed: the TCB is lost, no segment sent");
    }
    free(tcbs);
    while (h->nlisteners > 0) {
        struct tcb *l = h->listeners[h->nlisteners - 1];
        conn_table_remove_listener(l);
        if (l->sock) {
            l->sock->listening = false;
            l->sock->tcb = NULL;
        }
        l->sock = NULL;
        tcp_set_state(l, TCP_CLOSED, "host crashed: the listener is lost");
        tcp_tcb_delete(l);
    }
    if (restart_us)
        sim_arm(h->w->sim, &h->restart, restart_us, on_host_restart, h,
                "host.restart");
}
