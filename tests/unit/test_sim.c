/* The event core: heap order, equal-time ties, cancel, random streams. */
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
    sim_cancel(sim, &b.t); /* cancelling twice is harmless */
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
        sim_arm(sim, &r[i].t, sim_rand(sim, RNG_RULE) % 1000, fire, &r[i],
                "r");
    }
    for (int i = 0; i < N; i += 3)
        sim_cancel(sim, &r[i].t);
    sim_run(sim, UINT64_MAX, 0);
    for (int i = 0; i < n; i++) {
        uint64_t when = r[log[i]].t.when_us;
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
    test_streams();
    return done_testing();
}
