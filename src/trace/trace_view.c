/*
 * The endpoint snapshots of a trace, stored as changes.
 *
 * A snapshot (struct tcb_view) is about 100 bytes, and nearly every event
 * changes one or two of its fields on one side. So the pool keeps, for each
 * snapshot, only the fields that differ from the one before it on the same
 * chain (one endpoint), as varints after a mask of which fields those are,
 * and a link back to that earlier record. Every KEYFRAME_EVERY records a
 * chain starts again with a record of every field and no link.
 *
 * Reading walks the links back from the record an event names and takes
 * each field from the newest record that has it; it stops once every field
 * is known, at the latest at a keyframe, so a read costs at most
 * KEYFRAME_EVERY records.
 *
 * Record:  varint back (bytes to the chain's previous record; 0: keyframe)
 *          varint mask (bit f: field f follows)
 *          varint value of each field in the mask, in field order
 * A reference is the record's position in the pool plus 1; 0 is the
 * snapshot of no TCB (all zero: CLOSED, not existing).
 */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "trace_private.h"

enum view_field {
    F_BITS, /* state, exists, rd_open, wr_open, orphan, backoff */
    F_PORTS,
    F_ISS,
    F_IRS,
    F_SND_UNA,
    F_SND_NXT,
    F_SND_WND,
    F_RCV_NXT,
    F_RCV_WND,
    F_UNSENT,
    F_UNREAD,
    F_TIMER, /* + the timer kind */
    F_COUNT = F_TIMER + TIMER__COUNT
};
#define ALL_FIELDS ((UINT32_C(1) << F_COUNT) - 1)

enum {
    KEYFRAME_EVERY = 16,
    CHUNK_BYTES = 1 << 20,
    RECORD_MAX = 10 + 5 + F_COUNT * 10, /* back, mask, fields */
};

static void
fields_of(const struct tcb_view *v, uint64_t f[F_COUNT])
{
    f[F_BITS] = (uint64_t)v->state | (uint64_t)v->exists << 8 |
                (uint64_t)v->rd_open << 9 | (uint64_t)v->wr_open << 10 |
                (uint64_t)v->orphan << 11 | (uint64_t)v->backoff << 16;
    f[F_PORTS] = (uint64_t)v->lport | (uint64_t)v->rport << 16;
    f[F_ISS] = v->iss;
    f[F_IRS] = v->irs;
    f[F_SND_UNA] = v->snd_una;
    f[F_SND_NXT] = v->snd_nxt;
    f[F_SND_WND] = v->snd_wnd;
    f[F_RCV_NXT] = v->rcv_nxt;
    f[F_RCV_WND] = v->rcv_wnd;
    f[F_UNSENT] = v->unsent;
    f[F_UNREAD] = v->unread;
    for (int k = 0; k < TIMER__COUNT; k++)
        f[F_TIMER + k] = v->timer_us[k];
}

static void
view_of_fields(const uint64_t f[F_COUNT], struct tcb_view *v)
{
    memset(v, 0, sizeof *v);
    v->state = (uint8_t)f[F_BITS];
    v->exists = f[F_BITS] >> 8 & 1;
    v->rd_open = f[F_BITS] >> 9 & 1;
    v->wr_open = f[F_BITS] >> 10 & 1;
    v->orphan = f[F_BITS] >> 11 & 1;
    v->backoff = (uint8_t)(f[F_BITS] >> 16);
    v->lport = (uint16_t)f[F_PORTS];
    v->rport = (uint16_t)(f[F_PORTS] >> 16);
    v->iss = (uint32_t)f[F_ISS];
    v->irs = (uint32_t)f[F_IRS];
    v->snd_una = (uint32_t)f[F_SND_UNA];
    v->snd_nxt = (uint32_t)f[F_SND_NXT];
    v->snd_wnd = (uint32_t)f[F_SND_WND];
    v->rcv_nxt = (uint32_t)f[F_RCV_NXT];
    v->rcv_wnd = (uint32_t)f[F_RCV_WND];
    v->unsent = (uint32_t)f[F_UNSENT];
    v->unread = (uint32_t)f[F_UNREAD];
    for (int k = 0; k < TIMER__COUNT; k++)
        v->timer_us[k] = f[F_TIMER + k];
}

static uint8_t *
put_varint(uint8_t *p, uint64_t x)
{
    while (x >= 0x80) {
        *p++ = (uint8_t)(x | 0x80);
        x >>= 7;
    }
    *p++ = (uint8_t)x;
    return p;
}

static const uint8_t *
get_varint(const uint8_t *p, uint64_t *x)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        v |= (uint64_t)(*p & 0x7f) << shift;
        if (!(*p++ & 0x80))
            break;
    }
    *x = v;
    return p;
}

static const uint8_t *
record_at(const struct trace_views *p, uint32_t ref)
{
    size_t pos = ref - 1;
    return p->chunk[pos / CHUNK_BYTES] + pos % CHUNK_BYTES;
}

uint32_t
trace_view_put(struct trace *t, struct trace_view_chain *c,
               const struct tcb_view *v)
{
    struct trace_views *p = &t->views;
    uint64_t now[F_COUNT], was[F_COUNT];
    uint32_t mask = 0, ref;
    uint8_t rec[RECORD_MAX], *w = rec;
    bool key = c->ref == 0 || c->since + 1 >= KEYFRAME_EVERY;
    size_t pos;

    fields_of(v, now);
    if (c->ref) {
        fields_of(&c->last, was);
        for (int f = 0; f < F_COUNT; f++)
            if (now[f] != was[f])
                mask |= UINT32_C(1) << f;
        if (!mask)
            return c->ref;
    }
    if (key)
        mask = ALL_FIELDS;
    if (!p->nchunks || p->used + RECORD_MAX > CHUNK_BYTES) {
        if (p->nchunks == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 16;
            p->chunk = xreallocarray(p->chunk, p->cap, sizeof *p->chunk);
        }
        p->chunk[p->nchunks++] = xmalloc(CHUNK_BYTES);
        p->used = 0;
    }
    pos = (p->nchunks - 1) * (size_t)CHUNK_BYTES + p->used;
    if (pos + 1 > UINT32_MAX)
        xalloc_fail(); /* beyond any trace limit a run can have */
    ref = (uint32_t)(pos + 1);
    w = put_varint(w, key ? 0 : ref - c->ref);
    w = put_varint(w, mask);
    for (int f = 0; f < F_COUNT; f++)
        if (mask >> f & 1)
            w = put_varint(w, now[f]);
    memcpy(p->chunk[p->nchunks - 1] + p->used, rec, (size_t)(w - rec));
    p->used += (size_t)(w - rec);
    c->ref = ref;
    c->since = key ? 0 : c->since + 1;
    c->last = *v;
    return ref;
}

struct tcb_view
trace_view(const struct trace *t, const struct trace_event *e, int side)
{
    uint64_t f[F_COUNT] = {0};
    uint32_t need = ALL_FIELDS, ref = e->view[side];
    struct tcb_view v;

    while (ref && need) {
        const uint8_t *r = record_at(&t->views, ref);
        uint64_t back, mask, x;
        r = get_varint(r, &back);
        r = get_varint(r, &mask);
        for (int k = 0; k < F_COUNT; k++) {
            if (!(mask >> k & 1))
                continue;
            r = get_varint(r, &x);
            if (need >> k & 1)
                f[k] = x;
        }
        need &= ~(uint32_t)mask;
        ref = back ? ref - (uint32_t)back : 0;
    }
    view_of_fields(f, &v);
    return v;
}

void
trace_views_free(struct trace_views *p)
{
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunk[i]);
    free(p->chunk);
    memset(p, 0, sizeof *p);
}

size_t
trace_views_bytes(const struct trace_views *p)
{
    return p->nchunks * (size_t)CHUNK_BYTES;
}
