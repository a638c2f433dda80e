/*
 * The world: two hosts, the applications' scripts, and the bookkeeping that
 * turns what the engine does into the trace.
 *
 * A client "instance" is one socket running the client's script; there are
 * endpoint.count of them, started every_us apart. The server runs one
 * script: its timed steps act on the listening socket (listen, bind,
 * setsockopt, closing the listener) or on the newest accepted connection;
 * its event steps act on the connection that saw the event. Script steps
 * always run as events of their own, never inside the TCP code that
 * triggered them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine.h"

/* A pending event-triggered script step. Pooled like packets. */
struct step_run {
    struct sim_timer timer;
    struct sock *sock;
    uint32_t step;
    struct step_run *next_free;
    struct step_run *all_next; /* every run ever made, to free at the end */
};

/* ---- addresses, ISNs, TTLs -------------------------------------------- */

uint32_t
world_addr(const struct world *w, int side)
{
    return w->hosts[side].addr;
}

uint32_t
world_isn(struct world *w, const struct endpoint_cfg *cfg)
{
    if (cfg->has_isn)
        return cfg->isn;
    /* RFC 6528 would hash a clock and a secret; a seeded stream gives the
     * same unpredictability across connections, and determinism. */
    return (uint32_t)sim_rand(w->sim, RNG_ISN);
}

uint8_t
world_ttl(const struct world *w, const struct endpoint_cfg *cfg)
{
    return cfg->ttl ? cfg->ttl : w->scn->tcp.ttl;
}

/* ---- the connection table of a host ----------------------------------- */

static uint32_t
tuple_hash(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    uint64_t x = ((uint64_t)laddr << 32 | raddr) ^
                 ((uint64_t)lport << 16 | rport) * 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 32;
    return (uint32_t)x;
}

/*
 * A host's TCBs are in an open-addressing table of (hash, TCB) slots with
 * linear probing, at most half full. A lookup compares stored hashes and
 * reads a TCB only when its hash matches, so probing for a free port among
 * 600,000 TCBs in TIME-WAIT costs one cache line, not a walk through cold
 * TCBs.
 */
static void
host_grow(struct host *h)
{
    uint32_t n = h->nslots ? h->nslots * 2 : 64;
    struct tcb_slot *s = pool_calloc_huge(n, sizeof *s);

    for (uint32_t i = 0; i < h->nslots; i++) {
        const struct tcb_slot *o = &h->slots[i];
        uint32_t k = o->hash & (n - 1);
        if (!o->tcb)
            continue;
        while (s[k].tcb)
            k = (k + 1) & (n - 1);
        s[k] = *o;
    }
    free(h->slots);
    h->slots = s;
    h->nslots = n;
}

void
world_tcb_hash(struct tcb *tcb)
{
    struct host *h = tcb->host;
    uint32_t hash = tuple_hash(tcb->laddr, tcb->lport, tcb->raddr, tcb->rport);
    uint32_t k;

    if (2 * (h->ntcbs + 1) > h->nslots)
        host_grow(h);
    k = hash & (h->nslots - 1);
    while (h->slots[k].tcb)
        k = (k + 1) & (h->nslots - 1);
    h->slots[k].hash = hash;
    h->slots[k].tcb = tcb;
    tcb->hashed = true;
    h->ntcbs++;
}

void
world_tcb_prefetch_slot(const struct tcb *tcb)
{
    const struct host *h;

    if (!tcb || !tcb->hashed)
        return;
    h = tcb->host;
    prefetch_read(
        &h->slots[tuple_hash(tcb->laddr, tcb->lport, tcb->raddr, tcb->rport) &
                  (h->nslots - 1)]);
}

/*
 * The TIME-WAIT lane's prefetch hook (see sim_lane): TCBs leaving
 * TIME-WAIT have slept for a minute and are cold. Start loading the whole
 * TCB after next (its expiry reads it, and the next connection to take its
 * block rewrites it), and the table slot of the next one, whose TCB was
 * asked for one expiry ago: its expiry unhashes it.
 */
static void
prefetch_time_wait(const void *next, const void *after_next)
{
    const char *tcb = after_next;

    for (size_t off = 0; tcb && off < sizeof(struct tcb); off += 64)
        prefetch_write(tcb + off);
    world_tcb_prefetch_slot(next);
}

static void
tcb_unhash(struct tcb *tcb)
{
    struct host *h = tcb->host;
    uint32_t mask = h->nslots - 1;
    uint32_t i =
        tuple_hash(tcb->laddr, tcb->lport, tcb->raddr, tcb->rport) & mask;

    if (!tcb->hashed)
        return;
    while (h->slots[i].tcb != tcb)
        i = (i + 1) & mask;
    /* Backward-shift deletion: pull each later slot of the cluster into
     * the hole unless that would put it before its home slot. */
    for (uint32_t j = (i + 1) & mask; h->slots[j].tcb; j = (j + 1) & mask) {
        uint32_t home = h->slots[j].hash & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            h->slots[i] = h->slots[j];
            i = j;
        }
    }
    h->slots[i].tcb = NULL;
    tcb->hashed = false;
    h->ntcbs--;
}

struct tcb *
world_tcb_lookup(struct host *h, uint32_t laddr, uint16_t lport, uint32_t raddr,
                 uint16_t rport)
{
    uint32_t hash = tuple_hash(laddr, lport, raddr, rport),
             mask = h->nslots - 1;

    if (!h->nslots)
        return NULL;
    for (uint32_t k = hash & mask; h->slots[k].tcb; k = (k + 1) & mask) {
        const struct tcb *t = h->slots[k].tcb;
        if (h->slots[k].hash == hash && t->lport == lport &&
            t->rport == rport && t->raddr == raddr && t->laddr == laddr)
            return h->slots[k].tcb;
    }
    return NULL;
}

/* Order of creation: a crash or a closed listener takes TCBs in this
 * order, whatever their places in the table. */
static int
cmp_gen(const void *a, const void *b)
{
    uint32_t x = (*(struct tcb *const *)a)->gen;
    uint32_t y = (*(struct tcb *const *)b)->gen;
    return (x > y) - (x < y);
}

size_t
world_host_tcbs(const struct host *h, struct tcb ***out)
{
    struct tcb **tcbs = xcalloc(h->ntcbs, sizeof *tcbs);
    size_t n = 0;

    for (uint32_t i = 0; i < h->nslots; i++)
        if (h->slots[i].tcb)
            tcbs[n++] = h->slots[i].tcb;
    qsort(tcbs, n, sizeof *tcbs, cmp_gen);
    *out = tcbs;
    return n;
}

struct tcb *
world_listener(struct host *h, uint16_t port)
{
    for (uint32_t i = 0; i < h->nlisteners; i++)
        if (h->listeners[i]->lport == port)
            return h->listeners[i];
    return NULL;
}

/* ---- TCB lifetime ----------------------------------------------------- */

static struct conn_slot *
slot(struct world *w, uint32_t conn)
{
    if (conn >= w->conns_cap) {
        uint32_t n = w->conns_cap ? w->conns_cap : 16;
        while (n <= conn)
            n *= 2;
        w->conns = xreallocarray(w->conns, n, sizeof *w->conns);
        memset(w->conns + w->conns_cap, 0,
               (n - w->conns_cap) * sizeof *w->conns);
        w->conns_cap = n;
    }
    if (conn >= w->nconns)
        w->nconns = conn + 1;
    return &w->conns[conn];
}

struct tcb *
world_tcb_new(struct host *h, uint32_t conn)
{
    struct world *w = h->w;
    struct tcb *tcb = pool_get(&w->tcb_pool);

    memset(tcb, 0, sizeof *tcb);
    tcb->live = pool_get(&w->live_pool);
    memset(tcb->live, 0, sizeof *tcb->live);
    tcb->w = w;
    tcb->host = h;
    tcb->side = h->side;
    tcb->conn = conn;
    tcb->gen = ++w->next_gen; /* and state CLOSED, which is 0 */
    tcb->rcv_wnd = w->scn->tcp.window;
    tcb->ttl = w->scn->tcp.ttl;
    tcb->end = END_OPEN;
    w->ntcbs++;
    if (w->stats && w->ntcbs > w->stats->tcbs_peak)
        w->stats->tcbs_peak = w->ntcbs;
    if (world_recording(w) && conn) {
        struct conn_slot *c = slot(w, conn);
        c->tcb[h->side] = tcb;
        c->had[h->side] = true;
    }
    return tcb;
}

static void view_of(const struct tcb *tcb, struct tcb_view *v);

void
world_tcb_kill(struct tcb *tcb)
{
    struct world *w = tcb->w;

    if (tcb->hashed)
        tcb_unhash(tcb);
    tcb->dead = true;
    if (tcb->sock && tcb->sock->tcb == tcb)
        tcb->sock->tcb = NULL;
    tcb->sock = NULL;
    tcp_timer_stop_all(tcb);
    if (world_recording(w) && tcb->conn < w->nconns &&
        w->conns[tcb->conn].tcb[tcb->side] == tcb) {
        struct conn_slot *c = &w->conns[tcb->conn];
        view_of(tcb, &c->last[tcb->side]);
        c->last[tcb->side].exists = false;
        c->tcb[tcb->side] = NULL;
    }
    tcb->next_dead = w->dead;
    w->dead = tcb;
}

void
world_tcb_shed(struct tcb *tcb)
{
    struct world *w = tcb->w;

    if (w->nshed == w->shed_cap) {
        uint32_t cap = w->shed_cap ? w->shed_cap * 2 : 16;
        w->shed = xreallocarray(w->shed, cap, sizeof *w->shed);
        w->shed_cap = cap;
    }
    w->shed[w->nshed++] = tcb;
}

/*
 * Free the live parts of the TCBs that entered TIME-WAIT during the event
 * just fired. One whose live timers are not all stopped (none should be:
 * entering TIME-WAIT stops them) keeps its part, which costs only memory.
 */
static void
shed(struct world *w)
{
    for (uint32_t i = 0; i < w->nshed; i++) {
        struct tcb *t = w->shed[i];
        bool armed = false;
        if (t->dead || !t->live || t->state != TCP_TIME_WAIT)
            continue;
        for (int k = 0; k < TIMER__COUNT; k++)
            armed = armed ||
                    (k != TIMER_TIME_WAIT && sim_armed(&t->live->timers[k]));
        if (armed)
            continue;
        pool_put(&w->live_pool, t->live);
        t->live = NULL;
    }
    w->nshed = 0;
}

/* Free the TCBs that died during the event just fired. */
static void
reap(struct world *w)
{
    while (w->dead) {
        struct tcb *t = w->dead;
        w->dead = t->next_dead;
        if (w->stats && t->end < END__COUNT)
            w->stats->ends[t->side][t->end]++;
        w->ntcbs--;
        if (t->live)
            pool_put(&w->live_pool, t->live);
        pool_put(&w->tcb_pool, t);
    }
}

static void
reap_after_event(struct sim *sim, void *arg)
{
    struct world *w = arg;
    (void)sim;
    if (w->nshed)
        shed(w);
    if (w->dead)
        reap(w);
}

/* ---- sockets and scripts ---------------------------------------------- */

static sim_fn on_timed_step, on_step_run;
static struct sock *server_target(struct world *w,
                                  const struct script_step *st);

static struct sock *
sock_new(struct world *w, uint8_t side, uint32_t conn)
{
    struct sock *s = pool_get(&w->sock_pool);
    const struct endpoint_cfg *cfg =
        side == SIDE_CLIENT ? &w->scn->client : &w->scn->server;
    struct host *h = &w->hosts[side];

    memset(s, 0, sizeof *s);
    s->w = w;
    s->host = h;
    s->cfg = cfg;
    s->side = side;
    s->conn = conn;
    s->laddr = side == SIDE_CLIENT && h->naddrs > 1
                   ? h->addr + (conn ? (conn - 1) % h->naddrs : 0)
                   : h->addr;
    s->reuseaddr = cfg->reuseaddr;
    s->keepalive = cfg->keepalive;
    s->cork = cfg->cork;
    s->linger = cfg->linger;
    if (side == SIDE_CLIENT && cfg->port)
        s->port = cfg->port;
    s->next = w->socks;
    if (w->socks)
        w->socks->prev = s;
    w->socks = s;
    return s;
}

static void
sock_free(struct sock *s)
{
    struct world *w = s->w;

    if (s->prev)
        s->prev->next = s->next;
    else
        w->socks = s->next;
    if (s->next)
        s->next->prev = s->prev;
    if (w->server_newest == s)
        w->server_newest = NULL;
    pool_put(&w->sock_pool, s);
}

/* A socket is freed once the app closed it, no TCB holds it and no step
 * is pending for it. */
static void
sock_maybe_free(struct sock *s)
{
    if (s->closed && !s->tcb && s->refs == 0 && s != s->w->server_listener)
        sock_free(s);
}

/*
 * A call is traced before it runs, so that it reads before the segments it
 * sends; its result is filled in afterwards.
 */
static long
trace_call(struct sock *s, const struct script_step *st, const char *why)
{
    struct world *w = s->w;
    struct trace_event *e;

    if (!world_recording(w))
        return -1;
    e = world_trace_begin(w, TRACE_CALL, s->side, s->conn);
    e->a = (int32_t)st->call;
    e->why = why;
    world_trace_commit(w, e);
    return (long)e->idx;
}

static void
trace_call_result(struct sock *s, long idx, int err, int64_t n)
{
    if (idx >= 0) {
        s->w->trace->ev[idx].b = err;
        s->w->trace->ev[idx].n = n;
    }
}

static void
host_restart(struct sim *sim, void *arg)
{
    struct host *h = arg;
    (void)sim;
    h->down = false;
}

/* The host loses power: every TCB vanishes without a word on the wire. */
static void
host_crash(struct host *h, uint64_t restart_us)
{
    struct world *w = h->w;

    h->down = true;
    {
        struct tcb **tcbs;
        size_t n = world_host_tcbs(h, &tcbs);
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
    }
    while (h->nlisteners > 0) {
        struct tcb *l = h->listeners[--h->nlisteners];
        if (l->sock) {
            l->sock->listening = false;
            l->sock->tcb = NULL;
        }
        l->sock = NULL;
        tcp_set_state(l, TCP_CLOSED, "host crashed: the listener is lost");
        world_tcb_kill(l);
    }
    if (restart_us)
        sim_arm(w->sim, &h->restart, restart_us, host_restart, h,
                "host.restart");
}

static void
setsockopt_apply(struct sock *s, int opt, int value)
{
    struct tcb *t = s->tcb;

    switch ((enum sock_opt)opt) {
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
                tcp_timer_set(t, TIMER_KEEPALIVE,
                              s->w->scn->tcp.keepalive_time_us);
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

static const char *
call_detail(const struct sock *s, const struct script_step *st)
{
    switch (st->call) {
    case CALL_SHUTDOWN:
        return st->how == SHUT_HOW_RD   ? "SHUT_RD"
               : st->how == SHUT_HOW_WR ? "SHUT_WR"
                                        : "SHUT_RDWR";
    case CALL_CLOSE: return st->listener ? "listening socket" : NULL;
    case CALL_SETSOCKOPT: return sock_opt_name((enum sock_opt)st->opt);
    case CALL_CRASH:
        return st->restart_us ? "host crash, restarts later" : "host crash";
    case CALL_LISTEN:
    case CALL_BIND:
    case CALL_CONNECT:
    case CALL_SEND:
    case CALL_RECV:
    case CALL__COUNT: break;
    }
    (void)s;
    return NULL;
}

static void
run_step(struct sock *s, const struct script_step *st)
{
    long idx = trace_call(s, st, call_detail(s, st));
    int err = 0;
    int64_t n = 0;
    uint32_t got = 0;

    if (s->host->down) {
        trace_call_result(s, idx, EHOSTDOWN, 0);
        return;
    }
    switch (st->call) {
    case CALL_LISTEN:
        err = tcp_user_listen(s, st->port);
        n = err ? st->port : s->port;
        break;
    case CALL_BIND:
        err = tcp_user_bind(s, st->port);
        n = st->port;
        break;
    case CALL_CONNECT:
        err = tcp_user_connect(s, st->port, st->has_isn, st->isn);
        n = !err && s->tcb ? s->tcb->lport : 0;
        break;
    case CALL_SEND:
        err = tcp_user_send(s, st->bytes);
        n = st->bytes;
        break;
    case CALL_RECV:
        err = tcp_user_recv(s, st->bytes, &got);
        n = got;
        break;
    case CALL_SHUTDOWN: err = tcp_user_shutdown(s, st->how); break;
    case CALL_CLOSE:
        err = st->listener && !s->listening ? EINVAL : tcp_user_close(s);
        break;
    case CALL_SETSOCKOPT:
        n = st->value;
        setsockopt_apply(s, st->opt, st->value);
        break;
    case CALL_CRASH:
        n = (int64_t)st->restart_us;
        host_crash(s->host, st->restart_us);
        break;
    case CALL__COUNT: break;
    }
    trace_call_result(s, idx, err, n);
}

/* Which socket a server's timed step acts on. */
static struct sock *
server_target(struct world *w, const struct script_step *st)
{
    switch (st->call) {
    case CALL_LISTEN:
    case CALL_BIND:
    case CALL_SETSOCKOPT:
    case CALL_CRASH:
    case CALL_CONNECT: return w->server_listener;
    case CALL_CLOSE:
        if (st->listener)
            return w->server_listener;
        break;
    case CALL_SEND:
    case CALL_RECV:
    case CALL_SHUTDOWN:
    case CALL__COUNT: break;
    }
    /* The server's own active connection, if it made one. */
    if (!w->server_newest && w->server_listener->tcb &&
        !w->server_listener->listening)
        return w->server_listener;
    return w->server_newest;
}

/*
 * Timed steps run in order of time; a socket keeps one timer armed for its
 * next one, so memory does not grow with the script.
 */
static void
arm_next_timed(struct sock *s)
{
    const struct timed_order *o = &s->w->orders[s->side];
    uint64_t now = sim_now(s->w->sim), at;

    if (s->timed_next >= o->n)
        return;
    at = s->timed_start_us + s->cfg->steps[o->idx[s->timed_next]].at_us;
    s->refs++;
    sim_arm(s->w->sim, &s->timed, at > now ? at - now : 0, on_timed_step, s,
            "app.step");
}

static void
on_timed_step(struct sim *sim, void *arg)
{
    struct sock *s = arg;
    struct world *w = s->w;
    const struct timed_order *o = &w->orders[s->side];
    const struct script_step *st = &s->cfg->steps[o->idx[s->timed_next++]];
    (void)sim;

    if (s->side == SIDE_SERVER) {
        struct sock *t = server_target(w, st);
        if (t)
            run_step(t, st);
        else
            trace_call_result(s, trace_call(s, st, "no accepted connection"),
                              ENOTCONN, 0);
    } else {
        run_step(s, st);
    }
    arm_next_timed(s);
    s->refs--; /* held during the step, so the step cannot free s */
    sock_maybe_free(s);
}

static void
on_step_run(struct sim *sim, void *arg)
{
    struct step_run *r = arg;
    struct sock *s = r->sock;
    struct world *w = s->w;
    (void)sim;

    run_step(s, &s->cfg->steps[r->step]);
    r->next_free = w->free_runs;
    w->free_runs = r;
    s->refs--; /* held during the step, so the step cannot free s */
    sock_maybe_free(s);
}

static void
fire_steps(struct sock *s, enum app_event ev)
{
    const struct endpoint_cfg *cfg = s->cfg;

    for (size_t i = 0; i < cfg->nsteps && i < 64; i++) {
        const struct script_step *st = &cfg->steps[i];
        struct step_run *r;

        if (st->on != ev || (s->fired_steps & (1ull << i)))
            continue;
        s->fired_steps |= 1ull << i;
        r = s->w->free_runs;
        if (r)
            s->w->free_runs = r->next_free;
        else {
            r = xcalloc(1, sizeof *r);
            r->all_next = s->w->all_runs;
            s->w->all_runs = r;
        }
        r->sock = s;
        r->step = (uint32_t)i;
        s->refs++;
        sim_arm(s->w->sim, &r->timer, st->after_us, on_step_run, r, "app.on");
    }
}

static void
app_event(struct tcb *tcb, enum app_event ev, int err, uint32_t bytes,
          uint8_t flags, const char *why)
{
    struct sock *s = tcb->sock;
    struct world *w = tcb->w;

    if (!s || s->closed)
        return;
    if (world_recording(w)) {
        struct trace_event *e =
            world_trace_begin(w, TRACE_APP, s->side, s->conn);
        e->a = (int32_t)ev;
        e->b = err;
        e->n = bytes;
        e->flags = flags;
        e->why = why;
        world_trace_commit(w, e);
    }
    if (ev == EV_DATA && s->cfg->autoread) {
        tcb->unread = 0; /* the application reads as data arrives */
    }
    if (ev == EV_CLOSED) {
        s->tcb = NULL;
        tcb->sock = NULL;
    }
    fire_steps(s, ev);
    if (ev == EV_RESET)
        fire_steps(s, EV_ERROR);
    if (ev == EV_CLOSED)
        sock_maybe_free(s);
}

void
world_app_event(struct tcb *tcb, enum app_event ev, int err, uint32_t bytes)
{
    app_event(tcb, ev, err, bytes, 0, NULL);
}

void
world_app_stale_data(struct tcb *tcb, uint32_t bytes)
{
    app_event(tcb, EV_DATA, 0, bytes, TRACE_F_STALE,
              "stale data: an earlier connection on the same ports sent "
              "these bytes, and this one took them as its own");
}

struct sock *
world_accept(struct tcb *child)
{
    struct world *w = child->w;
    struct sock *l = child->live->listener, *s;

    if (!l)
        return NULL;
    s = sock_new(w, SIDE_SERVER, child->conn);
    s->reuseaddr = l->reuseaddr;
    s->keepalive = l->keepalive;
    s->linger = l->linger;
    s->port = child->lport;
    s->tcb = child;
    child->sock = s;
    w->server_newest = s;
    return s;
}

/* ---- client instances ------------------------------------------------- */

/*
 * Clients connect in spawn order, each from the next ephemeral port, and
 * pick_port's probe of the 4-tuple table for a free port starts with a
 * cache miss on a random slot among two million. Client number spawned
 * is about to take port next_port: fetch the slot the next client will
 * probe, a spawn interval ahead. A wrong guess only wastes a prefetch.
 */
static void
prefetch_connect(struct world *w)
{
    const struct endpoint_cfg *cfg = &w->scn->client;
    struct host *h = &w->hosts[SIDE_CLIENT];
    uint32_t conn = w->spawned + 1, port = h->next_port + 1;
    uint32_t laddr = h->naddrs > 1 ? h->addr + (conn - 1) % h->naddrs : h->addr;

    if (!h->nslots || cfg->port)
        return;
    if (port < cfg->port_lo || port > cfg->port_hi)
        port = cfg->port_lo;
    prefetch_read(
        &h->slots[tuple_hash(laddr, (uint16_t)port, world_addr(w, SIDE_SERVER),
                             w->scn->server.port) &
                  (h->nslots - 1)]);
}

static void
on_spawn(struct sim *sim, void *arg)
{
    struct world *w = arg;
    const struct endpoint_cfg *cfg = &w->scn->client;
    struct sock *s;
    (void)sim;

    w->spawned++;
    prefetch_connect(w);
    s = sock_new(w, SIDE_CLIENT, w->spawned);
    s->timed_start_us = sim_now(w->sim);
    arm_next_timed(s);
    if (w->spawned < cfg->count)
        sim_arm(w->sim, &w->spawn, cfg->every_us, on_spawn, w, "app.spawn");
    /* A client whose script is all event steps never starts anything. */
    sock_maybe_free(s);
}

/* ---- trace emission --------------------------------------------------- */

static void
view_of(const struct tcb *t, struct tcb_view *v)
{
    memset(v, 0, sizeof *v);
    v->state = (uint8_t)t->state;
    v->exists = !t->dead;
    v->orphan = t->sock == NULL && t->state != TCP_LISTEN;
    v->rd_open = !t->fin_rcvd && !t->rd_shut;
    v->wr_open = !t->fin_queued;
    v->backoff = t->backoff;
    v->lport = t->lport;
    v->rport = t->rport;
    v->iss = t->iss;
    v->irs = t->irs;
    v->snd_una = t->snd_una;
    v->snd_nxt = t->snd_nxt;
    v->snd_wnd = t->snd_wnd;
    v->rcv_nxt = t->rcv_nxt;
    v->rcv_wnd = t->rcv_wnd;
    v->unsent = t->unsent;
    v->unread = t->unread;
    for (int k = 0; k < TIMER__COUNT; k++)
        v->timer_us[k] = tcb_timer_due(t, (enum tcp_timer_kind)k);
}

static void
snapshot(struct world *w, struct trace_event *e)
{
    uint32_t conn = e->conn ? e->conn : (w->nconns > 1 ? w->nconns - 1 : 1);
    struct conn_slot *c = conn < w->nconns ? &w->conns[conn] : NULL;

    for (int side = 0; side < 2; side++) {
        struct tcb_view *v = &e->view[side];
        if (c && c->tcb[side]) {
            view_of(c->tcb[side], v);
        } else if (c && c->had[side]) {
            *v = c->last[side];
        } else if (w->hosts[side].nlisteners > 0) {
            view_of(w->hosts[side].listeners[0], v);
        } else {
            memset(v, 0, sizeof *v);
            v->state = TCP_CLOSED;
        }
    }
}

struct trace_event *
world_trace_begin(struct world *w, enum trace_kind k, uint8_t side,
                  uint32_t conn)
{
    struct trace_event *e = trace_push(w->trace);
    e->t_us = sim_now(w->sim);
    e->kind = (uint8_t)k;
    e->side = side;
    e->conn = conn;
    return e;
}

bool
world_event_matches(const struct note_match *m, const struct trace_event *e)
{
    bool pkt = e->kind == TRACE_SEND || e->kind == TRACE_ARRIVE ||
               e->kind == TRACE_DROP || e->kind == TRACE_DISCARD;
    bool timer = e->kind == TRACE_TIMER_SET || e->kind == TRACE_TIMER_FIRE ||
                 e->kind == TRACE_TIMER_CANCEL;

    if (m->kind >= 0 && m->kind != e->kind)
        return false;
    if (m->side >= 0 && m->side != e->side)
        return false;
    if (m->state >= 0 && !(e->kind == TRACE_STATE && e->b == m->state))
        return false;
    if (m->from_state >= 0 &&
        !(e->kind == TRACE_STATE && e->a == m->from_state))
        return false;
    if (m->flags_all && !(pkt && (e->seg.flags & m->flags_all) == m->flags_all))
        return false;
    if (m->flags_none && !(pkt && (e->seg.flags & m->flags_none) == 0))
        return false;
    if (m->tags_all && !(pkt && (e->seg.tags & m->tags_all) == m->tags_all))
        return false;
    if (m->timer >= 0 && !(timer && e->a == m->timer))
        return false;
    if (m->call >= 0 && !(e->kind == TRACE_CALL && e->a == m->call))
        return false;
    if (m->app >= 0 && !(e->kind == TRACE_APP && e->a == m->app))
        return false;
    return true;
}

void
world_trace_commit(struct world *w, struct trace_event *e)
{
    const struct scenario *scn = w->scn;
    size_t idx = e->idx;

    /* Rules that only a what-if variant follows say so first. */
    if (e->why && strncmp(e->why, "WHAT-IF", 7) == 0)
        e->flags |= TRACE_F_WHATIF;
    snapshot(w, e);
    for (size_t i = 0; i < scn->nnotes; i++) {
        const struct trace_event *ev = &w->trace->ev[idx];
        struct trace_event *n;
        if (!world_event_matches(&scn->notes[i].when, ev))
            continue;
        if (++w->note_hits[i] != scn->notes[i].when.nth)
            continue;
        n = trace_push(w->trace);
        ev = &w->trace->ev[idx]; /* trace_push may move the array */
        n->t_us = ev->t_us;
        n->kind = TRACE_NOTE;
        n->side = ev->side;
        n->conn = ev->conn;
        n->a = (int32_t)i;
        n->note = &scn->notes[i].text;
        memcpy(n->view, ev->view, sizeof n->view);
    }
}

void
world_trace_state(struct tcb *tcb, enum tcp_state from, enum tcp_state to,
                  const char *why)
{
    struct world *w = tcb->w;
    struct trace_event *e;

    if (!world_recording(w))
        return;
    e = world_trace_begin(w, TRACE_STATE, tcb->side, tcb->conn);
    e->a = (int32_t)from;
    e->b = (int32_t)to;
    e->why = why;
    world_trace_commit(w, e);
}

void
world_trace_timer(struct tcb *tcb, enum trace_kind k, enum tcp_timer_kind t)
{
    struct world *w = tcb->w;
    struct trace_event *e;

    if (!world_recording(w))
        return;
    e = world_trace_begin(w, k, tcb->side, tcb->conn);
    e->a = (int32_t)t;
    e->b = tcb->backoff;
    if (k == TRACE_TIMER_SET)
        e->n = (int64_t)tcb_timer_due(tcb, t);
    world_trace_commit(w, e);
}

void
world_trace_discard(struct tcb *tcb, const struct packet *p, const char *why)
{
    struct world *w = tcb->w;
    struct trace_event *e;

    if (!world_recording(w))
        return;
    e = world_trace_begin(w, TRACE_DISCARD, tcb->side, p->conn);
    e->seg = p->seg;
    e->why = why;
    world_trace_commit(w, e);
}

/* ---- running ---------------------------------------------------------- */

static int
cmp_at(const void *a, const void *b, const struct endpoint_cfg *cfg)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    uint64_t ax = cfg->steps[x].at_us, ay = cfg->steps[y].at_us;
    if (ax != ay)
        return ax < ay ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void
sort_timed(struct timed_order *o, const struct endpoint_cfg *cfg)
{
    o->n = 0;
    o->idx = xcalloc(cfg->nsteps + 1, sizeof *o->idx);
    for (size_t i = 0; i < cfg->nsteps; i++)
        if (cfg->steps[i].on == EV_NONE)
            o->idx[o->n++] = (uint32_t)i;
    /* Insertion sort: scripts are short, and it is stable. */
    for (uint32_t i = 1; i < o->n; i++)
        for (uint32_t j = i;
             j > 0 && cmp_at(&o->idx[j - 1], &o->idx[j], cfg) > 0; j--) {
            uint32_t t = o->idx[j];
            o->idx[j] = o->idx[j - 1];
            o->idx[j - 1] = t;
        }
}

static void
free_all(struct world *w)
{
    while (w->socks)
        sock_free(w->socks);
    for (int side = 0; side < 2; side++) {
        free(w->hosts[side].slots);
        free(w->orders[side].idx);
    }
    /* Every TCB, hashed, listening, dead or recycled, is in the pool. */
    pool_destroy(&w->tcb_pool);
    pool_destroy(&w->live_pool);
    free(w->shed);
    pool_destroy(&w->sock_pool);
    while (w->all_runs) {
        struct step_run *r = w->all_runs;
        w->all_runs = r->all_next;
        free(r);
    }
    for (uint32_t i = 0; i < w->npools; i++)
        free(w->pools[i]);
    free(w->pools);
    free(w->conns);
    free(w->rule_hits);
    free(w->note_hits);
}

/*
 * The sim calls reap_after_event after every event, so that TCBs that died
 * in an event are freed right after it. Pending step_runs, packets and
 * socket timers still armed at the end are owned by the pools and sockets
 * freed above.
 */
struct world *
world_new(const struct scenario *scn, struct trace *trace,
          struct world_stats *stats)
{
    struct world *w = xcalloc(1, sizeof *w);

    memset(stats, 0, sizeof *stats);
    w->scn = scn;
    w->trace = trace;
    w->stats = stats;
    w->sim = sim_new(scn->seed);
    sim_after_each(w->sim, reap_after_event, w);
    pool_init(&w->tcb_pool, sizeof(struct tcb), 64); /* cache lines */
    pool_init(&w->live_pool, sizeof(struct tcb_live), 64);
    pool_init(&w->sock_pool, sizeof(struct sock), 0);
    w->lanes[TIMER_TIME_WAIT].delay_us = scn->tcp.time_wait_us;
    w->lanes[TIMER_TIME_WAIT].prefetch = prefetch_time_wait;
    w->lanes[TIMER_DELACK].delay_us = scn->tcp.delack_us;
    w->lanes[TIMER_FIN_WAIT_2].delay_us = scn->tcp.fin_timeout_us;
    w->lanes[TIMER_KEEPALIVE].delay_us = scn->tcp.keepalive_intvl_us;
    w->rule_hits = xcalloc(scn->net.nrules + 1, sizeof *w->rule_hits);
    w->note_hits = xcalloc(scn->nnotes + 1, sizeof *w->note_hits);
    for (int side = 0; side < 2; side++) {
        w->hosts[side].w = w;
        w->hosts[side].side = (uint8_t)side;
        w->hosts[side].next_port = 40000;
        sort_timed(&w->orders[side],
                   side == SIDE_CLIENT ? &scn->client : &scn->server);
    }
    /* RFC 5737 documentation addresses: 192.0.2.0/24 and up for clients,
     * 198.51.100.80 for the server. */
    w->hosts[SIDE_CLIENT].addr = 0xc0000201u;
    w->hosts[SIDE_CLIENT].naddrs = scn->client.hosts ? scn->client.hosts : 1;
    w->hosts[SIDE_SERVER].addr = 0xc6336450u;
    w->hosts[SIDE_SERVER].naddrs = 1;

    w->server_listener = sock_new(w, SIDE_SERVER, 0);
    arm_next_timed(w->server_listener);
    if (scn->client.count > 0)
        sim_arm(w->sim, &w->spawn, 0, on_spawn, w, "app.spawn");
    return w;
}

/*
 * Fire events until none is left before until_us (reap_after_event frees
 * after each the TCBs that died in it). Returns the events fired.
 */
uint64_t
world_advance(struct world *w, uint64_t until_us)
{
    uint64_t n = sim_run(w->sim, until_us, 0);

    reap(w);
    return n;
}

void
world_free(struct world *w)
{
    struct world_stats *stats = w->stats;

    stats->events = sim_events(w->sim);
    stats->end_us = sim_now(w->sim);
    for (int side = 0; side < 2; side++) {
        struct host *h = &w->hosts[side];
        for (uint32_t i = 0; i < h->nslots; i++)
            if (h->slots[i].tcb) {
                stats->open[side][h->slots[i].tcb->state]++;
                stats->ends[side][END_OPEN]++;
            }
    }
    sim_free(w->sim); /* first: it touches the timers in what free_all frees */
    free_all(w);
    free(w);
}

int
world_run(const struct scenario *scn, struct trace *trace,
          struct world_stats *stats)
{
    struct world_stats local;
    struct world *w = world_new(scn, trace, stats ? stats : &local);

    world_advance(w, scn->duration_us);
    world_free(w);
    return 0;
}

const char *
conn_end_name(enum conn_end e)
{
    static const char *const names[END__COUNT] = {
        [END_CLOSED] = "closed",   [END_RESET] = "reset",
        [END_TIMEOUT] = "timeout", [END_ABORTED] = "aborted",
        [END_ORPHAN] = "orphan",   [END_CRASHED] = "crashed",
        [END_REFUSED] = "refused", [END_OPEN] = "open",
    };
    return (unsigned)e < END__COUNT ? names[e] : "?";
}
