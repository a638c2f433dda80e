/*
 * A trace written by hand, so the front end can be tested without the
 * engine: a three-way handshake and a four-way close (client closes first),
 * with 50 ms one way, client ISN 1000 and server ISN 5000. With lose_fin
 * the server's FIN is lost once and retransmitted after its RTO.
 */
#ifndef SYNFIN_TESTS_SYNTH_H
#define SYNFIN_TESTS_SYNTH_H

#include <stdlib.h>
#include <string.h>

#include "synfin/trace.h"

struct synth {
    struct trace *t;
    struct tcb_view view[2];
    struct trace_view_chain chain[2];
    uint32_t next_id;
};

static struct trace_event *
synth_push(struct synth *s, uint64_t t_ms, int kind, int side)
{
    struct trace_event *e = trace_push(s->t);
    e->t_us = t_ms * 1000;
    e->kind = (uint8_t)kind;
    e->side = (uint8_t)side;
    e->conn = 1;
    e->a = e->b = -1;
    return e;
}

/* Every event gets the views as they are after it: call this last. */
static void
synth_snap(struct synth *s, struct trace_event *e)
{
    e->view[0] = trace_view_put(s->t, &s->chain[0], &s->view[0]);
    e->view[1] = trace_view_put(s->t, &s->chain[1], &s->view[1]);
}

static void
synth_state(struct synth *s, uint64_t t_ms, int side, int to, const char *why)
{
    struct trace_event *e = synth_push(s, t_ms, TRACE_STATE, side);
    e->a = s->view[side].state;
    e->b = to;
    e->why = why;
    s->view[side].state = (uint8_t)to;
    s->view[side].exists = to != TCP_CLOSED;
    synth_snap(s, e);
}

static void
synth_call(struct synth *s, uint64_t t_ms, int side, int call)
{
    struct trace_event *e = synth_push(s, t_ms, TRACE_CALL, side);
    e->a = call;
    e->b = 0;
    synth_snap(s, e);
}

static void
synth_timer(struct synth *s, uint64_t t_ms, int kind, int side, int timer,
            uint64_t after_ms)
{
    struct trace_event *e = synth_push(s, t_ms, kind, side);
    e->a = timer;
    e->b = s->view[side].backoff;
    if (kind == TRACE_TIMER_SET) {
        e->n = (int64_t)(t_ms + after_ms) * 1000;
        s->view[side].timer_us[timer] = (t_ms + after_ms) * 1000;
    } else {
        s->view[side].timer_us[timer] = 0;
    }
    synth_snap(s, e);
}

/* Send a packet; returns its id. The arrival or drop is up to the caller. */
static uint32_t
synth_send(struct synth *s, uint64_t t_ms, int side, uint8_t flags,
           uint32_t len, uint8_t tags, uint64_t due_ms)
{
    struct tcb_view *v = &s->view[side];
    struct trace_event *e = synth_push(s, t_ms, TRACE_SEND, side);
    e->seg.id = ++s->next_id;
    e->seg.saddr = side == SIDE_CLIENT ? 0x0a000001u : 0x0a000002u;
    e->seg.daddr = side == SIDE_CLIENT ? 0x0a000002u : 0x0a000001u;
    e->seg.sport = side == SIDE_CLIENT ? 49152 : 80;
    e->seg.dport = side == SIDE_CLIENT ? 80 : 49152;
    e->seg.seq = (flags & TCP_SYN) ? v->iss : v->snd_nxt;
    if (tags & SEG_RETX)
        e->seg.seq = v->snd_una;
    e->seg.ack = (flags & TCP_ACK) ? v->rcv_nxt : 0;
    e->seg.len = len;
    e->seg.wnd = 65535;
    e->seg.flags = flags;
    e->seg.tags = tags;
    e->seg.ttl = 64;
    e->seg.from = (uint8_t)side;
    e->seg.retx = (tags & SEG_RETX) ? 1 : 0;
    e->seg.sent_us = t_ms * 1000;
    e->seg.due_us = due_ms * 1000;
    if (!(tags & SEG_RETX))
        v->snd_nxt = e->seg.seq + len + ((flags & TCP_SYN) ? 1 : 0) +
                     ((flags & TCP_FIN) ? 1 : 0);
    synth_snap(s, e);
    return e->seg.id;
}

/* The packet sent as event send_idx arrives (or is lost, with why). */
static void
synth_end(struct synth *s, size_t send_idx, const char *lost)
{
    struct trace_event *e, *snd = trace_at_mut(s->t, send_idx);
    struct seg_view seg = snd->seg;
    int to = seg.from == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    struct tcb_view *v = &s->view[to];

    e = synth_push(s, seg.due_us / 1000, lost ? TRACE_DROP : TRACE_ARRIVE,
                   lost ? SIDE_NET : to);
    e->seg = seg;
    e->why = lost;
    if (!lost) {
        if (seg.flags & TCP_SYN)
            v->irs = seg.seq;
        v->rcv_nxt = seg.seq + seg.len + ((seg.flags & TCP_SYN) ? 1 : 0) +
                     ((seg.flags & TCP_FIN) ? 1 : 0);
        if (seg.flags & TCP_FIN)
            v->rd_open = false;
        if (seg.flags & TCP_ACK)
            v->snd_una = seg.ack;
    }
    synth_snap(s, e);
}

static void
synth_build(struct trace *t, int lose_fin)
{
    struct synth s = {.t = t};
    size_t i;
    uint64_t fin_at;
    struct trace_event *e;

    memset(t, 0, sizeof *t);
    s.view[0].iss = 1000;
    s.view[1].iss = 5000;
    for (int k = 0; k < 2; k++) {
        s.view[k].snd_una = s.view[k].snd_nxt = s.view[k].iss;
        s.view[k].rd_open = s.view[k].wr_open = true;
        s.view[k].lport = k ? 80 : 49152;
        s.view[k].rport = k ? 49152 : 80;
        s.view[k].snd_wnd = s.view[k].rcv_wnd = 65535;
    }

    synth_call(&s, 0, SIDE_SERVER, CALL_LISTEN);
    synth_state(&s, 0, SIDE_SERVER, TCP_LISTEN, "listen() called");
    synth_call(&s, 0, SIDE_CLIENT, CALL_CONNECT);
    synth_state(&s, 0, SIDE_CLIENT, TCP_SYN_SENT, "§3.10.1 OPEN: SYN sent");
    i = t->len;
    synth_send(&s, 0, SIDE_CLIENT, TCP_SYN, 0, 0, 50);
    synth_timer(&s, 0, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_RTX, 1000);

    synth_end(&s, i, NULL);
    synth_state(&s, 50, SIDE_SERVER, TCP_SYN_RECEIVED,
                "§3.10.7.2 LISTEN: SYN received, send SYN,ACK");
    i = t->len;
    synth_send(&s, 50, SIDE_SERVER, TCP_SYN | TCP_ACK, 0, 0, 100);
    synth_timer(&s, 50, TRACE_TIMER_SET, SIDE_SERVER, TIMER_RTX, 1000);

    synth_end(&s, i, NULL);
    synth_timer(&s, 100, TRACE_TIMER_CANCEL, SIDE_CLIENT, TIMER_RTX, 0);
    synth_state(&s, 100, SIDE_CLIENT, TCP_ESTABLISHED,
                "§3.10.7.3 SYN-SENT: SYN,ACK acknowledges our SYN");
    i = t->len;
    synth_send(&s, 100, SIDE_CLIENT, TCP_ACK, 0, 0, 150);

    synth_end(&s, i, NULL);
    synth_timer(&s, 150, TRACE_TIMER_CANCEL, SIDE_SERVER, TIMER_RTX, 0);
    synth_state(&s, 150, SIDE_SERVER, TCP_ESTABLISHED,
                "§3.10.7.4 fifth: our SYN is ACKed");

    synth_call(&s, 500, SIDE_CLIENT, CALL_CLOSE);
    s.view[0].wr_open = false;
    synth_state(&s, 500, SIDE_CLIENT, TCP_FIN_WAIT_1,
                "§3.10.4 CLOSE: FIN sent");
    i = t->len;
    synth_send(&s, 500, SIDE_CLIENT, TCP_FIN | TCP_ACK, 0, 0, 550);
    synth_timer(&s, 500, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_RTX, 1000);
    e = synth_push(&s, 500, TRACE_NOTE, SIDE_CLIENT);
    {
        static char en[] = "The client is done sending: its FIN says so.";
        static char zh[] = "\xe5\xae\xa2\xe6\x88\xb7\xe7\xab\xaf"
                           "\xe5\x8f\x91\xe5\xae\x8c\xe4\xba\x86: FIN";
        static const struct i18n note = {en, zh};
        e->note = &note;
    }
    synth_snap(&s, e);

    synth_end(&s, i, NULL);
    synth_state(&s, 550, SIDE_SERVER, TCP_CLOSE_WAIT,
                "§3.10.7.4 eighth: FIN received");
    i = t->len;
    synth_send(&s, 550, SIDE_SERVER, TCP_ACK, 0, 0, 600);

    synth_end(&s, i, NULL);
    synth_timer(&s, 600, TRACE_TIMER_CANCEL, SIDE_CLIENT, TIMER_RTX, 0);
    synth_state(&s, 600, SIDE_CLIENT, TCP_FIN_WAIT_2,
                "§3.10.7.4 fifth: our FIN is ACKed");

    synth_call(&s, 800, SIDE_SERVER, CALL_CLOSE);
    s.view[1].wr_open = false;
    synth_state(&s, 800, SIDE_SERVER, TCP_LAST_ACK, "§3.10.4 CLOSE: FIN sent");
    i = t->len;
    synth_send(&s, 800, SIDE_SERVER, TCP_FIN | TCP_ACK, 0, 0,
               lose_fin ? 825 : 850);
    synth_timer(&s, 800, TRACE_TIMER_SET, SIDE_SERVER, TIMER_RTX, 1000);
    fin_at = 800;
    if (lose_fin) {
        synth_end(&s, i, "rule 1 (drop the server's FIN)");
        s.view[1].backoff = 1;
        synth_timer(&s, 1800, TRACE_TIMER_FIRE, SIDE_SERVER, TIMER_RTX, 0);
        i = t->len;
        synth_send(&s, 1800, SIDE_SERVER, TCP_FIN | TCP_ACK, 0, SEG_RETX, 1850);
        synth_timer(&s, 1800, TRACE_TIMER_SET, SIDE_SERVER, TIMER_RTX, 2000);
        fin_at = 1800;
    }

    synth_end(&s, i, NULL);
    synth_state(&s, fin_at + 50, SIDE_CLIENT, TCP_TIME_WAIT,
                "§3.10.7.4 eighth: FIN received in FIN-WAIT-2");
    i = t->len;
    synth_send(&s, fin_at + 50, SIDE_CLIENT, TCP_ACK, 0, 0, fin_at + 100);
    synth_timer(&s, fin_at + 50, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_TIME_WAIT,
                4000);

    synth_end(&s, i, NULL);
    s.view[1].backoff = 0;
    synth_timer(&s, fin_at + 100, TRACE_TIMER_CANCEL, SIDE_SERVER, TIMER_RTX,
                0);
    synth_state(&s, fin_at + 100, SIDE_SERVER, TCP_CLOSED,
                "§3.10.7.4 fifth: our FIN is ACKed in LAST-ACK");

    synth_timer(&s, fin_at + 4050, TRACE_TIMER_FIRE, SIDE_CLIENT,
                TIMER_TIME_WAIT, 0);
    synth_state(&s, fin_at + 4050, SIDE_CLIENT, TCP_CLOSED,
                "§3.10.8 time-wait timeout");
}

#endif
