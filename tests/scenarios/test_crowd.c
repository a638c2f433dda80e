/*
 * The crowd scenarios (issue 12, "Scenarios for the crowd"): many
 * connections at once, whose lesson is a count over time rather than one
 * ladder. Each is run with a trace, and its teaching moment is checked on
 * the trace: the number of connections in each state, event by event, as
 * state_counts_step() counts it for --counts and the viewer's c, and the
 * run's world_stats peaks, which the engine counts the same way.
 *
 *   time-wait-pileup-10k     the client's TIME-WAIT count climbs for 60 s,
 *                            stays at 60 s worth of connections, then falls
 *   port-exhaustion-plateau  TIME-WAIT fills the port range; connect()
 *                            fails only while it is full
 *   close-wait-leak          CLOSE-WAIT only grows; the client's FIN-WAIT-2
 *                            orphans are dropped after tcp_fin_timeout
 *   close-wait-fixed         close on EOF: CLOSE-WAIT is brief, none is left
 *
 * test_library.c checks their text and notes like every shipped scenario's
 * and leaves their teaching check to this file.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synfin/scenario.h"
#include "synfin/tcp.h"
#include "synfin/trace.h"
#include "synfin/world.h"
#include "tap.h"

#define SEC 1000000ll
#define MS  1000ll

struct run {
    const char *name;
    struct scenario *s;
    struct trace tr;
    struct world_stats st;
};

static bool
run_open(struct run *r, const char *src, const char *name)
{
    char path[4400];
    struct synfin_err err;

    memset(r, 0, sizeof *r);
    r->name = name;
    snprintf(path, sizeof path, "%s/scenarios/%s.json", src, name);
    r->s = scenario_load(path, NULL, 0, &err);
    if (!ok(r->s != NULL, "%s loads", name)) {
        printf("#   %s: %s\n", err.where, err.msg);
        return false;
    }
    trace_init(&r->tr);
    ok(world_run(r->s, &r->tr, &r->st) == WORLD_DONE, "%s runs to its end",
       name);
    return true;
}

static void
run_close(struct run *r)
{
    trace_free(&r->tr);
    scenario_free(r->s);
}

/* Seconds, for messages. */
static double
sec(uint64_t us)
{
    return (double)us / 1e6;
}

/* Within [lo, hi] microseconds. */
static bool
within(int64_t t, int64_t lo, int64_t hi)
{
    return t >= lo && t <= hi;
}

/*
 * How one count (side, state) moves over a run, read at the end of each
 * instant (all the events at one time), as --counts writes it: its peak,
 * the first and last instants it is at the peak, whether it ever drops
 * between the two, and when it first goes down after the last one.
 */
struct curve {
    int64_t peak;
    uint64_t first_peak_us, last_peak_us;
    bool dip;           /* below the peak between first and last */
    uint64_t fall_us;   /* the first instant below it after last_peak_us */
    uint64_t zero_us;   /* the last instant it came back to 0 */
    int64_t end;        /* at the end of the run */
    bool rises_to_peak; /* never goes down before first_peak_us */
};

/* Steps *i past the next instant of t, counting into sc; false at the end.
 * The instant's time is then trace_at(t, *i - 1)->t_us. */
static bool
next_instant(const struct trace *t, size_t *i, struct state_counts *sc)
{
    while (*i < t->len) {
        state_counts_step(sc, trace_at(t, (*i)++));
        if (*i == t->len || trace_at(t, *i)->t_us != trace_at(t, *i - 1)->t_us)
            return true;
    }
    return false;
}

static void
curve_of(const struct trace *t, int side, int state, struct curve *c)
{
    struct state_counts sc;
    int64_t prev = 0;
    size_t i = 0;

    memset(&sc, 0, sizeof sc);
    memset(c, 0, sizeof *c);
    /* First pass: the peak and where it is, instant by instant. */
    while (next_instant(t, &i, &sc)) {
        int64_t v = sc.n[side][state];
        uint64_t at = trace_at(t, i - 1)->t_us;

        if (v > c->peak) {
            c->peak = v;
            c->first_peak_us = at;
        }
        if (v == c->peak && v > 0)
            c->last_peak_us = at;
        if (v == 0 && prev > 0)
            c->zero_us = at;
        prev = v;
    }
    c->end = prev;
    /* Second pass: how it gets there and leaves. */
    memset(&sc, 0, sizeof sc);
    c->rises_to_peak = true;
    prev = 0;
    i = 0;
    while (next_instant(t, &i, &sc)) {
        int64_t v = sc.n[side][state];
        uint64_t at = trace_at(t, i - 1)->t_us;

        if (at < c->first_peak_us && v < prev)
            c->rises_to_peak = false;
        if (at > c->first_peak_us && at < c->last_peak_us && v < c->peak)
            c->dip = true;
        if (at > c->last_peak_us && v < c->peak && !c->fall_us)
            c->fall_us = at;
        prev = v;
    }
}

/* Each client TCB's TIME-WAIT (or FIN-WAIT-2) lasted exactly len: from its
 * STATE event into state to its STATE event out of it to CLOSED, which
 * must say how (how, or END__COUNT for any). Returns how many did. */
static int
lasted(const struct trace *t, int side, int state, uint64_t len, int how,
       int *wrong)
{
    uint64_t *since = calloc(t->len + 2, sizeof *since);
    int n = 0;

    *wrong = 0;
    if (!since)
        abort();
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind != TRACE_STATE || e->side != side || e->conn == 0 ||
            e->conn > t->len)
            continue;
        if (e->b == state)
            since[e->conn] = e->t_us + 1; /* + 1: 0 means not seen */
        else if (e->a == state && e->b == TCP_CLOSED && since[e->conn]) {
            if (e->t_us - (since[e->conn] - 1) == len &&
                (how == END__COUNT || e->n == how))
                n++;
            else
                (*wrong)++;
        }
    }
    free(since);
    return n;
}

static uint64_t
total(const uint64_t *v, int n)
{
    uint64_t s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* ---- time-wait-pileup-10k ---------------------------------------------- */

static void
t_pileup_10k(const struct run *r)
{
    const struct scenario *s = r->s;
    uint64_t n = s->client.count, tw = s->tcp.time_wait_us;
    /* Connections per TIME-WAIT: the plateau's height. */
    uint64_t height = tw / s->client.every_us;
    uint64_t last_start = (n - 1) * s->client.every_us;
    struct curve c, srv;
    int wrong;

    is_int(n, 10000, "pileup-10k: 10,000 connections");
    is_int(r->st.ends[SIDE_CLIENT][END_CLOSED], n,
           "pileup-10k: every one closes, on the client through TIME-WAIT");
    is_int(lasted(&r->tr, SIDE_CLIENT, TCP_TIME_WAIT, tw, END_CLOSED, &wrong),
           n, "pileup-10k: each client TIME-WAIT lasts exactly %.0f s",
           sec(tw));
    is_int(wrong, 0, "pileup-10k: and none ends otherwise");

    curve_of(&r->tr, SIDE_CLIENT, TCP_TIME_WAIT, &c);
    printf("# TIME-WAIT: peak %lld from %.3f s to %.3f s, falls at %.3f s, "
           "0 at %.3f s\n",
           (long long)c.peak, sec(c.first_peak_us), sec(c.last_peak_us),
           sec(c.fall_us), sec(c.zero_us));
    is_int(c.peak, height,
           "pileup-10k: the peak is 60 s worth of connections (%llu)",
           (unsigned long long)height);
    is_int(r->st.peak[SIDE_CLIENT][TCP_TIME_WAIT], c.peak,
           "pileup-10k: world_stats counts the same peak");
    ok(c.rises_to_peak, "pileup-10k: the count only rises until the peak");
    ok(within((int64_t)c.first_peak_us, (int64_t)tw, (int64_t)tw + 200 * MS),
       "pileup-10k: reached about 60 s in (%.3f s), when the first "
       "TIME-WAIT expires",
       sec(c.first_peak_us));
    ok(!c.dip, "pileup-10k: it stays there: one leaves for each that comes");
    ok(within((int64_t)c.last_peak_us, (int64_t)last_start,
              (int64_t)last_start + 200 * MS),
       "pileup-10k: until the last connection enters TIME-WAIT (%.3f s)",
       sec(c.last_peak_us));
    ok(c.last_peak_us - c.first_peak_us >= 39 * SEC,
       "pileup-10k: a plateau of %.1f s",
       sec(c.last_peak_us - c.first_peak_us));
    ok(c.fall_us > c.last_peak_us &&
           c.fall_us - c.last_peak_us <= 2 * s->client.every_us,
       "pileup-10k: then it falls (%.3f s)", sec(c.fall_us));
    ok(c.end == 0 && within((int64_t)c.zero_us, (int64_t)(last_start + tw),
                            (int64_t)(last_start + tw) + 200 * MS),
       "pileup-10k: to 0 at %.3f s, 60 s after the last began", sec(c.zero_us));
    curve_of(&r->tr, SIDE_SERVER, TCP_TIME_WAIT, &srv);
    is_int(srv.peak, 0, "pileup-10k: the server, closing second, has none");
}

/* ---- port-exhaustion-plateau ------------------------------------------- */

static void
t_port_plateau(const struct run *r)
{
    const struct scenario *s = r->s;
    int64_t range = (int64_t)s->client.port_hi - s->client.port_lo + 1;
    struct state_counts sc;
    int bad_fail = 0, bad_ok = 0, fails = 0, oks = 0, fails_after = 0;
    uint64_t full_us = 0, free_us = 0, back_us = 0, first_tw_us = 0;
    int64_t prev = 0;
    struct curve c;

    ok(range >= 2 && range <= 100, "port-plateau: a small range (%lld ports)",
       (long long)range);
    is_int(s->tcp.tw_reuse, 0,
           "port-plateau: tcp_tw_reuse 0, so connect() takes over no "
           "TIME-WAIT");
    memset(&sc, 0, sizeof sc);
    for (size_t i = 0; i < r->tr.len; i++) {
        const struct trace_event *e = trace_at(&r->tr, i);
        state_counts_step(&sc, e);
        if (e->kind == TRACE_STATE && e->side == SIDE_CLIENT &&
            e->b == TCP_TIME_WAIT && !first_tw_us)
            first_tw_us = e->t_us;
        if (e->kind == TRACE_CALL && e->side == SIDE_CLIENT &&
            e->a == CALL_CONNECT) {
            int64_t in_tw = sc.n[SIDE_CLIENT][TCP_TIME_WAIT];
            if (e->b == EADDRNOTAVAIL) {
                fails++;
                if (in_tw != range)
                    bad_fail++;
                if (free_us)
                    fails_after++;
            } else if (e->b == 0) {
                oks++;
                if (in_tw >= range)
                    bad_ok++;
                if (free_us && !back_us)
                    back_us = e->t_us;
            }
        }
        if (i + 1 < r->tr.len && trace_at(&r->tr, i + 1)->t_us == e->t_us)
            continue;
        /* The end of an instant: the plateau begins and ends here. */
        if (sc.n[SIDE_CLIENT][TCP_TIME_WAIT] == range && prev < range &&
            !full_us)
            full_us = e->t_us;
        if (full_us && !free_us && sc.n[SIDE_CLIENT][TCP_TIME_WAIT] < range)
            free_us = e->t_us;
        prev = sc.n[SIDE_CLIENT][TCP_TIME_WAIT];
    }
    printf("# %d connects failed, %d got a port; full at %.3f s, a port "
           "free at %.3f s, connect() works again at %.3f s\n",
           fails, oks, sec(full_us), sec(free_us), sec(back_us));
    ok(fails > 0 && oks > range,
       "port-plateau: connects fail, and succeed again later");
    is_int(bad_fail, 0,
           "port-plateau: every EADDRNOTAVAIL comes while all %lld ports are "
           "in TIME-WAIT",
           (long long)range);
    is_int(bad_ok, 0, "port-plateau: and no connect() fails otherwise");
    is_int(r->st.failed_calls[SIDE_CLIENT][CALL_CONNECT], fails,
           "port-plateau: world_stats counts the same failures");
    is_int(r->st.failed_errno[SIDE_CLIENT][CALL_CONNECT], EADDRNOTAVAIL,
           "port-plateau: all of them EADDRNOTAVAIL");
    curve_of(&r->tr, SIDE_CLIENT, TCP_TIME_WAIT, &c);
    is_int(c.peak, range,
           "port-plateau: the TIME-WAIT count peaks at the "
           "range's size");
    is_int(r->st.peak[SIDE_CLIENT][TCP_TIME_WAIT], range,
           "port-plateau: world_stats counts the same peak");
    ok(full_us > 0 && full_us < 10 * SEC,
       "port-plateau: the range is full after %.3f s", sec(full_us));
    ok(free_us == first_tw_us + s->tcp.time_wait_us,
       "port-plateau: the plateau ends when the first TIME-WAIT expires, "
       "60 s after it began (%.3f s)",
       sec(free_us));
    ok(within((int64_t)(free_us - full_us), 50 * SEC, 51 * SEC),
       "port-plateau: the plateau lasts %.3f s", sec(free_us - full_us));
    ok(back_us > free_us && back_us - free_us <= s->client.every_us,
       "port-plateau: the next connect() after that gets a port (%.3f s)",
       sec(back_us));
    ok(fails_after > 0,
       "port-plateau: and the range fills up again (%d "
       "more failures)",
       fails_after);
    is_int(r->st.ends[SIDE_CLIENT][END_CLOSED], oks,
           "port-plateau: every connection that got a port closes through "
           "TIME-WAIT");
}

/* ---- close-wait-leak and close-wait-fixed ------------------------------ */

static void
t_close_wait_leak(const struct run *r)
{
    const struct scenario *s = r->s;
    uint64_t n = s->client.count, fin_to = s->tcp.fin_timeout_us;
    struct curve cw, fw2;
    int wrong;

    ok(n >= 20 && n <= 200, "close-wait-leak: %llu connections",
       (unsigned long long)n);
    curve_of(&r->tr, SIDE_SERVER, TCP_CLOSE_WAIT, &cw);
    ok(cw.rises_to_peak && !cw.dip && cw.fall_us == 0,
       "close-wait-leak: CLOSE-WAIT only grows (to %lld at %.3f s)",
       (long long)cw.peak, sec(cw.first_peak_us));
    is_int(cw.end, n,
           "close-wait-leak: at the end every connection is in CLOSE-WAIT");
    is_int(r->st.open[SIDE_SERVER][TCP_CLOSE_WAIT], n,
           "close-wait-leak: world_stats: %llu CLOSE-WAITs still open",
           (unsigned long long)n);
    is_int(r->st.ends[SIDE_SERVER][END_OPEN], n,
           "close-wait-leak: none of the server's TCBs ends");
    is_int(fin_to, 60 * SEC, "close-wait-leak: tcp_fin_timeout is 60 s");
    is_int(
        lasted(&r->tr, SIDE_CLIENT, TCP_FIN_WAIT_2, fin_to, END_ORPHAN, &wrong),
        n,
        "close-wait-leak: each client FIN-WAIT-2 ends as an orphan, "
        "60 s after it began");
    is_int(wrong, 0, "close-wait-leak: and none ends otherwise");
    is_int(r->st.ends[SIDE_CLIENT][END_ORPHAN], n,
           "close-wait-leak: world_stats: %llu orphans dropped",
           (unsigned long long)n);
    curve_of(&r->tr, SIDE_CLIENT, TCP_FIN_WAIT_2, &fw2);
    ok(fw2.peak > 1 && fw2.end == 0,
       "close-wait-leak: the orphans pile up (%lld) and are all gone",
       (long long)fw2.peak);
    is_int(r->st.peak[SIDE_CLIENT][TCP_TIME_WAIT] +
               r->st.peak[SIDE_SERVER][TCP_TIME_WAIT] +
               r->st.peak[SIDE_SERVER][TCP_LAST_ACK],
           0, "close-wait-leak: no TIME-WAIT, no LAST-ACK anywhere");
}

static void
t_close_wait_fixed(const struct run *r)
{
    const struct scenario *s = r->s;
    uint64_t n = s->client.count;
    struct curve cw, tw;
    int wrong;

    ok(n >= 20 && n <= 200, "close-wait-fixed: %llu connections",
       (unsigned long long)n);
    curve_of(&r->tr, SIDE_SERVER, TCP_CLOSE_WAIT, &cw);
    ok(cw.peak >= 1 && cw.peak <= 2,
       "close-wait-fixed: CLOSE-WAIT peaks at %lld", (long long)cw.peak);
    is_int(r->st.peak[SIDE_SERVER][TCP_CLOSE_WAIT], cw.peak,
           "close-wait-fixed: world_stats counts the same peak");
    is_int(cw.end, 0, "close-wait-fixed: no CLOSE-WAIT is left at the end");
    is_int(total(r->st.open[SIDE_SERVER], TCP__STATE_COUNT) -
               r->st.open[SIDE_SERVER][TCP_LISTEN],
           0, "close-wait-fixed: the server holds no connection at the end");
    is_int(lasted(&r->tr, SIDE_SERVER, TCP_CLOSE_WAIT, 10 * MS, END__COUNT,
                  &wrong) +
               wrong,
           0, "close-wait-fixed: no CLOSE-WAIT goes straight to CLOSED");
    is_int(r->st.ends[SIDE_SERVER][END_CLOSED], n,
           "close-wait-fixed: every server TCB closes, through LAST-ACK");
    is_int(lasted(&r->tr, SIDE_CLIENT, TCP_TIME_WAIT, s->tcp.time_wait_us,
                  END_CLOSED, &wrong),
           n, "close-wait-fixed: each client waits in TIME-WAIT instead");
    curve_of(&r->tr, SIDE_CLIENT, TCP_TIME_WAIT, &tw);
    ok(tw.peak > cw.peak && tw.end == 0,
       "close-wait-fixed: they pile up (%lld) and expire", (long long)tw.peak);
    is_int(r->st.ends[SIDE_CLIENT][END_ORPHAN], 0,
           "close-wait-fixed: no orphan is dropped");
}

static const struct {
    const char *name;
    void (*check)(const struct run *);
} checks[] = {
    {"time-wait-pileup-10k", t_pileup_10k},
    {"port-exhaustion-plateau", t_port_plateau},
    {"close-wait-leak", t_close_wait_leak},
    {"close-wait-fixed", t_close_wait_fixed},
};

int
main(void)
{
    const char *src = getenv("SRCDIR");

    if (!src) {
        printf("1..0 # SKIP SRCDIR is not set\n");
        return 0;
    }
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        struct run r;
        if (!run_open(&r, src, checks[i].name))
            continue;
        checks[i].check(&r);
        run_close(&r);
    }
    return done_testing();
}
