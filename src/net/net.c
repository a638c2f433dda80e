/*
 * The path between the hosts: per direction a one-way delay, jitter, random
 * loss and duplication, plus the scenario's scripted rules; `routers`
 * routers in between, each taking one off the IP TTL. Every packet's fate
 * is decided when it is sent, so its SEND event already says when and
 * where it will arrive or die; every drop names its cause.
 *
 * Each packet draws exactly once from its direction's loss, jitter and
 * duplication streams whatever the settings, so changing the loss rate
 * from some moment on leaves every earlier draw, and so the run up to that
 * moment, unchanged.
 */
#include <assert.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "engine.h"

enum { POOL_CHUNK = 256 };

struct packet *
net_packet_new(struct world *w)
{
    struct packet *p;

    if (!w->free_packets) {
        struct packet *chunk = xcalloc(POOL_CHUNK, sizeof *chunk);

        w->pools = xreallocarray(w->pools, w->npools + 1, sizeof *w->pools);
        w->pools[w->npools++] = chunk;
        for (int i = POOL_CHUNK - 1; i >= 0; i--) {
            chunk[i].next_free = w->free_packets;
            w->free_packets = &chunk[i];
        }
    }
    p = w->free_packets;
    w->free_packets = p->next_free;
    p->w = w;
    p->drop_cause = NULL;
    p->ttl_expired = false;
    /* p->timer is as the pool left it: zero, or unarmed after it fired,
     * and the sim finds its kind (callback and name) where it left it. */
    w->ninflight++;
    if (w->stats && w->ninflight > w->stats->inflight_peak)
        w->stats->inflight_peak = w->ninflight;
    return p;
}

void
net_packet_free(struct world *w, struct packet *p)
{
    assert(!sim_armed(&p->timer));
    p->next_free = w->free_packets;
    w->free_packets = p;
    w->ninflight--;
}

static sim_fn on_packet;

static void
send_icmp(struct world *w, const struct packet *orig, uint32_t router)
{
    uint64_t at_us = sim_now(w->sim);
    const struct net_params *np = &w->scn->net;
    uint8_t back = orig->seg.from == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    const struct link_params *l = &np->dir[back];
    struct packet *p = net_packet_new(w);
    uint64_t travel = l->delay_us * router / (np->routers + 1);

    p->seg = (struct seg_view){
        .id = ++w->next_seg_id,
        .orig_id = orig->seg.id,
        .saddr = 0x0a000000u + router, /* router k is 10.0.0.k */
        .daddr = orig->seg.saddr,
        .sport = orig->seg.sport,
        .dport = orig->seg.dport,
        .seq = orig->seg.seq,
        .flags = orig->seg.flags,
        .tags = SEG_ICMP,
        .ttl = 64,
        .hops = (uint8_t)router,
        .from = SIDE_NET,
        .sent_us = at_us,
        .due_us = at_us + travel,
    };
    p->conn = orig->conn;
    p->to = orig->seg.from;
    p->gen = 0;
    p->src = p->hint = NULL;
    p->hint_gen = 0;
    if (emit_recording(w)) {
        struct trace_event *e = emit_begin(w, TRACE_SEND, SIDE_NET, p->conn);
        e->seg = p->seg;
        e->why = "ICMP Time Exceeded (type 11, code 0): TTL reached 0";
        e->n = router;
        emit_commit(w, e);
    }
    sim_arm(w->sim, &p->timer, travel, on_packet, p, "net.icmp");
}

static void
on_packet(struct sim *sim, void *arg)
{
    struct packet *p = arg;
    struct world *w = p->w;
    struct host *h = &w->hosts[p->to];
    (void)sim;

    if (!p->drop_cause && h->down)
        p->drop_cause = "host is down (crashed): nothing answers";
    if (p->drop_cause) {
        if (w->stats)
            w->stats->dropped++;
        if (emit_recording(w))
            emit_packet(w, TRACE_DROP, p, SIDE_NET, p->drop_cause);
        if (p->ttl_expired)
            send_icmp(w, p, p->seg.hops);
    } else {
        if (p->seg.tags & SEG_ICMP) {
            /* From router k back to the sender: k - 1 routers. */
            p->seg.ttl = (uint8_t)(p->seg.ttl - (p->seg.hops - 1));
        } else {
            p->seg.ttl = (uint8_t)(p->seg.ttl - w->scn->net.routers);
            p->seg.hops = (uint8_t)w->scn->net.routers;
        }
        if (emit_recording(w))
            emit_packet(w, TRACE_ARRIVE, p, p->to, NULL);
        /* ICMP Time Exceeded is a soft error (RFC 1122 §4.2.3.9): TCP
         * notes it and carries on retransmitting. */
        if (!(p->seg.tags & SEG_ICMP))
            tcp_input(h, p);
    }
    net_packet_free(w, p);
}

static bool
rule_matches(const struct net_rule *r, const struct seg_view *s, uint8_t from,
             int state, uint32_t conn, uint64_t now)
{
    return (r->from < 0 || r->from == from) &&
           (s->flags & r->flags_all) == r->flags_all &&
           (s->flags & r->flags_none) == 0 &&
           (r->data < 0 || (r->data == 1) == (s->len > 0)) &&
           (r->state < 0 || r->state == state) &&
           (r->seg_id == 0 || r->seg_id == s->id) &&
           (r->conn == 0 || r->conn == conn) && now >= r->from_us &&
           (r->until_us == 0 || now < r->until_us);
}

/*
 * The first rule that acts on this packet, or NULL. A rule counts its
 * matches; it acts on the nth and the count - 1 after it, each time with
 * its probability (drawn from a stream of its own).
 */
static const struct net_rule *
apply_rules(struct world *w, const struct seg_view *s, uint8_t from, int state,
            uint32_t conn, uint32_t *index)
{
    const struct net_params *np = &w->scn->net;
    uint64_t now = sim_now(w->sim);

    for (size_t i = 0; i < np->nrules; i++) {
        const struct net_rule *r = &np->rules[i];
        uint32_t hit;

        if (!rule_matches(r, s, from, state, conn, now))
            continue;
        hit = ++w->rule_hits[i];
        if (hit < r->nth || (r->count && hit >= r->nth + r->count))
            continue;
        if (r->probability < 1.0 &&
            sim_rand_unit(w->sim, RNG_RULE) >= r->probability)
            continue;
        *index = (uint32_t)i;
        return r;
    }
    return NULL;
}

static const char *
rule_label(struct world *w, const struct net_rule *r, uint32_t index)
{
    static const char *const generic[] = {
        "dropped by scenario rule 1", "dropped by scenario rule 2",
        "dropped by scenario rule 3", "dropped by scenario rule 4",
        "dropped by scenario rule 5", "dropped by scenario rule 6",
        "dropped by scenario rule 7", "dropped by scenario rule 8",
    };
    (void)w;
    if (r->label)
        return r->label;
    return index < 8 ? generic[index] : "dropped by a scenario rule";
}

/*
 * Put a segment on the wire from side `from`. tcb is the sender (NULL for
 * a reply from a host with no connection); its state is what rules match.
 */
void
net_send(struct world *w, struct tcb *tcb, struct seg_view *seg, uint8_t from,
         uint32_t conn)
{
    const struct net_params *np = &w->scn->net;
    const struct link_params *l = &np->dir[from];
    uint64_t now = sim_now(w->sim), delay, msl = w->tcp.msl_us;
    double loss_draw, dup_draw;
    uint64_t jitter;
    const struct net_rule *rule;
    uint32_t rule_index = 0;
    struct packet *p = net_packet_new(w);
    uint8_t to = from == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    int dir = from == SIDE_CLIENT ? 0 : 1;

    seg->id = ++w->next_seg_id;
    seg->from = from;
    seg->sent_us = now;
    seg->hops = 0;
    p->seg = *seg;
    p->conn = conn;
    p->to = to;
    p->gen = tcb ? tcb->gen : 0;
    p->src = tcb;
    p->hint = tcb && tcb->live ? tcb->live->peer : NULL;
    p->hint_gen = tcb ? tcb->peer_gen : 0;
    if (w->stats)
        w->stats->packets++;

    loss_draw = sim_rand_unit(w->sim, dir ? RNG_LOSS_S2C : RNG_LOSS_C2S);
    jitter = sim_rand(w->sim, dir ? RNG_JITTER_S2C : RNG_JITTER_C2S);
    dup_draw = sim_rand_unit(w->sim, dir ? RNG_DUP_S2C : RNG_DUP_C2S);
    delay = l->delay_us + (l->jitter_us ? jitter % (l->jitter_us + 1) : 0);

    rule = apply_rules(w, seg, from, tcb ? (int)tcb->state : -1, conn,
                       &rule_index);
    if (rule && rule->action == RULE_HOLD) {
        p->seg.tags |= SEG_HELD;
        delay += rule->hold_us;
    } else if (rule) {
        p->drop_cause = rule_label(w, rule, rule_index);
        delay /= 2;
    } else if (loss_draw < l->loss) {
        p->drop_cause = "random loss";
        delay /= 2;
    }
    if (!p->drop_cause && p->seg.ttl <= np->routers) {
        /* Router number ttl takes the TTL to 0: it discards the datagram
         * and tells the sender (RFC 792). TTL counts hops, not seconds. */
        uint32_t k = p->seg.ttl;
        uint64_t at = now + l->delay_us * k / (np->routers + 1);
        p->drop_cause = "TTL reached 0 at a router (ICMP Time Exceeded "
                        "sent back)";
        p->seg.hops = (uint8_t)k;
        p->ttl_expired = true;
        delay = at - now;
    }
    if (!p->drop_cause && delay > msl) {
        /* The network is assumed to honour MSL: nothing older arrives. */
        p->drop_cause = "older than MSL: expired in the network";
        delay = msl;
    }
    p->seg.due_us = now + delay;
    seg->due_us = p->seg.due_us;
    if (emit_recording(w)) {
        struct trace_event *e = emit_begin(w, TRACE_SEND, from, conn);
        e->seg = p->seg;
        emit_commit(w, e);
    }
    sim_arm(w->sim, &p->timer, delay, on_packet, p, "net.packet");

    if (dup_draw < l->dup && !p->drop_cause) {
        /* The copy takes its own (later) path: it arrives after the
         * original by up to one more delay. */
        struct packet *d = net_packet_new(w);
        uint64_t extra = 1 + jitter % (l->delay_us + 1);
        d->seg = p->seg;
        d->seg.id = ++w->next_seg_id;
        d->seg.orig_id = p->seg.id;
        d->seg.tags |= SEG_DUP;
        d->conn = conn;
        d->to = to;
        d->gen = p->gen;
        d->src = p->src;
        d->hint = p->hint;
        d->hint_gen = p->hint_gen;
        d->seg.due_us = p->seg.due_us + extra;
        if (d->seg.due_us - now > msl) {
            d->drop_cause = "older than MSL: expired in the network";
            d->seg.due_us = now + msl;
        }
        if (emit_recording(w)) {
            struct trace_event *e = emit_begin(w, TRACE_SEND, SIDE_NET, conn);
            e->seg = d->seg;
            e->why = "the network duplicated this packet";
            emit_commit(w, e);
        }
        sim_arm(w->sim, &d->timer, d->seg.due_us - now, on_packet, d,
                "net.dup");
    }
}
