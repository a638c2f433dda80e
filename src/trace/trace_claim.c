/*
 * Checking what a scenario's note claims about the run it is shown in: "the
 * delayed-ACK timer is cancelled here", "the client is in TIME-WAIT", "this
 * is the second retransmission". A live edit or a --set changes the run, and
 * a note written for the original run may no longer be true; the readers
 * then show the generated narration instead and say so. The claims are in
 * struct note_claims (include/synfin/scenario.h).
 */
#include <stdio.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"

static bool
same_conn(const struct trace_event *a, const struct trace_event *b)
{
    return a->conn == 0 || a->conn == b->conn;
}

int
trace_state_after_instant(const struct trace *t, size_t at, int side)
{
    const struct trace_event *e = trace_at(t, at), *last = e;
    struct tcb_view v;

    for (size_t i = at + 1; i < t->len && trace_at(t, i)->t_us == e->t_us; i++)
        if (same_conn(e, trace_at(t, i)))
            last = trace_at(t, i);
    v = trace_view(t, last, side);
    return v.exists ? v.state : TCP_CLOSED;
}

uint64_t
trace_timer_armed(const struct trace *t, size_t at, uint32_t conn, int side,
                  int kind, uint64_t expiry)
{
    for (size_t i = at + 1; i-- > 0;) {
        const struct trace_event *s = trace_at(t, i);
        if (s->kind == TRACE_TIMER_SET && s->side == side && s->a == kind &&
            (conn == 0 || s->conn == conn) && (uint64_t)s->n == expiry)
            return expiry > s->t_us ? expiry - s->t_us : 0;
    }
    return 0;
}

uint64_t
trace_timer_length(const struct trace *t, size_t at)
{
    const struct trace_event *e = trace_at(t, at);

    if (e->kind != TRACE_TIMER_SET && e->kind != TRACE_TIMER_FIRE)
        return 0;
    return trace_timer_armed(t, at, e->conn, e->side, e->a,
                             e->kind == TRACE_TIMER_SET ? (uint64_t)e->n
                                                        : e->t_us);
}

/* The length of the timer of kind that e's side has armed by the end of
 * e's instant and that is still running then; 0 if none. */
static uint64_t
armed_timer_length(const struct trace *t, size_t at, int kind)
{
    const struct trace_event *e = trace_at(t, at);
    size_t end = at;

    while (end + 1 < t->len && trace_at(t, end + 1)->t_us == e->t_us)
        end++;
    for (size_t i = end + 1; i-- > 0;) {
        const struct trace_event *s = trace_at(t, i);
        if (s->conn != e->conn || s->side != e->side)
            continue;
        if (s->kind == TRACE_TIMER_CANCEL && s->a == kind)
            return 0;
        if (s->kind == TRACE_TIMER_SET && s->a == kind)
            return (uint64_t)s->n >= e->t_us ? trace_timer_length(t, i) : 0;
    }
    return 0;
}

static bool
is_packet(const struct trace_event *e)
{
    return e->kind == TRACE_SEND || e->kind == TRACE_ARRIVE ||
           e->kind == TRACE_DROP || e->kind == TRACE_DISCARD;
}

bool
trace_seg_acks_fin(const struct trace *t, const struct trace_event *e)
{
    struct tcb_view s;

    if (!is_packet(e) || !(e->seg.flags & TCP_ACK) || e->seg.from > SIDE_SERVER)
        return false;
    s = trace_view(t, e, e->seg.from);
    return s.exists && !s.rd_open && s.rcv_nxt == e->seg.ack;
}

static bool
pattern_holds(const struct trace *t, size_t at, const struct claim_pattern *p,
              bool whole_run)
{
    const struct trace_event *e = trace_at(t, at);
    uint32_t n = 0;

    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *o = trace_at(t, i);
        if (o->kind == TRACE_NOTE || (!whole_run && !same_conn(e, o)) ||
            !trace_event_matches(&p->m, o))
            continue;
        switch ((enum claim_how)p->how) {
        case CLAIM_SAME_TIME:
            if (o->t_us == e->t_us)
                return true;
            break;
        case CLAIM_EARLIER:
            if (i < at)
                return true;
            break;
        case CLAIM_LATER:
            if (i > at)
                return true;
            break;
        case CLAIM_NEVER: return false;
        case CLAIM_COUNT: n++; break;
        case CLAIM__HOW_COUNT: break;
        }
    }
    return p->how == CLAIM_NEVER || (p->how == CLAIM_COUNT && n == p->count);
}

static bool
given(const struct note_claims *c, enum claim_which w)
{
    return c->given & (1u << w);
}

int
trace_claims_check(const struct trace *t, size_t at,
                   const struct note_claims *c, uint64_t msl_us)
{
    const struct trace_event *e = trace_at(t, at);
    bool seg = is_packet(e) && e->seg.from <= SIDE_SERVER;
    int from = seg ? e->seg.from : 0;
    uint64_t len;

    if (given(c, CLAIM_AT) && (e->t_us < c->at_lo || e->t_us > c->at_hi))
        return CLAIM_AT;
    len = !given(c, CLAIM_TIMER) && !given(c, CLAIM_TIMER_MSL) ? 0
          : c->timer ? armed_timer_length(t, at, c->timer - 1)
                     : trace_timer_length(t, at);
    if (given(c, CLAIM_TIMER) && (len < c->timer_lo || len > c->timer_hi))
        return CLAIM_TIMER;
    if (given(c, CLAIM_TIMER_MSL) && len != c->timer_msl * msl_us)
        return CLAIM_TIMER_MSL;
    if (given(c, CLAIM_RETX) && !(is_packet(e) && e->seg.retx == c->retx))
        return CLAIM_RETX;
    if (given(c, CLAIM_ACKS_FIN) && trace_seg_acks_fin(t, e) != c->acks_fin)
        return CLAIM_ACKS_FIN;
    if (given(c, CLAIM_SEQ) &&
        !(seg && e->seg.seq - trace_view(t, e, from).iss == c->seq))
        return CLAIM_SEQ;
    if (given(c, CLAIM_ACK) &&
        !(seg && (e->seg.flags & TCP_ACK) &&
          e->seg.ack - trace_view(t, e, 1 - from).iss == c->ack))
        return CLAIM_ACK;
    if (given(c, CLAIM_ERRNO) &&
        !((e->kind == TRACE_CALL || e->kind == TRACE_APP) && e->b == c->err))
        return CLAIM_ERRNO;
    for (int side = 0; side < 2; side++)
        if (given(c, CLAIM_STATE_CLIENT + side) &&
            trace_state_after_instant(t, at, side) != c->state[side])
            return CLAIM_STATE_CLIENT + side;
    if (given(c, CLAIM_CLOSE_SEGMENTS) &&
        trace_close_segments(t, e->conn) != c->close_segments)
        return CLAIM_CLOSE_SEGMENTS;
    for (int i = 0; i < c->npat; i++)
        if (!pattern_holds(t, at, &c->pat[i], c->whole_run))
            return CLAIM_PATTERN + i;
    return -1;
}

int64_t
trace_close_segments(const struct trace *t, uint32_t conn)
{
    int64_t n = 0;
    bool counting = false;

    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        const struct seg_view *g = &e->seg;
        if (e->kind != TRACE_SEND || e->side == SIDE_NET ||
            (g->tags & (SEG_ICMP | SEG_DUP | SEG_RETX | SEG_KEEPALIVE)) ||
            (g->flags & (TCP_RST | TCP_SYN)) || (conn && e->conn != conn))
            continue;
        if (g->flags & TCP_FIN)
            counting = true;
        if (counting && ((g->flags & TCP_FIN) || g->len == 0))
            n++;
    }
    return counting ? n : -1;
}

/* The event a note at index i is attached to: the last event before it
 * that is not a note. */
static size_t
note_target(const struct trace *t, size_t i)
{
    while (i > 0 && trace_at(t, i)->kind == TRACE_NOTE)
        i--;
    return i;
}

size_t
trace_untrue_notes(const struct trace *t)
{
    size_t n = 0;

    for (size_t i = 0; i < t->len; i++)
        n += trace_at(t, i)->kind == TRACE_NOTE &&
             (trace_at(t, i)->flags & TRACE_F_UNTRUE);
    return n;
}

void
trace_check_notes(struct trace *t, const struct scenario *scn)
{
    for (size_t i = 0; i < t->len; i++) {
        struct trace_event *n = trace_at_mut(t, i);
        int bad;
        if (n->kind != TRACE_NOTE || n->a < 0 || (size_t)n->a >= scn->nnotes)
            continue;
        bad = trace_claims_check(t, note_target(t, i), &scn->notes[n->a].holds,
                                 scn->tcp.msl_us);
        if (bad >= 0) {
            n->flags |= TRACE_F_UNTRUE;
            n->b = bad;
        }
    }
}

const char *
trace_claim_name(int which)
{
    static const char *const names[] = {
        [CLAIM_AT] = "at_ms",
        [CLAIM_TIMER] = "timer_ms",
        [CLAIM_TIMER_MSL] = "timer_msl",
        [CLAIM_RETX] = "retx",
        [CLAIM_ACKS_FIN] = "acks_fin",
        [CLAIM_SEQ] = "seq",
        [CLAIM_ACK] = "ack",
        [CLAIM_ERRNO] = "errno",
        [CLAIM_STATE_CLIENT] = "state.client",
        [CLAIM_STATE_SERVER] = "state.server",
        [CLAIM_CLOSE_SEGMENTS] = "close_segments",
    };
    if (which >= 0 && which < CLAIM_PATTERN)
        return names[which];
    return "pattern";
}

char *
trace_claim_key(const struct note_claims *c, int which, char *buf, size_t size)
{
    static const char *const hows[CLAIM__HOW_COUNT] = {
        [CLAIM_SAME_TIME] = "same_time", [CLAIM_EARLIER] = "earlier",
        [CLAIM_LATER] = "later",         [CLAIM_NEVER] = "never",
        [CLAIM_COUNT] = "count",
    };
    int i = which - CLAIM_PATTERN, k = 0;

    if (which < CLAIM_PATTERN || i >= c->npat) {
        snprintf(buf, size, "%s", trace_claim_name(which));
        return buf;
    }
    /* Its place among the patterns of its kind, as the file lists them. */
    for (int j = 0; j < i; j++)
        k += c->pat[j].how == c->pat[i].how;
    snprintf(buf, size, "%s[%d]", hows[c->pat[i].how], k);
    return buf;
}
