/*
 * The applications: each endpoint's script of socket calls, run on the
 * world's sockets.
 *
 * A client "instance" is one socket running the client's script; there are
 * endpoint.count of them, started every_us apart. A "clients" list gives
 * instead one socket per entry, each with its own script, all made at the
 * start (a socket that only binds holds its port until it closes). The
 * server runs one
 * script: its timed steps act on the listening socket (listen, bind,
 * setsockopt, closing the listener) or on the newest accepted connection;
 * its event steps act on the connection that saw the event. Script steps
 * always run as events of their own, never inside the TCP code that
 * triggered them: a socket wakes the app (app_wake), which arms the step.
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

static sim_fn on_timed_step, on_step_run;

/* A call's result: in its trace record, and counted if it failed. */
static void
call_done(struct world *w, uint8_t side, const struct script_step *st, long idx,
          int err, int64_t n)
{
    if (idx >= 0)
        emit_call_result(w, idx, err, n);
    if (err && w->stats) {
        uint64_t *count = &w->stats->failed_calls[side][st->call];
        int *e = &w->stats->failed_errno[side][st->call];
        *e = *count == 0 || *e == err ? err : -1;
        ++*count;
    }
}

static const char *
call_detail(const struct script_step *st)
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
    case CALL_SET: return tcp_setting_info((enum tcp_setting)st->setting)->key;
    case CALL_LISTEN:
    case CALL_BIND:
    case CALL_CONNECT:
    case CALL_SEND:
    case CALL_RECV:
    case CALL__COUNT: break;
    }
    return NULL;
}

static void
run_step(struct sock *s, const struct script_step *st)
{
    struct world *w = s->w;
    long idx = emit_recording(w)
                   ? emit_call(w, s->side, s->conn, st->call, call_detail(st))
                   : -1;
    int err = 0;
    int64_t n = 0;
    uint32_t got = 0;

    if (s->host->down) {
        call_done(w, s->side, st, idx, EHOSTDOWN, 0);
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
        tcp_user_setsockopt(s, (enum sock_opt)st->opt, st->value);
        break;
    case CALL_CRASH:
        n = (int64_t)st->restart_us;
        tcp_user_crash(s->host, st->restart_us);
        break;
    case CALL_SET:
        /* One set of settings for both hosts, as realrun's one namespace. */
        n = (int64_t)st->set_value;
        tcp_setting_apply(&w->tcp, (enum tcp_setting)st->setting,
                          st->set_value);
        break;
    case CALL__COUNT: break;
    }
    call_done(w, s->side, st, idx, err, n);
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
    case CALL_SET:
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
    const struct timed_order *o = s->order;
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
    const struct script_step *st =
        &s->cfg->steps[s->order->idx[s->timed_next++]];
    (void)sim;

    if (s->side == SIDE_SERVER) {
        struct sock *t = server_target(w, st);
        if (t)
            run_step(t, st);
        else
            call_done(w, s->side, st,
                      emit_call(w, s->side, s->conn, st->call,
                                "no accepted connection"),
                      ENOTCONN, 0);
    } else {
        run_step(s, st);
    }
    arm_next_timed(s);
    s->refs--; /* held during the step, so the step cannot free s */
    sock_release(s);
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
    sock_release(s);
}

/* Arm every step of s's script that waits for ev and has not run yet. */
static void
fire_steps(struct sock *s, enum app_event ev)
{
    const struct endpoint_cfg *cfg = s->cfg;

    for (size_t i = 0; i < cfg->nsteps; i++) {
        const struct script_step *st = &cfg->steps[i];
        struct step_run *r;

        if (st->on != ev || sock_step_fired(s, i))
            continue;
        sock_step_fire(s, i);
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

/* The socket's wake-up (world->wake): a reset is also an error. */
static void
app_wake(struct sock *s, enum app_event ev)
{
    fire_steps(s, ev);
    if (ev == EV_RESET)
        fire_steps(s, EV_ERROR);
}

/*
 * Clients connect in spawn order, each from the next ephemeral port, and
 * the probe of the 4-tuple table for a free port starts with a cache miss
 * on a random slot among two million. Client number spawned is about to
 * take port next_port: fetch the slot the next client will probe, a spawn
 * interval ahead. A wrong guess only wastes a prefetch.
 */
static void
prefetch_connect(struct world *w)
{
    const struct endpoint_cfg *cfg = &w->scn->client;
    const struct host *h = &w->hosts[SIDE_CLIENT];
    uint32_t conn = w->spawned + 1, port = h->next_port + 1;
    uint32_t laddr = h->naddrs > 1 ? h->addr + (conn - 1) % h->naddrs : h->addr;

    if (cfg->port)
        return;
    if (port < cfg->port_lo || port > cfg->port_hi)
        port = cfg->port_lo;
    conn_table_prefetch(h, laddr, (uint16_t)port, host_addr(w, SIDE_SERVER),
                        w->scn->server.port);
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
    s = sock_new(w, SIDE_CLIENT, w->spawned, cfg);
    s->order = &w->orders[SIDE_CLIENT];
    s->timed_start_us = sim_now(w->sim);
    arm_next_timed(s);
    if (w->spawned < cfg->count)
        sim_arm(w->sim, &w->spawn, cfg->every_us, on_spawn, w, "app.spawn");
    /* A client whose script is all event steps never starts anything. */
    sock_release(s);
}

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

void
app_start(struct world *w)
{
    const struct scenario *scn = w->scn;

    w->wake = app_wake;
    sort_timed(&w->orders[SIDE_CLIENT], &scn->client);
    sort_timed(&w->orders[SIDE_SERVER], &scn->server);
    w->server_listener = sock_new(w, SIDE_SERVER, 0, &scn->server);
    w->server_listener->order = &w->orders[SIDE_SERVER];
    arm_next_timed(w->server_listener);
    if (scn->client.count > 0)
        sim_arm(w->sim, &w->spawn, 0, on_spawn, w, "app.spawn");
    /* "clients": every socket exists from the start, entry i as
     * connection i + 1; its script says when it does what. */
    w->client_orders = xcalloc(scn->nclients + 1, sizeof *w->client_orders);
    for (size_t i = 0; i < scn->nclients; i++) {
        struct sock *s =
            sock_new(w, SIDE_CLIENT, (uint32_t)i + 1, &scn->clients[i]);
        sort_timed(&w->client_orders[i], &scn->clients[i]);
        s->order = &w->client_orders[i];
        arm_next_timed(s);
    }
}

/* Pending step_runs still armed at the end are freed here; the sim that
 * held them is gone by now. */
void
app_free(struct world *w)
{
    while (w->all_runs) {
        struct step_run *r = w->all_runs;
        w->all_runs = r->all_next;
        free(r);
    }
    for (int side = 0; side < 2; side++)
        free(w->orders[side].idx);
    for (size_t i = 0; w->client_orders && i < w->scn->nclients; i++)
        free(w->client_orders[i].idx);
    free(w->client_orders);
}
