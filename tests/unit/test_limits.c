/*
 * Every run ends (docs/limits.md): a run that would fire events for a
 * simulated day, one whose clock stops, and one whose trace outgrows its
 * memory are each stopped by their limit, with what happened until then in
 * the trace and the stats. The limits are small here; the engine's own are
 * the same checks with larger numbers.
 */
#include <string.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"
#include "synfin/world.h"
#include "tap.h"

/* A keepalive every millisecond over a path of 0.1 ms: it never idles out. */
static const char probing[] =
    "{\"title\": \"t\", \"duration_ms\": 86400000,"
    " \"network\": {\"delay_ms\": 0.1},"
    " \"tcp\": {\"keepalive_time_ms\": 1, \"keepalive_intvl_ms\": 1},"
    " \"client\": {\"keepalive\": true,"
    "  \"script\": [{\"at_ms\": 0, \"call\": \"connect\"}]},"
    " \"server\": {\"script\": [{\"at_ms\": 0, \"call\": \"listen\"}]}}";

/* 20,000 clients at one instant over a path without delay: every event of
 * their handshakes happens at t = 0. */
static const char burst[] =
    "{\"title\": \"t\", \"network\": {\"delay_ms\": 0},"
    " \"client\": {\"count\": 20000, \"every_ms\": 0, \"port_range\": [1024, "
    "65535],"
    "  \"hosts\": 4, \"script\": [{\"at_ms\": 0, \"call\": \"connect\"}]},"
    " \"server\": {\"script\": [{\"at_ms\": 0, \"call\": \"listen\"}]}}";

static struct scenario *
load(const char *json)
{
    struct synfin_err err;
    char msg[1024];
    struct scenario *s =
        scenario_load_buffer("t.json", json, strlen(json), NULL, 0, &err);

    if (!s)
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
    return s;
}

int
main(void)
{
    const struct world_limits big = {
        .events = 1u << 30, .same_instant = 1u << 30, .trace_bytes = 1u << 30};
    struct world_limits l;
    struct world_stats st;
    struct scenario *s;
    struct trace t;

    s = load(probing);
    if (ok(s != NULL, "the probing scenario loads")) {
        l = big;
        l.events = 100000;
        is_int(world_run_limited(s, NULL, &st, &l), WORLD_LIMIT_EVENTS,
               "a day of 1 ms keepalives stops at the event limit");
        ok(st.events >= 100000 && st.events < 100000 + 2 * 65536,
           "within a slice past the limit (%llu events)",
           (unsigned long long)st.events);
        ok(st.end_us < 86400000000ull, "long before the day is over");

        l = big;
        l.trace_bytes = 1 << 20;
        trace_init(&t);
        is_int(world_run_limited(s, &t, &st, &l), WORLD_LIMIT_TRACE,
               "recorded, it stops at the trace limit");
        ok(trace_bytes(&t) >= (1u << 20) &&
               t.len * sizeof(struct trace_event) <
                   (1u << 20) + 2 * 65536 * 3 * sizeof(struct trace_event),
           "with about 1 MiB of trace (%zu bytes, %zu events)", trace_bytes(&t),
           t.len);
        trace_free(&t);

        s->duration_us = 500000;
        is_int(world_run(s, NULL, &st), WORLD_DONE,
               "half a second of the same ends by itself");
        scenario_free(s);
    }

    s = load(burst);
    if (ok(s != NULL, "the burst scenario loads")) {
        l = big;
        l.same_instant = 50000;
        is_int(world_run_limited(s, NULL, &st, &l), WORLD_LIMIT_STUCK,
               "50,000 events at one instant stop the run");
        is_int((long long)st.end_us, 0, "... at t = 0");
        is_int(world_run(s, NULL, &st), WORLD_DONE,
               "the engine's limits let the same burst finish");
        scenario_free(s);
    }
    return done_testing();
}
