/*
 * A world driven by hand, for the few arcs no scenario can reach: a bare
 * SYN arriving in SYN-SENT needs a peer that actively opens towards the
 * client, and only the client's script may connect. The world is the real
 * one (world_new, with the scenario's scripts armed); the test advances
 * its clock, makes socket calls on its sockets, and puts crafted segments
 * on the wire with net_send(), as if the peer had sent them. They travel
 * the scenario's network like any other segment and are traced.
 */
#ifndef SYNFIN_TCP_KIT_H
#define SYNFIN_TCP_KIT_H

#include "engine.h"
#include "tcptest.h"

struct kit {
    struct tt t; /* the trace and the scenario, as for a scenario run */
    struct world *w;
};

static inline bool
kit_init(struct kit *k, const char *name, const char *q)
{
    struct scenario *s = tt_load(name, q, NULL, 0);

    memset(k, 0, sizeof *k);
    k->t.name = name;
    k->t.failed_before = tap_failed;
    trace_init(&k->t.tr);
    k->t.scn = s;
    if (s)
        k->w = world_new(s, &k->t.tr, &k->t.st);
    return s != NULL;
}

/* Run the world until simulated time until_us. */
static inline void
kit_run(struct kit *k, uint64_t until_us)
{
    world_advance(k->w, until_us);
}

static inline uint64_t
kit_now(const struct kit *k)
{
    return sim_now(k->w->sim);
}

/* The newest socket of side that is not a listener, or NULL. */
static inline struct sock *
kit_sock(const struct kit *k, int side)
{
    for (struct sock *s = k->w->socks; s; s = s->next)
        if (s->side == side && !s->listening && s != k->w->server_listener)
            return s;
    return NULL;
}

/*
 * Put a segment on the wire as if side `from` had sent it from port sport
 * to port dport.
 */
static inline void
kit_inject(struct kit *k, int from, uint32_t conn, uint16_t sport,
           uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack)
{
    struct world *w = k->w;
    int to = from == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    struct seg_view seg = {
        .saddr = host_addr(w, from),
        .daddr = host_addr(w, to),
        .sport = sport,
        .dport = dport,
        .seq = seq,
        .ack = ack,
        .wnd = 65535,
        .flags = flags,
        .ttl = 64,
    };

    net_send(w, NULL, &seg, (uint8_t)from, conn);
}

static inline void
kit_done(struct kit *k)
{
    if (k->w)
        world_free(k->w);
    k->w = NULL;
    tt_done(&k->t);
}

#endif
