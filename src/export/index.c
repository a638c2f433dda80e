/*
 * One pass over the trace that both exports need: the IPv4 identification
 * of every datagram, and the ISNs that make sequence numbers relative.
 *
 * IP IDs: every source address (a client host, the server, a router) has
 * its own counter, starting at 1 and counting the datagrams it sends, in
 * trace order. A network duplicate is a copy of the datagram, so it keeps
 * the original's ID.
 *
 * ISNs: for each direction of a 4-tuple, the sequence number of the latest
 * SYN sent that way. A packet records both directions' ISNs as they were
 * when it was sent, so a packet of an earlier incarnation of the same
 * ports (held in the network, arriving late) keeps its own numbering.
 */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "export/export.h"

/* An open-addressing table from a 96-bit key to a 32-bit value. */
struct slot {
    uint32_t a, b, c; /* key; a slot with used == 0 is empty */
    uint32_t value;
    uint32_t used;
};

struct table {
    struct slot *s;
    uint32_t cap, n; /* cap is a power of two */
};

static uint32_t
hash3(uint32_t a, uint32_t b, uint32_t c)
{
    uint64_t h = 0x9e3779b97f4a7c15u;
    h = (h ^ a) * 0xff51afd7ed558ccdu;
    h = (h ^ b) * 0xc4ceb9fe1a85ec53u;
    h = (h ^ c) * 0xff51afd7ed558ccdu;
    return (uint32_t)(h ^ (h >> 29));
}

static struct slot *
find(struct table *t, uint32_t a, uint32_t b, uint32_t c, bool add)
{
    uint32_t i;

    if (add && (t->n + 1) * 2 > t->cap) {
        struct table g = {0};
        g.cap = t->cap ? t->cap * 2 : 64;
        g.s = xcalloc(g.cap, sizeof *g.s);
        for (uint32_t k = 0; k < t->cap; k++) {
            struct slot *o = &t->s[k], *d;
            if (!o->used)
                continue;
            d = find(&g, o->a, o->b, o->c, false);
            *d = *o;
            g.n++;
        }
        free(t->s);
        *t = g;
    }
    if (!t->cap)
        return NULL;
    for (i = hash3(a, b, c) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct slot *s = &t->s[i];
        if (!s->used) {
            if (!add)
                return s; /* callers check used */
            s->a = a;
            s->b = b;
            s->c = c;
            s->value = 0;
            s->used = 1;
            t->n++;
            return s;
        }
        if (s->a == a && s->b == b && s->c == c)
            return s;
    }
}

static const struct slot *
lookup(struct table *t, uint32_t a, uint32_t b, uint32_t c)
{
    const struct slot *s = find(t, a, b, c, false);
    return s && s->used ? s : NULL;
}

static uint32_t
ports(uint16_t sport, uint16_t dport)
{
    return (uint32_t)sport << 16 | dport;
}

void
export_index_build(struct export_index *x, const struct trace *t)
{
    struct table isn = {0}, ipid = {0};
    uint32_t max = 0;

    memset(x, 0, sizeof *x);
    x->t = t;
    for (size_t i = 0; i < t->len; i++)
        if (trace_at(t, i)->kind == TRACE_SEND && trace_at(t, i)->seg.id > max)
            max = trace_at(t, i)->seg.id;
    x->npkt = max + 1;
    x->pkt = xcalloc(x->npkt, sizeof *x->pkt);

    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        const struct seg_view *s = &e->seg;
        struct export_pkt *p = &x->pkt[s->id];
        const struct slot *f, *r;

        if (e->kind != TRACE_SEND)
            continue;
        p->send_ev = (uint32_t)i + 1;
        if (s->tags & SEG_DUP) {
            const struct export_pkt *o =
                s->orig_id < x->npkt ? &x->pkt[s->orig_id] : NULL;
            if (o && o->send_ev) {
                *p = *o;
                p->send_ev = (uint32_t)i + 1;
                continue;
            }
        } else {
            struct slot *c = find(&ipid, s->saddr, 0, 0, true);
            p->ip_id = (uint16_t)++c->value;
        }
        if (s->tags & SEG_ICMP) {
            const struct export_pkt *o =
                s->orig_id < x->npkt ? &x->pkt[s->orig_id] : NULL;
            const struct trace_event *oe =
                o && o->send_ev ? trace_at(t, o->send_ev - 1) : NULL;
            /* Back to whoever sent the packet it is about. */
            p->to = oe ? oe->seg.from : (uint8_t)SIDE_CLIENT;
            continue;
        }
        p->to = s->from == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
        if (s->flags & TCP_SYN) {
            struct slot *c =
                find(&isn, s->saddr, s->daddr, ports(s->sport, s->dport), true);
            c->value = s->seq;
        }
        f = lookup(&isn, s->saddr, s->daddr, ports(s->sport, s->dport));
        r = lookup(&isn, s->daddr, s->saddr, ports(s->dport, s->sport));
        if (f) {
            p->seq_known = true;
            p->seq_isn = f->value;
        }
        if (r) {
            p->ack_known = true;
            p->ack_isn = r->value;
        }
    }
    free(isn.s);
    free(ipid.s);
}

void
export_index_free(struct export_index *x)
{
    free(x->pkt);
    memset(x, 0, sizeof *x);
}

const struct export_pkt *
export_pkt(const struct export_index *x, uint32_t id)
{
    if (id >= x->npkt || !x->pkt[id].send_ev)
        return NULL;
    return &x->pkt[id];
}

const struct trace_event *
export_send_event(const struct export_index *x, uint32_t id)
{
    const struct export_pkt *p = export_pkt(x, id);
    return p ? trace_at(x->t, p->send_ev - 1) : NULL;
}
