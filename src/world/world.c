/*
 * A world: the sim, two hosts, the network between them, the applications
 * and every TCP endpoint, built from a scenario and run to its end. This
 * file only creates, advances, runs and frees a world; each part lives in
 * its layer (see engine.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine.h"

/*
 * The sim calls tcb_after_event after every event, so that TCBs that died
 * in an event are freed right after it. Nothing runs until world_advance.
 */
struct world *
world_new(const struct scenario *scn, struct trace *trace,
          struct world_stats *stats)
{
    struct world *w = xcalloc(1, sizeof *w);

    memset(stats, 0, sizeof *stats);
    w->scn = scn;
    w->tcp = scn->tcp;
    w->trace = trace;
    w->stats = stats;
    w->sim = sim_new(scn->seed);
    w->isn_key[0] = sim_rand(w->sim, RNG_ISN);
    w->isn_key[1] = sim_rand(w->sim, RNG_ISN);
    w->isn_clock0 = sim_rand(w->sim, RNG_ISN) >> 2; /* no wrap in a run */
    w->ts_key[0] = sim_rand(w->sim, RNG_ISN);
    w->ts_key[1] = sim_rand(w->sim, RNG_ISN);
    world_limits_of(scn, &w->limits);
    sim_after_each(w->sim, tcb_after_event, w);
    pool_init(&w->tcb_pool, sizeof(struct tcb), 64); /* cache lines */
    pool_init(&w->live_pool, sizeof(struct tcb_live), 64);
    pool_init(&w->sock_pool, sizeof(struct sock), 0);
    w->lanes[TIMER_TIME_WAIT].delay_us = scn->tcp.time_wait_us;
    w->lanes[TIMER_TIME_WAIT].prefetch = tcb_prefetch_expiring;
    w->lanes[TIMER_DELACK].delay_us = scn->tcp.delack_us;
    w->lanes[TIMER_FIN_WAIT_2].delay_us = scn->tcp.fin_timeout_us;
    w->lanes[TIMER_KEEPALIVE].delay_us = scn->tcp.keepalive_intvl_us;
    w->rule_hits = xcalloc(scn->net.nrules + 1, sizeof *w->rule_hits);
    w->note_hits = xcalloc(scn->nnotes + 1, sizeof *w->note_hits);
    for (int side = 0; side < 2; side++) {
        w->hosts[side].w = w;
        w->hosts[side].side = (uint8_t)side;
        w->hosts[side].next_port = 40000;
    }
    /* RFC 5737 documentation addresses: 192.0.2.0/24 and up for clients,
     * 198.51.100.80 for the server. */
    w->hosts[SIDE_CLIENT].addr = 0xc0000201u;
    w->hosts[SIDE_CLIENT].naddrs = scn->client.hosts ? scn->client.hosts : 1;
    for (size_t i = 0; i < scn->nclients; i++)
        if (scn->clients[i].addr_index >= w->hosts[SIDE_CLIENT].naddrs)
            w->hosts[SIDE_CLIENT].naddrs = scn->clients[i].addr_index + 1;
    w->hosts[SIDE_SERVER].addr = 0xc6336450u;
    w->hosts[SIDE_SERVER].naddrs = 1;
    app_start(w);
    inject_start(w);
    return w;
}

void
world_limits_of(const struct scenario *s, struct world_limits *l)
{
    uint64_t count = s->client.count + s->nclients;

    /* A connection's whole life is a few dozen events; a long keepalive
     * adds two per probe. */
    l->events = 100000000 + 200 * count;
    /* Every client of a burst at one instant may open and close there. */
    l->same_instant = 1000000 + 64 * count;
    l->trace_bytes = (uint64_t)2 << 30;
}

/*
 * Fire events until none is left before until_us, or a limit is reached.
 * The sim runs in slices of events, and the limits are checked between
 * them: a slice is short enough to overshoot by little, and long enough to
 * cost nothing.
 */
enum world_end
world_advance(struct world *w, uint64_t until_us)
{
    enum { SLICE = 1 << 16 };
    const struct world_limits *l = &w->limits;
    uint64_t instant = sim_now(w->sim), at_instant = 0;
    enum world_end end = WORLD_DONE;

    for (;;) {
        uint64_t n = sim_run(w->sim, until_us, SLICE);
        if (n < SLICE)
            break;
        if (sim_now(w->sim) != instant) {
            instant = sim_now(w->sim);
            at_instant = 0;
        }
        at_instant += n;
        if (sim_events(w->sim) >= l->events)
            end = WORLD_LIMIT_EVENTS;
        else if (at_instant >= l->same_instant)
            end = WORLD_LIMIT_STUCK;
        else if (w->trace && trace_bytes(w->trace) >= l->trace_bytes)
            end = WORLD_LIMIT_TRACE;
        if (end != WORLD_DONE)
            break;
    }
    tcb_free_dead(w);
    return end;
}

/* Everything the world made is in its pools, lists and arrays; the sim
 * goes first, since freeing it touches timers inside what follows. */
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
    sim_free(w->sim);
    while (w->socks)
        sock_free(w->socks);
    app_free(w);
    free(w->inject_runs);
    for (int side = 0; side < 2; side++)
        free(w->hosts[side].slots);
    /* Every TCB, hashed, listening, dead or recycled, is in the pool. */
    pool_destroy(&w->tcb_pool);
    pool_destroy(&w->live_pool);
    free(w->shed);
    pool_destroy(&w->sock_pool);
    for (uint32_t i = 0; i < w->npools; i++)
        free(w->pools[i]);
    free(w->pools);
    free(w->conns);
    free(w->rule_hits);
    free(w->note_hits);
    free(w);
}

enum world_end
world_run_limited(const struct scenario *scn, struct trace *trace,
                  struct world_stats *stats, const struct world_limits *limits)
{
    struct world_stats local;
    struct world *w = world_new(scn, trace, stats ? stats : &local);
    enum world_end end;

    w->limits = *limits;
    end = world_advance(w, scn->duration_us);
    world_free(w);
    if (trace)
        trace_check_notes(trace, scn);
    return end;
}

enum world_end
world_run(const struct scenario *scn, struct trace *trace,
          struct world_stats *stats)
{
    struct world_limits limits;

    world_limits_of(scn, &limits);
    return world_run_limited(scn, trace, stats, &limits);
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
