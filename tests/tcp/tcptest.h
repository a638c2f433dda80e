/*
 * Helpers for the tcp suite: run a scenario written inline, then look
 * things up in its trace. Scenarios are JSON with ' in place of ", so they
 * read as JSON inside C strings; no scenario text here needs a real '.
 *
 * A test finds the event it cares about (a state change, the segment sent
 * right after it, the timer armed with it) and checks its fields. When a
 * check in a run fails, the whole trace is printed as TAP comments, so the
 * failure can be read without re-running anything.
 */
#ifndef SYNFIN_TCPTEST_H
#define SYNFIN_TCPTEST_H

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

#define SEC 1000000ull
#define MS  1000ull

/* A scenario run and its trace. */
struct tt {
    const char *name;
    struct scenario *scn;
    struct trace tr;
    struct world_stats st;
    int failed_before; /* tap_failed when the run started */
};

/* ' -> " (a fresh string, to free). */
static inline char *
tt_json(const char *q)
{
    size_t n = strlen(q);
    char *s = malloc(n + 1);

    if (!s)
        abort();
    for (size_t i = 0; i <= n; i++)
        s[i] = q[i] == '\'' ? '"' : q[i];
    return s;
}

/* Load a scenario written with '; NULL (and a TAP failure) on error. */
static inline struct scenario *
tt_load(const char *name, const char *q, const char *const *ovr, size_t novr)
{
    struct synfin_err err;
    char *json = tt_json(q);
    struct scenario *s =
        scenario_load_buffer(name, json, strlen(json), ovr, novr, &err);
    char buf[900];

    free(json);
    if (!s) {
        ok(0, "%s: the scenario loads", name);
        printf("#   %s\n", synfin_err_str(&err, buf, sizeof buf));
    }
    return s;
}

/* Run a loaded scenario with a trace. Takes ownership of s. */
static inline bool
tt_run_scn(struct tt *t, const char *name, struct scenario *s)
{
    memset(t, 0, sizeof *t);
    t->name = name;
    t->failed_before = tap_failed;
    trace_init(&t->tr);
    t->scn = s;
    if (!s)
        return false;
    world_run(s, &t->tr, &t->st);
    return true;
}

static inline bool
tt_run(struct tt *t, const char *name, const char *q)
{
    return tt_run_scn(t, name, tt_load(name, q, NULL, 0));
}

static inline void
tt_dump(const struct trace *tr)
{
    char buf[1024];

    for (size_t i = 0; i < tr->len; i++)
        printf("#   [%zu] %s\n", i,
               trace_format_event(trace_at(tr, i), buf, sizeof buf));
}

/* Free the run; print its trace first if a check failed since it began. */
static inline void
tt_done(struct tt *t)
{
    if (tap_failed > t->failed_before && t->tr.len) {
        printf("# trace of %s:\n", t->name);
        tt_dump(&t->tr);
    }
    trace_free(&t->tr);
    if (t->scn)
        scenario_free(t->scn);
    memset(t, 0, sizeof *t);
}

/* ---- finding events --------------------------------------------------- */

enum { ANY = -1 };

static inline const struct trace_event *
tt_ev(const struct tt *t, long i)
{
    return i >= 0 && (size_t)i < t->tr.len ? trace_at(&t->tr, i) : NULL;
}

/* side's TCB as it was after event i. */
static inline struct tcb_view
tt_view(const struct tt *t, long i, int side)
{
    return trace_view(&t->tr, trace_at(&t->tr, (size_t)i), side);
}

/* First STATE event at or after `from` on side (ANY) for from_s -> to_s
 * (either may be ANY). -1 if none. */
static inline long
tt_state(const struct tt *t, long from, int side, int from_s, int to_s)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < t->tr.len; i++) {
        const struct trace_event *e = trace_at(&t->tr, i);
        if (e->kind == TRACE_STATE && (side == ANY || e->side == side) &&
            (from_s == ANY || e->a == from_s) && (to_s == ANY || e->b == to_s))
            return (long)i;
    }
    return -1;
}

/* First event of kind at or after `from` on side (ANY): for SEND, side is
 * the sender (SIDE_NET for ICMP and the network's copies). */
static inline long
tt_kind(const struct tt *t, long from, int kind, int side)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < t->tr.len; i++) {
        const struct trace_event *e = trace_at(&t->tr, i);
        if (e->kind == kind && (side == ANY || e->side == side))
            return (long)i;
    }
    return -1;
}

/* First TCP segment sent by side at or after `from`; flags ANY or exact. */
static inline long
tt_send(const struct tt *t, long from, int side, int flags)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < t->tr.len; i++) {
        const struct trace_event *e = trace_at(&t->tr, i);
        if (e->kind == TRACE_SEND && e->side == side &&
            !(e->seg.tags & SEG_ICMP) &&
            (flags == ANY || e->seg.flags == flags))
            return (long)i;
    }
    return -1;
}

/* The segment of side's nth (from 1) TCP send with exactly these flags
 * (ANY: any), or NULL. */
static inline const struct seg_view *
tt_nth_sent(const struct tt *t, int side, int flags, int n)
{
    long i = -1;

    while (n-- > 0)
        if ((i = tt_send(t, i + 1, side, flags)) < 0)
            return NULL;
    return &trace_at(&t->tr, (size_t)i)->seg;
}

/* First timer event (TRACE_TIMER_*) of kind on side at or after `from`. */
static inline long
tt_timer(const struct tt *t, long from, int tkind, int side, int timer)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < t->tr.len; i++) {
        const struct trace_event *e = trace_at(&t->tr, i);
        if (e->kind == tkind && e->side == side &&
            (timer == ANY || e->a == timer))
            return (long)i;
    }
    return -1;
}

/* First APP event of ev on side. */
static inline long
tt_app(const struct tt *t, long from, int side, int ev)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < t->tr.len; i++) {
        const struct trace_event *e = trace_at(&t->tr, i);
        if (e->kind == TRACE_APP && e->side == side &&
            (ev == ANY || e->a == ev))
            return (long)i;
    }
    return -1;
}

/* First CALL of call on side. */
static inline long
tt_call(const struct tt *t, long from, int side, int call)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < t->tr.len; i++) {
        const struct trace_event *e = trace_at(&t->tr, i);
        if (e->kind == TRACE_CALL && e->side == side &&
            (call == ANY || e->a == call))
            return (long)i;
    }
    return -1;
}

/* Events of kind by side (ANY) in [from, to). */
static inline int
tt_count(const struct tt *t, long from, long to, int kind, int side)
{
    int n = 0;

    if (to < 0 || (size_t)to > t->tr.len)
        to = (long)t->tr.len;
    for (long i = from < 0 ? 0 : from; i < to; i++)
        if (trace_at(&t->tr, i)->kind == kind &&
            (side == ANY || trace_at(&t->tr, i)->side == side))
            n++;
    return n;
}

/* Index of the last event of the trace that happens at time t_us or before
 * (the end of an instant). */
static inline long
tt_instant_end(const struct tt *t, long i)
{
    uint64_t at;

    if (i < 0 || (size_t)i >= t->tr.len)
        return i;
    at = trace_at(&t->tr, i)->t_us;
    while ((size_t)(i + 1) < t->tr.len && trace_at(&t->tr, i + 1)->t_us == at)
        i++;
    return i;
}

/* ---- checks ----------------------------------------------------------- */

static inline const char *
tt_flags(uint8_t f, char *buf)
{
    return tcp_flags_str(f, buf);
}

/*
 * The segment of SEND event i has exactly these flags, seq, ack and
 * payload length. Prints what it got otherwise.
 */
static inline bool
tt_seg_is(const struct tt *t, long i, int flags, uint32_t seq, uint32_t ack,
          uint32_t len, const char *what)
{
    const struct trace_event *e = tt_ev(t, i);
    char g[24], w[24];
    bool good;

    if (!e) {
        ok(0, "%s: %s is sent", t->name, what);
        return false;
    }
    good = e->seg.flags == flags && e->seg.seq == seq &&
           (!(flags & TCP_ACK) || e->seg.ack == ack) && e->seg.len == len;
    ok(good, "%s: %s is %s seq=%u ack=%u len=%u", t->name, what,
       tt_flags((uint8_t)flags, w), seq, ack, len);
    if (!good)
        printf("#   got [%ld] %s seq=%u ack=%u len=%u\n", i,
               tt_flags(e->seg.flags, g), e->seg.seq, e->seg.ack, e->seg.len);
    return good;
}

/* Side's timer of this kind, once the instant of event i is over, expires
 * at want_us (0 = not running). Timers are armed after the segment they
 * guard is sent, so this looks at the last event of the instant. */
static inline void
tt_timer_is(const struct tt *t, long i, int side, int timer, uint64_t want_us,
            const char *what)
{
    const struct trace_event *e = i >= 0 ? tt_ev(t, tt_instant_end(t, i)) : 0;
    uint64_t got =
        e ? trace_view(&t->tr, e, side).timer_us[timer] : (uint64_t)-1;

    ok(e && got == want_us, "%s: %s: %s timer %s", t->name, what,
       tcp_timer_name((enum tcp_timer_kind)timer),
       want_us ? "armed at the expected time" : "not running");
    if (!e || got != want_us)
        printf("#   got %llu us, want %llu us\n", (unsigned long long)got,
               (unsigned long long)want_us);
}

/* The state change from -> to happened on side; returns its index. */
static inline long
tt_expect_state(const struct tt *t, long from, int side, int s_from, int s_to)
{
    long i = tt_state(t, from, side, s_from, s_to);

    ok(i >= 0, "%s: %s goes %s -> %s", t->name, trace_side_name(side),
       tcp_state_name((enum tcp_state)s_from),
       tcp_state_name((enum tcp_state)s_to));
    return i;
}

/* No TCP segment leaves side in the instant of event i (after it). */
static inline void
tt_no_send_after(const struct tt *t, long i, int side, const char *what)
{
    long end = tt_instant_end(t, i);
    long s = tt_send(t, i, side, ANY);

    ok(s < 0 || s > end, "%s: %s", t->name, what);
    if (s >= 0 && s <= end)
        printf("#   sent at [%ld]\n", s);
}

/* Every timer of side is stopped once the instant of event i is over. */
static inline void
tt_no_timers(const struct tt *t, long i, int side, const char *what)
{
    const struct trace_event *e = i >= 0 ? tt_ev(t, tt_instant_end(t, i)) : 0;
    bool none = e != NULL;

    struct tcb_view v = e ? trace_view(&t->tr, e, side) : (struct tcb_view){0};

    for (int k = 0; e && k < TIMER__COUNT; k++)
        if (v.timer_us[k]) {
            none = false;
            printf("#   %s timer still armed at %llu us\n",
                   tcp_timer_name((enum tcp_timer_kind)k),
                   (unsigned long long)v.timer_us[k]);
        }
    ok(none, "%s: %s", t->name, what);
}

/*
 * Side's TIME-WAIT, entered at event tw, ended by its own timer: the move
 * to CLOSED follows the TIME-WAIT timer's firing, at the expiry of its
 * last (re)start, and that expiry is 2MSL (time_wait_us) after the start.
 * Returns the index of the move to CLOSED, or -1 (after a TAP failure).
 */
static inline long
tt_time_wait_by_timer(const struct tt *t, long tw, int side, const char *what)
{
    long i = tt_state(t, tw, side, TCP_TIME_WAIT, TCP_CLOSED);
    long set = -1, fire = -1;
    bool good;

    for (long k = tw; k >= 0 && k < (i < 0 ? (long)t->tr.len : i); k++) {
        const struct trace_event *e = trace_at(&t->tr, k);
        if (e->side != side || e->a != TIMER_TIME_WAIT)
            continue;
        if (e->kind == TRACE_TIMER_SET)
            set = k;
        else if (e->kind == TRACE_TIMER_FIRE)
            fire = k;
    }
    good = i >= 0 && set >= 0 && fire > set &&
           trace_at(&t->tr, fire)->t_us == (uint64_t)trace_at(&t->tr, set)->n &&
           trace_at(&t->tr, i)->t_us == trace_at(&t->tr, fire)->t_us &&
           (uint64_t)trace_at(&t->tr, set)->n ==
               trace_at(&t->tr, set)->t_us + t->scn->tcp.time_wait_us;
    ok(good, "%s: %s", t->name, what);
    if (!good && i >= 0)
        printf("#   TIME-WAIT entered at [%ld], ended at [%ld] %.6f s: %s\n",
               tw, i, trace_at(&t->tr, i)->t_us / 1e6,
               trace_at(&t->tr, i)->why ? trace_at(&t->tr, i)->why : "");
    return good ? i : -1;
}

#endif
