/*
 * Trace emission: the engine's state turned into trace records.
 *
 * Every record names a snapshot of both endpoints of its connection (the
 * TCBs the connection has now, or the last view of one that is gone), so a
 * reader never looks at the engine. Each endpoint's snapshots form a chain
 * in the trace, stored as what changed (trace_view_put). A committed record may
 * set off scenario notes: a note is its own record, placed right after the
 * event it explains. Nothing here runs when the world is not recording, the
 * fast path of the benchmark.
 */
#include <string.h>

#include "base/xalloc.h"
#include "engine.h"

static void
view_of(const struct tcb *t, struct tcb_view *v)
{
    memset(v, 0, sizeof *v);
    v->state = (uint8_t)t->state;
    v->exists = !t->dead;
    v->orphan = t->sock == NULL && t->state != TCP_LISTEN;
    v->rd_open = !t->fin_rcvd && !t->rd_shut;
    v->wr_open = !t->fin_queued;
    v->backoff = t->backoff;
    v->lport = t->lport;
    v->rport = t->rport;
    v->iss = t->iss;
    v->irs = t->irs;
    v->snd_una = t->snd_una;
    v->snd_nxt = t->snd_nxt;
    v->snd_wnd = t->snd_wnd;
    v->rcv_nxt = t->rcv_nxt;
    v->rcv_wnd = t->rcv_wnd;
    v->unsent = t->unsent;
    v->unread = t->unread;
    for (int k = 0; k < TIMER__COUNT; k++)
        v->timer_us[k] = tcb_timer_due(t, (enum tcp_timer_kind)k);
}

static struct conn_slot *
conn_slot(struct world *w, uint32_t conn)
{
    if (conn >= w->conns_cap) {
        uint32_t n = w->conns_cap ? w->conns_cap : 16;
        while (n <= conn)
            n *= 2;
        w->conns = xreallocarray(w->conns, n, sizeof *w->conns);
        memset(w->conns + w->conns_cap, 0,
               (n - w->conns_cap) * sizeof *w->conns);
        w->conns_cap = n;
    }
    if (conn >= w->nconns)
        w->nconns = conn + 1;
    return &w->conns[conn];
}

void
emit_conn_open(struct tcb *tcb)
{
    struct world *w = tcb->w;

    if (emit_recording(w) && tcb->conn) {
        struct conn_slot *c = conn_slot(w, tcb->conn);
        c->tcb[tcb->side] = tcb;
        c->had[tcb->side] = true;
    }
}

void
emit_conn_gone(struct tcb *tcb)
{
    struct world *w = tcb->w;

    if (emit_recording(w) && tcb->conn < w->nconns &&
        w->conns[tcb->conn].tcb[tcb->side] == tcb) {
        struct conn_slot *c = &w->conns[tcb->conn];
        struct tcb_view v;
        view_of(tcb, &v);
        v.exists = false;
        trace_view_put(w->trace, &c->chain[tcb->side], &v);
        c->tcb[tcb->side] = NULL;
    }
}

static void
snapshot(struct world *w, struct trace_event *e)
{
    uint32_t conn = e->conn ? e->conn : (w->nconns > 1 ? w->nconns - 1 : 1);
    struct conn_slot *c = conn < w->nconns ? &w->conns[conn] : NULL;

    for (int side = 0; side < 2; side++) {
        struct tcb_view v;
        if (c && c->tcb[side]) {
            view_of(c->tcb[side], &v);
            e->view[side] = trace_view_put(w->trace, &c->chain[side], &v);
        } else if (c && c->had[side]) {
            e->view[side] = c->chain[side].ref;
        } else if (w->hosts[side].nlisteners > 0) {
            view_of(w->hosts[side].listeners[0], &v);
            e->view[side] =
                trace_view_put(w->trace, &w->listen_chain[side], &v);
        } else {
            e->view[side] = 0; /* no TCB: CLOSED */
        }
    }
}

struct trace_event *
emit_begin(struct world *w, enum trace_kind k, uint8_t side, uint32_t conn)
{
    struct trace_event *e = trace_push(w->trace);
    e->t_us = sim_now(w->sim);
    e->kind = (uint8_t)k;
    e->side = side;
    e->conn = conn;
    return e;
}

void
emit_commit(struct world *w, struct trace_event *e)
{
    const struct scenario *scn = w->scn;

    /* Rules that only a what-if variant follows say so first. */
    if (e->why && strncmp(e->why, "WHAT-IF", 7) == 0)
        e->flags |= TRACE_F_WHATIF;
    snapshot(w, e);
    /* e stays good while notes are pushed: events never move. */
    for (size_t i = 0; i < scn->nnotes; i++) {
        const struct trace_event *ev = e;
        struct trace_event *n;
        if (!trace_event_matches(&scn->notes[i].when, ev))
            continue;
        if (++w->note_hits[i] != scn->notes[i].when.nth)
            continue;
        n = trace_push(w->trace);
        n->t_us = ev->t_us;
        n->kind = TRACE_NOTE;
        n->side = ev->side;
        n->conn = ev->conn;
        n->a = (int32_t)i;
        n->note = &scn->notes[i].text;
        n->view[0] = ev->view[0];
        n->view[1] = ev->view[1];
    }
}

void
emit_state(struct tcb *tcb, enum tcp_state from, enum tcp_state to,
           const char *why)
{
    struct world *w = tcb->w;
    struct trace_event *e;

    if (!emit_recording(w))
        return;
    e = emit_begin(w, TRACE_STATE, tcb->side, tcb->conn);
    e->a = (int32_t)from;
    e->b = (int32_t)to;
    if (to == TCP_CLOSED)
        e->n = tcb->end; /* tcp_close_tcb() set it */
    e->why = why;
    emit_commit(w, e);
}

void
emit_timer(struct tcb *tcb, enum trace_kind k, enum tcp_timer_kind t)
{
    emit_timer_why(tcb, k, t, NULL);
}

void
emit_timer_why(struct tcb *tcb, enum trace_kind k, enum tcp_timer_kind t,
               const char *why)
{
    struct world *w = tcb->w;
    struct trace_event *e;

    if (!emit_recording(w))
        return;
    e = emit_begin(w, k, tcb->side, tcb->conn);
    e->a = (int32_t)t;
    e->b = tcb->backoff;
    if (k == TRACE_TIMER_SET)
        e->n = (int64_t)tcb_timer_due(tcb, t);
    if (k == TRACE_TIMER_SET && t == TIMER_RTX && tcb->live &&
        tcb->live->rto_doublings)
        e->flags |= TRACE_F_BACKOFF;
    e->why = why;
    emit_commit(w, e);
}

void
emit_discard(struct tcb *tcb, const struct packet *p, const char *why)
{
    emit_packet(tcb->w, TRACE_DISCARD, p, tcb->side, why);
}

void
emit_packet(struct world *w, enum trace_kind k, const struct packet *p,
            uint8_t side, const char *why)
{
    struct trace_event *e;

    if (!emit_recording(w))
        return;
    e = emit_begin(w, k, side, p->conn);
    e->seg = p->seg;
    e->why = why;
    emit_commit(w, e);
}

long
emit_call(struct world *w, uint8_t side, uint32_t conn, int call,
          const char *why)
{
    struct trace_event *e;
    long idx;

    if (!emit_recording(w))
        return -1;
    e = emit_begin(w, TRACE_CALL, side, conn);
    idx = (long)e->idx;
    e->a = (int32_t)call;
    e->why = why;
    emit_commit(w, e);
    return idx;
}

void
emit_call_result(struct world *w, long idx, int err, int64_t n)
{
    if (idx >= 0) {
        struct trace_event *e = trace_at_mut(w->trace, (size_t)idx);
        e->b = err;
        e->n = n;
    }
}

void
emit_app(struct world *w, uint8_t side, uint32_t conn, int ev, int err,
         uint32_t bytes, uint8_t flags, const char *why)
{
    struct trace_event *e;

    if (!emit_recording(w))
        return;
    e = emit_begin(w, TRACE_APP, side, conn);
    e->a = (int32_t)ev;
    e->b = err;
    e->n = bytes;
    e->flags = flags;
    e->why = why;
    emit_commit(w, e);
}
