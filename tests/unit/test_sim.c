/* The event core: heap order, equal-time ties, cancel, lanes and their
 * prefetch hook, the wheel, random streams. */
#include <stdbool.h>
#include <stdlib.h>

#include "synfin/sim.h"
#include "tap.h"

struct rec {
    struct sim_timer t;
    int id;
    int *log;
    int *n;
};

static void
fire(struct sim *sim, void *arg)
{
    struct rec *r = arg;
    (void)sim;
    r->log[(*r->n)++] = r->id;
}

static void
test_order_and_ties(void)
{
    struct sim *sim = sim_new(1);
    struct rec r[6];
    int log[6], n = 0;
    /* Delays: ties at 10 must fire in arming order 1, 3, 4. */
    uint64_t delays[6] = {20, 10, 30, 10, 10, 5};

    for (int i = 0; i < 6; i++) {
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
        sim_arm(sim, &r[i].t, delays[i], fire, &r[i], "t");
    }
    is_int(sim_pending(sim), 6, "six armed");
    is_int(sim_run(sim, UINT64_MAX, 0), 6, "six fired");
    is_int(log[0], 5, "earliest first");
    is_int(log[1], 1, "tie at 10: first armed");
    is_int(log[2], 3, "tie at 10: second armed");
    is_int(log[3], 4, "tie at 10: third armed");
    is_int(log[4], 0, "then 20");
    is_int(log[5], 2, "then 30");
    is_int(sim_now(sim), 30, "clock at the last event");
    sim_free(sim);
}

static void
test_cancel_rearm_until(void)
{
    struct sim *sim = sim_new(1);
    struct rec a, b, c;
    int log[4], n = 0;

    a = (struct rec){.id = 1, .log = log, .n = &n};
    b = (struct rec){.id = 2, .log = log, .n = &n};
    c = (struct rec){.id = 3, .log = log, .n = &n};
    sim_arm(sim, &a.t, 10, fire, &a, "a");
    sim_arm(sim, &b.t, 20, fire, &b, "b");
    sim_arm(sim, &c.t, 30, fire, &c, "c");
    sim_cancel(sim, &b.t);
    ok(!sim_armed(&b.t), "cancelled timer is not armed");
    sim_cancel(sim, &b.t);                 /* cancelling twice is harmless */
    sim_arm(sim, &a.t, 40, fire, &a, "a"); /* re-arm moves it */
    is_int(sim_run(sim, 35, 0), 1, "only c fires before 35");
    is_int(log[0], 3, "c fired");
    is_int(sim_now(sim), 30, "clock stays at the last fired event");
    is_int(sim_run(sim, UINT64_MAX, 0), 1, "then a");
    is_int(log[1], 1, "a fired once, at its new time");
    is_int(sim_now(sim), 40, "at 40");
    sim_free(sim);
}

/* Many random arm/cancel operations against a simple model. */
static void
test_heap_random(void)
{
    enum { N = 2000 };
    struct sim *sim = sim_new(7);
    struct rec *r = calloc(N, sizeof *r);
    int *log = calloc(N, sizeof *log), n = 0, bad = 0;
    uint64_t last = 0;

    for (int i = 0; i < N; i++) {
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
        sim_arm(sim, &r[i].t, sim_rand(sim, RNG_RULE) % 1000, fire, &r[i], "r");
    }
    for (int i = 0; i < N; i += 3)
        sim_cancel(sim, &r[i].t);
    sim_run(sim, UINT64_MAX, 0);
    for (int i = 0; i < n; i++) {
        uint64_t when = sim_timer_due(&r[log[i]].t);
        if (log[i] % 3 == 0 || when < last)
            bad++;
        last = when;
    }
    is_int(n, N - (N + 2) / 3, "every armed timer fired once");
    is_int(bad, 0, "in time order, none cancelled");
    free(r);
    free(log);
    sim_free(sim);
}

/* A lane's FIFO with its head, a middle timer and its tail cancelled. */
static void
test_lane_cancels(void)
{
    struct sim *sim = sim_new(1);
    struct sim_lane lane = {.delay_us = 100};
    struct rec r[6], step;
    int log[8], n = 0, dummy[8], dn = 0;

    step = (struct rec){.id = 99, .log = dummy, .n = &dn};
    for (int i = 0; i < 6; i++) {
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
        /* Timer i is armed at time i, so it is due at 100 + i. */
        sim_arm_lane(sim, &lane, &r[i].t, fire, &r[i], "lane");
        sim_arm(sim, &step.t, 1, fire, &step, "step");
        sim_run(sim, UINT64_MAX, 1);
    }
    is_int(sim_pending(sim), 6, "six in the lane");
    sim_cancel(sim, &r[0].t); /* the head, which is in the heap */
    sim_cancel(sim, &r[2].t); /* the middle */
    sim_cancel(sim, &r[5].t); /* the tail */
    ok(!sim_armed(&r[0].t) && !sim_armed(&r[2].t) && !sim_armed(&r[5].t),
       "cancelled lane timers are not armed");
    is_int(sim_pending(sim), 3, "three left");
    /* Re-arm a cancelled one at time 6: it goes to the tail, due at 106. */
    sim_arm_lane(sim, &lane, &r[2].t, fire, &r[2], "lane");
    is_int(sim_run(sim, 103, 0), 2, "two due by 103");
    is_int(log[0], 1, "head cancelled: the next one fires first");
    is_int(log[1], 3, "the middle one was skipped");
    is_int(sim_now(sim), 103, "at 103");
    /* Move a lane timer out of its lane: it becomes a plain timer. */
    sim_arm(sim, &r[4].t, 50, fire, &r[4], "plain");
    is_int(sim_run(sim, UINT64_MAX, 0), 2, "then the rest");
    is_int(log[2], 2, "the re-armed one, at its new place");
    is_int(log[3], 4, "the one moved out of the lane, at its own time");
    is_int(sim_now(sim), 153, "clock at 103 + 50");
    is_int(n, 4, "nothing else fired");
    is_int(sim_pending(sim), 0, "nothing pending");
    sim_free(sim);
}

/*
 * A lane's prefetch hook is called just before each of the lane's timers
 * fires, with the args of the two due after it; never for a cancel or for
 * a timer outside the lane.
 */
static struct hook_log {
    int calls;
    const void *next[8], *after_next[8];
    int fired[8]; /* events logged when the hook was called */
    const int *n;
} hook_log;

static void
record_prefetch(const void *next, const void *after_next)
{
    struct hook_log *h = &hook_log;

    if (h->calls < 8) {
        h->next[h->calls] = next;
        h->after_next[h->calls] = after_next;
        h->fired[h->calls] = *h->n;
    }
    h->calls++;
}

static void
test_lane_prefetch(void)
{
    struct sim *sim = sim_new(1);
    struct sim_lane lane = {.delay_us = 100, .prefetch = record_prefetch};
    struct rec r[5], plain, step;
    int log[8], n = 0, dummy[8], dn = 0;

    hook_log = (struct hook_log){.n = &n};
    step = (struct rec){.id = 99, .log = dummy, .n = &dn};
    for (int i = 0; i < 5; i++) {
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
        /* Timer i is armed at time i, so it is due at 100 + i. */
        sim_arm_lane(sim, &lane, &r[i].t, fire, &r[i], "lane");
        sim_arm(sim, &step.t, 1, fire, &step, "step");
        sim_run(sim, UINT64_MAX, 1);
    }
    plain = (struct rec){.id = 5, .log = log, .n = &n};
    sim_arm(sim, &plain.t, 200, fire, &plain, "plain");
    sim_cancel(sim, &r[0].t);
    is_int(hook_log.calls, 0, "no hook for plain timers or a cancel");
    is_int(sim_run(sim, UINT64_MAX, 0), 5, "the lane's four, then the plain");
    is_int(hook_log.calls, 4, "the hook ran once for each lane timer");
    ok(hook_log.next[0] == &r[2] && hook_log.after_next[0] == &r[3],
       "before 1 fires: 2 and 3");
    ok(hook_log.next[1] == &r[3] && hook_log.after_next[1] == &r[4],
       "before 2 fires: 3 and 4");
    ok(hook_log.next[2] == &r[4] && hook_log.after_next[2] == NULL,
       "before 3 fires: 4, then none");
    ok(hook_log.next[3] == NULL && hook_log.after_next[3] == NULL,
       "before 4 fires: none");
    for (int i = 0; i < 4; i++)
        is_int(hook_log.fired[i], i, "hook %d ran just before its timer", i);
    is_int(log[0], 1, "the hook does not change the order");
    is_int(log[4], 5, "the plain timer last");
    sim_free(sim);
}

/* Lane timers and plain timers due at the same time fire in arming order. */
static void
test_lane_heap_ties(void)
{
    struct sim *sim = sim_new(1);
    struct sim_lane a = {.delay_us = 10}, b = {.delay_us = 10};
    struct rec r[6];
    int log[6], n = 0;

    for (int i = 0; i < 6; i++)
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
    sim_arm_lane(sim, &a, &r[0].t, fire, &r[0], "a");
    sim_arm(sim, &r[1].t, 10, fire, &r[1], "plain");
    sim_arm_lane(sim, &b, &r[2].t, fire, &r[2], "b");
    sim_arm_lane(sim, &a, &r[3].t, fire, &r[3], "a");
    sim_arm(sim, &r[4].t, 10, fire, &r[4], "plain");
    sim_arm_lane(sim, &b, &r[5].t, fire, &r[5], "b");
    is_int(sim_run(sim, UINT64_MAX, 0), 6, "all six fire");
    for (int i = 0; i < 6; i++)
        is_int(log[i], i, "tie at 10, position %d: arming order", i);
    is_int(sim_now(sim), 10, "all at 10");
    sim_free(sim);
}

/* Re-arming moves a timer behind everything armed before, even at a tie. */
static void
test_rearm_tie(void)
{
    struct sim *sim = sim_new(1);
    struct rec r[3];
    int log[3], n = 0;

    for (int i = 0; i < 3; i++) {
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
        sim_arm(sim, &r[i].t, 5, fire, &r[i], "t");
    }
    sim_arm(sim, &r[0].t, 5, fire, &r[0], "t");
    sim_run(sim, UINT64_MAX, 0);
    is_int(log[0], 1, "re-armed timer lost its place: 1 first");
    is_int(log[1], 2, "then 2");
    is_int(log[2], 0, "then the re-armed 0");
    sim_free(sim);
}

/*
 * Timers armed with no delay wait in a FIFO outside the heap: they must
 * still fire after every timer due at the same time that was armed
 * before them, and before every one armed after them.
 */
struct chain {
    struct rec r;
    struct sim_timer *then[2]; /* armed with delay 0 when r fires */
    struct rec *then_rec[2];
};

static void
fire_chain(struct sim *sim, void *arg)
{
    struct chain *c = arg;

    fire(sim, &c->r);
    for (int i = 0; i < 2; i++)
        if (c->then[i])
            sim_arm(sim, c->then[i], 0, fire, c->then_rec[i], "now");
}

static void
test_zero_delay(void)
{
    struct sim *sim = sim_new(1);
    struct chain a = {0};
    struct rec d, b, c, e, f, g;
    int log[8], n = 0;

    a.r = (struct rec){.id = 1, .log = log, .n = &n};
    d = (struct rec){.id = 2, .log = log, .n = &n};
    b = (struct rec){.id = 3, .log = log, .n = &n};
    c = (struct rec){.id = 4, .log = log, .n = &n};
    e = (struct rec){.id = 5, .log = log, .n = &n};
    f = (struct rec){.id = 6, .log = log, .n = &n};
    g = (struct rec){.id = 7, .log = log, .n = &n};
    a.then[0] = &b.t;
    a.then_rec[0] = &b;
    a.then[1] = &c.t;
    a.then_rec[1] = &c;
    /* a and d are due at 10; a arms b and c for "now" when it fires. */
    sim_arm(sim, &a.r.t, 10, fire_chain, &a, "a");
    sim_arm(sim, &d.t, 10, fire, &d, "d");
    sim_arm(sim, &e.t, 11, fire, &e, "e");
    /* f and g are armed now, at 0, with no delay; g is then cancelled. */
    sim_arm(sim, &f.t, 0, fire, &f, "f");
    sim_arm(sim, &g.t, 0, fire, &g, "g");
    is_int(sim_pending(sim), 5, "five armed");
    sim_cancel(sim, &g.t);
    ok(!sim_armed(&g.t), "a cancelled no-delay timer is not armed");
    is_int(sim_run(sim, 0, 0), 1, "only f is due at 0");
    is_int(log[0], 6, "f fired at 0");
    is_int(sim_run(sim, 10, 0), 4, "four due at 10");
    is_int(log[1], 1, "a, armed first");
    is_int(log[2], 2, "d, armed before b and c");
    is_int(log[3], 3, "b, armed by a");
    is_int(log[4], 4, "c, armed by a after b");
    is_int(sim_now(sim), 10, "clock stays at 10");
    /* A no-delay timer re-armed with a delay leaves the FIFO. */
    sim_arm(sim, &b.t, 0, fire, &b, "b");
    sim_arm(sim, &b.t, 5, fire, &b, "b");
    is_int(sim_run(sim, UINT64_MAX, 0), 2, "then e and b");
    is_int(log[5], 5, "e at 11");
    is_int(log[6], 3, "b at 15");
    is_int(sim_now(sim), 15, "at 15");
    /* Stopping inside a no-delay timer leaves the rest pending. */
    sim_arm(sim, &f.t, 0, fire, &f, "f");
    sim_arm(sim, &g.t, 0, fire, &g, "g");
    is_int(sim_run(sim, UINT64_MAX, 1), 1, "max_events 1: one fired");
    is_int(sim_pending(sim), 1, "one still pending");
    sim_free(sim);
    ok(!sim_armed(&g.t), "sim_free disarms what is left");
}

/*
 * Timers armed 1 ms or more ahead wait in a wheel of 512 us slots and
 * join the heap, with their keys, before their time: a far timer must
 * still fire before a near one armed later for the same time.
 */
static void
test_wheel_ties(void)
{
    struct sim *sim = sim_new(1);
    struct rec x, z, y, step, w, v;
    int log[8], n = 0, dummy[4], dn = 0;

    x = (struct rec){.id = 1, .log = log, .n = &n};
    z = (struct rec){.id = 2, .log = log, .n = &n};
    y = (struct rec){.id = 3, .log = log, .n = &n};
    w = (struct rec){.id = 4, .log = log, .n = &n};
    v = (struct rec){.id = 5, .log = log, .n = &n};
    step = (struct rec){.id = 99, .log = dummy, .n = &dn};
    sim_arm(sim, &x.t, 70000, fire, &x, "far");
    sim_arm(sim, &z.t, 70000, fire, &z, "far");
    sim_arm(sim, &w.t, 5000000, fire, &w, "beyond the wheel");
    sim_arm(sim, &v.t, 200000, fire, &v, "far, cancelled");
    sim_arm(sim, &step.t, 69990, fire, &step, "step");
    is_int(sim_run(sim, 69990, 0), 1, "at 69.99 ms");
    /* Armed later, due at the same 70 ms, but near: it goes to the heap. */
    sim_arm(sim, &y.t, 10, fire, &y, "near");
    sim_cancel(sim, &v.t);
    ok(!sim_armed(&v.t), "a far timer cancelled in the wheel");
    is_int(sim_pending(sim), 4, "x, z, y and w armed");
    is_int(sim_run(sim, 69999, 0), 0, "nothing before 70 ms");
    is_int(sim_run(sim, 70000, 0), 3, "three at 70 ms");
    is_int(log[0], 1, "x, armed first (waited in the wheel)");
    is_int(log[1], 2, "z, armed second (wheel)");
    is_int(log[2], 3, "y, armed last (heap)");
    /* Re-arm a far timer nearer: it leaves the wheel. */
    sim_arm(sim, &x.t, 100000, fire, &x, "far");
    sim_arm(sim, &x.t, 10, fire, &x, "near");
    is_int(sim_run(sim, UINT64_MAX, 0), 2, "then x and w");
    is_int(log[3], 1, "x at its new time");
    is_int(log[4], 4, "w, beyond the wheel's span");
    is_int(sim_now(sim), 5000000, "at 5 s");
    is_int(sim_pending(sim), 0, "nothing pending");
    sim_arm(sim, &v.t, 1000000, fire, &v, "left in the wheel");
    sim_free(sim);
    ok(!sim_armed(&v.t), "sim_free disarms timers in the wheel");
}

/*
 * A slot poured from the wheel is sorted by (time, order) and fires from a
 * run: many timers in one slot, with equal times, cancels and re-arms of
 * timers already in the run, must still fire in (time, order).
 */
enum { RUN_N = 200 };

struct run_test;
struct run_rec {
    struct sim_timer t;
    int id;
    struct run_test *rt;
};

struct run_test {
    struct sim *sim;
    struct run_rec r[RUN_N];
    uint64_t due[RUN_N], seq[RUN_N];
    bool armed[RUN_N];
    int log[2 * RUN_N], n;
    int bad;
    uint64_t next_seq;
};

static void
run_fire(struct sim *sim, void *arg)
{
    struct run_rec *x = arg;
    struct run_test *rt = x->rt;
    int best = -1;

    for (int i = 0; i < RUN_N; i++)
        if (rt->armed[i] &&
            (best < 0 || rt->due[i] < rt->due[best] ||
             (rt->due[i] == rt->due[best] && rt->seq[i] < rt->seq[best])))
            best = i;
    if (best != x->id || rt->due[x->id] != sim_now(sim))
        rt->bad++;
    rt->armed[x->id] = false;
    rt->log[rt->n++] = x->id;
    /* When the first one fires, the others are in the run: cancel some
     * and move some to later, within the run's slot or past it. */
    if (rt->n == 1)
        for (int i = 0; i < RUN_N; i += 7) {
            if (!rt->armed[i])
                continue;
            if (i % 2) {
                sim_cancel(sim, &rt->r[i].t);
                rt->armed[i] = false;
            } else {
                uint64_t d = (uint64_t)(i % 5) * 100;
                sim_arm(sim, &rt->r[i].t, d, run_fire, &rt->r[i], "again");
                rt->due[i] = sim_now(sim) + d;
                rt->seq[i] = rt->next_seq++;
            }
        }
}

static void
test_run(void)
{
    struct run_test *rt = calloc(1, sizeof *rt);
    uint64_t base = 10u << 9; /* the start of a slot, 5.12 ms from now */
    int armed = 0;

    rt->sim = sim_new(3);
    for (int i = 0; i < RUN_N; i++) {
        /* Offsets 0..499 in one slot; every fifth shares a time. */
        uint64_t off = i % 5 == 0 ? 250 : sim_rand(rt->sim, RNG_RULE) % 500;
        rt->r[i] = (struct run_rec){.id = i, .rt = rt};
        sim_arm(rt->sim, &rt->r[i].t, base + off, run_fire, &rt->r[i], "t");
        rt->due[i] = base + off;
        rt->seq[i] = rt->next_seq++;
        rt->armed[i] = true;
    }
    sim_run(rt->sim, UINT64_MAX, 0);
    for (int i = 0; i < RUN_N; i++)
        armed += rt->armed[i];
    ok(rt->n > RUN_N / 2, "the slot fired (%d timers)", rt->n);
    is_int(rt->bad, 0, "a sorted slot fires in (time, order)");
    is_int(armed, 0, "nothing left armed");
    is_int(sim_pending(rt->sim), 0, "nor in the sim");
    sim_free(rt->sim);
    free(rt);
}

/*
 * sim_run pours the wheel before it checks until_us, so a run can hold a
 * slot ahead of the clock when sim_run returns; a timer armed then, into
 * an empty wheel, must not move the wheel back behind that slot.
 */
static void
test_wheel_ahead(void)
{
    struct sim *sim = sim_new(1);
    struct rec a, b, c;
    int log[4], n = 0;

    a = (struct rec){.id = 1, .log = log, .n = &n};
    b = (struct rec){.id = 2, .log = log, .n = &n};
    c = (struct rec){.id = 3, .log = log, .n = &n};
    sim_arm(sim, &a.t, 100, fire, &a, "near");
    sim_arm(sim, &b.t, 2000, fire, &b, "far");
    is_int(sim_run(sim, 1000, 0), 1, "a by 1 ms; b's slot is poured");
    sim_arm(sim, &c.t, 1500, fire, &c, "far, armed at 100 us");
    is_int(sim_run(sim, UINT64_MAX, 0), 2, "then c and b");
    is_int(log[1], 3, "c at 1.6 ms");
    is_int(log[2], 2, "b at 2 ms");
    is_int(sim_now(sim), 2000, "at 2 ms");
    sim_free(sim);
}

/*
 * A model of the rule: the next timer to fire is the armed one with the
 * smallest (due time, arming number). Random arms, re-arms, lane arms and
 * cancels, some made from inside callbacks, must fire exactly in the
 * model's order.
 */
enum { MODEL_N = 300, MODEL_LANES = 3 };

struct model {
    struct sim *sim;
    struct sim_lane lanes[MODEL_LANES];
    struct model_timer {
        struct sim_timer t;
        struct model *m;
        int id;
        bool armed;
        uint64_t due, seq;
    } tm[MODEL_N];
    uint64_t seq;
    uint64_t fired, bad, ops;
    bool far; /* delays up to 25 s, not 40 us */
};

static sim_fn model_fire;

/* One random operation on a random timer, mirrored in the model. */
static void
model_op(struct model *m)
{
    struct model_timer *x = &m->tm[sim_rand(m->sim, RNG_RULE) % MODEL_N];
    uint64_t r = sim_rand(m->sim, RNG_RULE) % 10, now = sim_now(m->sim);

    m->ops++;
    if (r < 2) {
        sim_cancel(m->sim, &x->t);
        x->armed = false;
    } else if (r < 5) {
        struct sim_lane *l = &m->lanes[r - 2];
        sim_arm_lane(m->sim, l, &x->t, model_fire, x, "lane");
        x->armed = true;
        x->due = now + l->delay_us;
        x->seq = m->seq++;
    } else {
        /* Small delays make many ties, with lanes and with each other;
         * far ones wait in the wheel, or beyond it in the heap. */
        uint64_t d = sim_rand(m->sim, RNG_RULE) % 40;
        if (m->far && r >= 7)
            d = r == 9   ? 5000000 + sim_rand(m->sim, RNG_RULE) % 20000000
                : r == 8 ? 1000 * (sim_rand(m->sim, RNG_RULE) % 5000)
                         : sim_rand(m->sim, RNG_RULE) % 3000;
        sim_arm(m->sim, &x->t, d, model_fire, x, "plain");
        x->armed = true;
        x->due = now + d;
        x->seq = m->seq++;
    }
}

static void
model_fire(struct sim *sim, void *arg)
{
    struct model_timer *x = arg, *best = NULL;
    struct model *m = x->m;

    for (int i = 0; i < MODEL_N; i++) {
        struct model_timer *y = &m->tm[i];
        if (y->armed && (!best || y->due < best->due ||
                         (y->due == best->due && y->seq < best->seq)))
            best = y;
    }
    if (best != x || x->due != sim_now(sim))
        m->bad++;
    x->armed = false;
    m->fired++;
    if (m->ops < 20000)
        for (int k = 0; k < 2; k++)
            model_op(m);
}

static void
test_model(bool far)
{
    struct model *m = calloc(1, sizeof *m);
    uint64_t armed = 0;

    m->sim = sim_new(11);
    m->far = far;
    m->lanes[0].delay_us = 7;
    m->lanes[1].delay_us = far ? 3000000 : 20;
    m->lanes[2].delay_us = 20;
    for (int i = 0; i < MODEL_N; i++) {
        m->tm[i].m = m;
        m->tm[i].id = i;
    }
    for (int i = 0; i < MODEL_N; i++)
        model_op(m);
    sim_run(m->sim, UINT64_MAX, 0);
    for (int i = 0; i < MODEL_N; i++)
        armed += m->tm[i].armed;
    ok(m->fired > 5000, "%s delays: the model ran (%llu timers fired)",
       far ? "far" : "short", (unsigned long long)m->fired);
    is_int(m->bad, 0, "%s delays: every timer fired in (time, order)",
           far ? "far" : "short");
    is_int(armed, 0, "the model has nothing left armed");
    is_int(sim_pending(m->sim), 0, "nor has the sim");
    sim_free(m->sim);
    free(m);
}

/* sim_after_each: called once after every event, after its callback. */
struct after_count {
    int calls;
    int *n;     /* events logged so far */
    int behind; /* calls that saw fewer events than they followed */
};

static void
count_after(struct sim *sim, void *arg)
{
    struct after_count *a = arg;
    (void)sim;
    a->calls++;
    if (*a->n < a->calls)
        a->behind++;
}

static void
test_after_each(void)
{
    struct sim *sim = sim_new(1);
    struct rec r[4];
    int log[8], n = 0;
    struct after_count a = {.n = &n};

    for (int i = 0; i < 4; i++) {
        r[i] = (struct rec){.id = i, .log = log, .n = &n};
        sim_arm(sim, &r[i].t, (uint64_t)(i % 2) * 5000, fire, &r[i], "t");
    }
    sim_after_each(sim, count_after, &a);
    is_int(sim_run(sim, UINT64_MAX, 0), 4, "four events");
    is_int(a.calls, 4, "the hook ran after each");
    is_int(a.behind, 0, "each time after the event's callback");
    sim_after_each(sim, NULL, NULL);
    sim_arm(sim, &r[0].t, 1, fire, &r[0], "t");
    sim_run(sim, UINT64_MAX, 0);
    is_int(a.calls, 4, "no hook once cleared");
    sim_free(sim);
}

/* Timers keep their names (and callbacks) per sim, as kinds. */
static void
other(struct sim *sim, void *arg)
{
    fire(sim, arg);
}

static void
test_names(void)
{
    struct sim *sim = sim_new(1), *sim2 = sim_new(2);
    struct rec a, b;
    int log[4], n = 0;

    a = (struct rec){.id = 1, .log = log, .n = &n};
    b = (struct rec){.id = 2, .log = log, .n = &n};
    ok(sim_timer_name(sim, &a.t) == NULL, "never armed: no name");
    sim_arm(sim, &a.t, 5, fire, &a, "first");
    sim_arm(sim, &b.t, 6, other, &b, "first");
    is_str(sim_timer_name(sim, &a.t), "first", "a's name");
    is_str(sim_timer_name(sim, &b.t), "first", "b's name");
    sim_arm(sim, &a.t, 7, fire, &a, "second");
    is_str(sim_timer_name(sim, &a.t), "second", "re-armed: new name");
    is_int(sim_run(sim, UINT64_MAX, 0), 2, "both fire");
    is_int(log[0], 2, "b through other() first, at 6");
    is_int(log[1], 1, "then a, at 7");
    /* The same timer armed in another sim gets that sim's kind. */
    sim_arm(sim2, &a.t, 1, other, &a, "elsewhere");
    is_str(sim_timer_name(sim2, &a.t), "elsewhere", "a's name in sim2");
    is_int(sim_run(sim2, UINT64_MAX, 0), 1, "fires in sim2");
    is_int(log[2], 1, "a, through other()");
    sim_free(sim);
    sim_free(sim2);
}

static void
test_streams(void)
{
    struct sim *a = sim_new(42), *b = sim_new(42), *c = sim_new(43);
    int same = 1, differ = 0, inrange = 1;

    /* Drawing from one stream must not shift another. */
    for (int i = 0; i < 100; i++)
        sim_rand(a, RNG_LOSS_C2S);
    for (int i = 0; i < 100; i++)
        same &= sim_rand(a, RNG_JITTER_C2S) == sim_rand(b, RNG_JITTER_C2S);
    ok(same, "streams are independent");
    for (int i = 0; i < 100; i++)
        differ += sim_rand(b, RNG_ISN) != sim_rand(c, RNG_ISN);
    ok(differ > 95, "different seeds differ");
    for (int i = 0; i < 1000; i++) {
        double u = sim_rand_unit(c, RNG_LOSS_S2C);
        inrange &= u >= 0.0 && u < 1.0;
    }
    ok(inrange, "unit draws are in [0, 1)");
    ok(sim_rand(a, RNG_ISN) != sim_rand(a, RNG_LOSS_C2S) ||
           sim_rand(a, RNG_ISN) != sim_rand(a, RNG_LOSS_C2S),
       "streams of one seed differ");
    sim_free(a);
    sim_free(b);
    sim_free(c);
}

int
main(void)
{
    test_order_and_ties();
    test_cancel_rearm_until();
    test_heap_random();
    test_lane_cancels();
    test_lane_prefetch();
    test_lane_heap_ties();
    test_rearm_tie();
    test_zero_delay();
    test_model(false);
    test_model(true);
    test_wheel_ties();
    test_run();
    test_wheel_ahead();
    test_after_each();
    test_names();
    test_streams();
    return done_testing();
}
