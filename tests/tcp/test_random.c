/*
 * The randomized invariant test: many seeded runs of a few base scenarios
 * (the files in tests/tcp/random/) at 30 % loss, with jitter and duplication,
 * each checked from its trace:
 *
 * 1. Only RFC arcs are taken: every STATE event's from -> to is in
 *    tcp_arc_find(), and each endpoint's state changes form a chain (each
 *    starts where the previous one ended), so no move escaped the trace.
 * 2. SND.UNA =< SND.NXT (sequence arithmetic) in every snapshot of every
 *    live TCB, and RCV.NXT is past IRS once the peer's SYN is in.
 * 3. Nothing is delivered older than MSL: every ARRIVE has age =< MSL.
 * 4. No stuck timer: no snapshot shows a timer whose expiry is already
 *    past, and the run ends because nothing is left to do (not because the
 *    scenario's duration cut it), so no timer is left armed at the end.
 * 5. Every connection ends CLOSED, or in a state the trace explains: a
 *    TCB still open at the end is waiting on a peer whose TCB is gone (a
 *    half-open connection after a reset or a retry limit), runs no timer,
 *    and the world's statistics agree.
 *
 * A failing run prints its scenario and seed, to replay with
 *     synfin --trace tests/tcp/random/NAME.json --seed N
 * SYNFIN_RANDOM_VERBOSE lists the half-open ends. SYNFIN_RANDOM_RUNS sets
 * the runs per scenario (default 20,000: 120,000
 * in all over six scenarios, a few seconds even under AddressSanitizer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synfin/seq.h"
#include "tcptest.h"

static const char *const scenario_names[] = {
    "four-way",     "three-way-linux", "simultaneous-close",
    "server-first", "abort",           "many",
};
#define NSCEN (sizeof scenario_names / sizeof scenario_names[0])

/* What one (connection, side) looked like last, while reading a trace. */
struct end_state {
    bool seen_state;   /* a STATE event was seen */
    uint8_t state;     /* the `to` of the last STATE event */
    struct tcb_view v; /* the last snapshot of it */
    bool have_view;
};

struct checker {
    const char *name;
    uint64_t seed;
    uint64_t msl_us;
    int failures; /* in this run */
    char first[512];
    struct end_state *ends; /* [conn * 2 + side] */
    size_t nends;
    /* totals over all runs of a scenario */
    unsigned long arcs[TCP__STATE_COUNT][TCP__STATE_COUNT];
    unsigned long half_open, events;
    /* TCBs in each state, from the STATE events, and their peak: LISTEN
     * aside (a passive TCB is born in it with no event). */
    uint64_t in_state[2][TCP__STATE_COUNT], peak[2][TCP__STATE_COUNT];
    bool verbose; /* SYNFIN_RANDOM_VERBOSE: list the half-open ends */
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
fail(struct checker *c, const char *fmt, ...)
{
    va_list ap;

    if (c->failures++ == 0) {
        va_start(ap, fmt);
        vsnprintf(c->first, sizeof c->first, fmt, ap);
        va_end(ap);
    }
}

static struct end_state *
end_of(struct checker *c, uint32_t conn, int side)
{
    size_t i = (size_t)conn * 2 + (size_t)side;

    if (i >= c->nends) {
        size_t n = c->nends ? c->nends : 8;
        while (n <= i)
            n *= 2;
        c->ends = realloc(c->ends, n * sizeof *c->ends);
        if (!c->ends)
            abort();
        memset(c->ends + c->nends, 0, (n - c->nends) * sizeof *c->ends);
        c->nends = n;
    }
    return &c->ends[i];
}

/* A snapshot of a live connection TCB (not the listener, not gone). */
static bool
is_conn_view(const struct tcb_view *v)
{
    return v->exists && v->state != TCP_LISTEN && v->state != TCP_CLOSED;
}

static void
check_view(struct checker *c, const struct trace *tr,
           const struct trace_event *e, int side)
{
    struct tcb_view now = trace_view(tr, e, side);
    const struct tcb_view *v = &now;

    if (!v->exists)
        return;
    if (!seq_leq(v->snd_una, v->snd_nxt))
        fail(c, "[%u] %s: SND.UNA %u > SND.NXT %u", e->idx,
             trace_side_name((enum trace_side)side), v->snd_una, v->snd_nxt);
    switch ((enum tcp_state)v->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        if (!seq_gt(v->rcv_nxt, v->irs))
            fail(c, "[%u] %s in %s: RCV.NXT %u not past IRS %u", e->idx,
                 trace_side_name((enum trace_side)side),
                 tcp_state_name((enum tcp_state)v->state), v->rcv_nxt, v->irs);
        break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT: break;
    }
    for (int k = 0; k < TIMER__COUNT; k++)
        if (v->timer_us[k] && v->timer_us[k] < e->t_us)
            fail(c, "[%u] %s: %s timer due at %llu us, still armed at %llu",
                 e->idx, trace_side_name((enum trace_side)side),
                 tcp_timer_name((enum tcp_timer_kind)k),
                 (unsigned long long)v->timer_us[k],
                 (unsigned long long)e->t_us);
}

static void
check_state(struct checker *c, const struct trace_event *e)
{
    struct end_state *s;

    if (e->a < 0 || e->a >= TCP__STATE_COUNT || e->b < 0 ||
        e->b >= TCP__STATE_COUNT) {
        fail(c, "[%u] STATE with bad states %d -> %d", e->idx, e->a, e->b);
        return;
    }
    if (!tcp_arc_find((enum tcp_state)e->a, (enum tcp_state)e->b))
        fail(c, "[%u] %s: %s -> %s is not an RFC 9293 arc", e->idx,
             trace_side_name((enum trace_side)e->side),
             tcp_state_name((enum tcp_state)e->a),
             tcp_state_name((enum tcp_state)e->b));
    c->arcs[e->a][e->b]++;
    if (!e->why || !e->why[0])
        fail(c, "[%u] STATE without the rule that fired", e->idx);
    if (e->side > SIDE_SERVER)
        return;
    s = end_of(c, e->conn, e->side);
    /* A new TCB starts in CLOSED (active, listener) or LISTEN (a passive
     * one, made by its listener); otherwise it goes on from where the
     * last move left it. */
    if (s->seen_state && s->state != TCP_CLOSED && s->state != TCP_LISTEN &&
        e->a != s->state)
        fail(c, "[%u] %s: leaves %s, but it was in %s", e->idx,
             trace_side_name((enum trace_side)e->side),
             tcp_state_name((enum tcp_state)e->a),
             tcp_state_name((enum tcp_state)s->state));
    if ((!s->seen_state || s->state == TCP_CLOSED || s->state == TCP_LISTEN) &&
        e->a != TCP_CLOSED && e->a != TCP_LISTEN && e->a != s->state)
        fail(c, "[%u] %s: a new TCB leaves %s", e->idx,
             trace_side_name((enum trace_side)e->side),
             tcp_state_name((enum tcp_state)e->a));
    s->seen_state = true;
    s->state = (uint8_t)e->b;
    if (e->a != TCP_CLOSED && e->a != TCP_LISTEN)
        c->in_state[e->side][e->a]--;
    if (e->b != TCP_CLOSED && e->b != TCP_LISTEN &&
        ++c->in_state[e->side][e->b] > c->peak[e->side][e->b])
        c->peak[e->side][e->b] = c->in_state[e->side][e->b];
}

/* Read the whole trace of one run. */
static void
check_trace(struct checker *c, const struct trace *tr)
{
    for (size_t i = 0; i < tr->len; i++) {
        const struct trace_event *e = trace_at(tr, i);

        if (i > 0 && e->t_us < trace_at(tr, i - 1)->t_us)
            fail(c, "[%zu] time goes backwards", i);
        if (e->kind == TRACE_STATE)
            check_state(c, e);
        if (e->kind == TRACE_ARRIVE && e->t_us - e->seg.sent_us > c->msl_us)
            fail(c, "[%zu] delivered %llu us old, MSL is %llu", i,
                 (unsigned long long)(e->t_us - e->seg.sent_us),
                 (unsigned long long)c->msl_us);
        if (e->kind == TRACE_SEND && e->seg.due_us - e->t_us > c->msl_us)
            fail(c, "[%zu] a packet due %llu us after it leaves", i,
                 (unsigned long long)(e->seg.due_us - e->t_us));
        for (int side = 0; side < 2; side++)
            check_view(c, tr, e, side);
        if (e->conn) {
            for (int side = 0; side < 2; side++) {
                struct end_state *s = end_of(c, e->conn, side);
                s->v = trace_view(tr, e, side);
                s->have_view = true;
            }
        }
    }
}

/* How each connection ended; what is left must be explained. */
static void
check_ends(struct checker *c, const struct scenario *scn,
           const struct world_stats *st)
{
    uint64_t left = 0, world_left = 0;

    if (st->end_us >= scn->duration_us)
        fail(c,
             "the run was cut at its duration (%llu us): something was "
             "still going on",
             (unsigned long long)st->end_us);
    for (size_t conn = 1; conn * 2 < c->nends; conn++) {
        for (int side = 0; side < 2; side++) {
            const struct end_state *s = &c->ends[conn * 2 + (size_t)side];
            const struct end_state *peer =
                &c->ends[conn * 2 + (size_t)(1 - side)];
            const struct tcb_view *v = &s->v;

            if (!s->have_view || !is_conn_view(v))
                continue;
            left++;
            for (int k = 0; k < TIMER__COUNT; k++)
                if (v->timer_us[k])
                    fail(c, "conn %zu %s: %s timer armed at the end", conn,
                         trace_side_name((enum trace_side)side),
                         tcp_timer_name((enum tcp_timer_kind)k));
            if (v->state != TCP_ESTABLISHED && v->state != TCP_CLOSE_WAIT &&
                v->state != TCP_FIN_WAIT_2)
                fail(c, "conn %zu %s: left in %s", conn,
                     trace_side_name((enum trace_side)side),
                     tcp_state_name((enum tcp_state)v->state));
            else if (peer->have_view && is_conn_view(&peer->v))
                fail(c, "conn %zu: both ends left open (%s and %s)", conn,
                     tcp_state_name((enum tcp_state)v->state),
                     tcp_state_name((enum tcp_state)peer->v.state));
            else {
                c->half_open++;
                if (c->verbose)
                    printf("# half-open: %s seed %llu conn %zu %s in %s\n",
                           c->name, (unsigned long long)c->seed, conn,
                           trace_side_name((enum trace_side)side),
                           tcp_state_name((enum tcp_state)v->state));
            }
        }
    }
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < TCP__STATE_COUNT; k++)
            world_left += st->open[side][k];
    if (left != world_left)
        fail(c, "the trace leaves %llu TCBs open, the world %llu",
             (unsigned long long)left, (unsigned long long)world_left);
    /* --summary's peaks are the trace's. */
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < TCP__STATE_COUNT; k++)
            if (k != TCP_LISTEN && k != TCP_CLOSED &&
                st->peak[side][k] != c->peak[side][k])
                fail(c, "%s peak in %s: the world says %llu, the trace %llu",
                     trace_side_name((enum trace_side)side),
                     tcp_state_name((enum tcp_state)k),
                     (unsigned long long)st->peak[side][k],
                     (unsigned long long)c->peak[side][k]);
}

static char *
path_of(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 16;
    char *p = malloc(n);

    if (!p)
        abort();
    snprintf(p, n, "%s/%s.json", dir, name);
    return p;
}

int
main(int argc, char **argv)
{
    const char *srcdir = getenv("SRCDIR");
    const char *env_runs = getenv("SYNFIN_RANDOM_RUNS");
    char dir[1024];
    unsigned long runs = env_runs ? strtoul(env_runs, NULL, 10) : 20000;
    unsigned long total = 0, arcs_seen[TCP__STATE_COUNT][TCP__STATE_COUNT];
    clock_t start = clock();

    memset(arcs_seen, 0, sizeof arcs_seen);
    if (argc > 1)
        snprintf(dir, sizeof dir, "%s", argv[1]);
    else
        snprintf(dir, sizeof dir, "%s/tests/tcp/random", srcdir ? srcdir : ".");
    for (size_t k = 0; k < NSCEN; k++) {
        char *path = path_of(dir, scenario_names[k]);
        struct synfin_err err;
        struct scenario *scn = scenario_load(path, NULL, 0, &err);
        struct checker c;
        struct trace tr;
        struct world_stats st;
        unsigned long bad = 0;
        char buf[900];

        if (!scn) {
            ok(0, "%s loads", path);
            printf("#   %s\n", synfin_err_str(&err, buf, sizeof buf));
            free(path);
            continue;
        }
        memset(&c, 0, sizeof c);
        c.name = scenario_names[k];
        c.msl_us = scn->tcp.msl_us;
        c.verbose = getenv("SYNFIN_RANDOM_VERBOSE") != NULL;
        trace_init(&tr);
        for (unsigned long seed = 1; seed <= runs; seed++) {
            scn->seed = seed;
            c.seed = seed;
            c.failures = 0;
            memset(c.in_state, 0, sizeof c.in_state);
            memset(c.peak, 0, sizeof c.peak);
            if (c.nends)
                memset(c.ends, 0, c.nends * sizeof *c.ends);
            tr.len = 0;
            world_run(scn, &tr, &st);
            c.events += tr.len;
            check_trace(&c, &tr);
            check_ends(&c, scn, &st);
            if (c.failures) {
                if (bad++ < 10)
                    printf("# FAIL %s seed %lu: %s (%d problem%s)\n"
                           "#   replay: synfin --trace %s --seed %lu\n",
                           c.name, seed, c.first, c.failures,
                           c.failures == 1 ? "" : "s", path, seed);
            }
        }
        total += runs;
        ok(bad == 0,
           "%s: %lu seeded runs at 30%% loss keep every invariant "
           "(%lu failed)",
           c.name, runs, bad);
        printf("#   %lu events; %lu half-open ends after a peer's reset or "
               "timeout\n",
               c.events, c.half_open);
        for (int f = 0; f < TCP__STATE_COUNT; f++)
            for (int t = 0; t < TCP__STATE_COUNT; t++)
                arcs_seen[f][t] += c.arcs[f][t];
        trace_free(&tr);
        free(c.ends);
        scenario_free(scn);
        free(path);
    }
    ok(total >= 10000 || env_runs, "%lu seeded runs in all (at least 10,000)",
       total);
    {
        size_t n, taken = 0;
        const struct tcp_arc *arcs = tcp_arcs(&n);
        for (size_t i = 0; i < n; i++)
            if (arcs_seen[arcs[i].from][arcs[i].to])
                taken++;
            else
                printf("# never taken: %s -> %s\n",
                       tcp_state_name(arcs[i].from),
                       tcp_state_name(arcs[i].to));
        printf("# %zu of the %zu arcs taken at least once\n", taken, n);
    }
    printf("# %.1f s of CPU\n", (double)(clock() - start) / CLOCKS_PER_SEC);
    return done_testing();
}
