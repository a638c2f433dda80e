/* The sequence diagram's layout: a row for every event; see seq_layout.h. */
#include "ui/seq_layout.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/*
 * What an item takes on its row: each side has a margin (for state names,
 * calls and timers) and a lane (where its arrows start and end: an arrival
 * and a departure on one row would overlap). The middle holds drops and
 * ICMP starts.
 */
#define SLOT_MARGIN(side) (1u << (side))
#define SLOT_LANE(side)   (4u << (side))
#define SLOT_MID          0x10u

static void *
draw_seq_grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    if (*cap < need)
        *cap = need;
    return xreallocarray(p, *cap, size);
}

static int
draw_seq_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The median one-way delay of the trace's packets: the diagram's unit. */
static uint64_t
draw_seq_unit(const struct trace *t)
{
    uint64_t *d = xcalloc(t->len, sizeof *d), unit = 50000;
    size_t n = 0;

    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind == TRACE_SEND && e->seg.due_us > e->t_us)
            d[n++] = e->seg.due_us - e->t_us;
    }
    if (n) {
        qsort(d, n, sizeof *d, draw_seq_cmp_u64);
        unit = d[n / 2];
    }
    free(d);
    return unit ? unit : 1;
}

/* What the event needs on its row; false if it gets no row. */
static bool
draw_seq_needs(const struct trace_event *e, unsigned *need)
{
    bool host = e->side == SIDE_CLIENT || e->side == SIDE_SERVER;

    switch ((enum trace_kind)e->kind) {
    case TRACE_CALL:
    case TRACE_STATE:
    case TRACE_TIMER_FIRE:
    case TRACE_DISCARD: *need = host ? SLOT_MARGIN(e->side) : 0; return host;
    case TRACE_APP:
        *need = host ? SLOT_MARGIN(e->side) : 0;
        return host && (e->a == EV_EOF || e->a == EV_RESET || e->a == EV_ERROR);
    case TRACE_SEND:
        *need = e->seg.from <= SIDE_SERVER ? SLOT_LANE(e->seg.from) : SLOT_MID;
        return true;
    case TRACE_ARRIVE:
        *need = host ? SLOT_LANE(e->side) : SLOT_MID;
        return true;
    case TRACE_DROP: *need = SLOT_MID; return true;
    default: break;
    }
    return false;
}

static struct draw_seq_row *
draw_seq_push_row(struct draw_seq_layout *l, size_t *cap, int kind, uint64_t t,
                  uint32_t ev)
{
    struct draw_seq_row *r;
    l->rows = draw_seq_grow(l->rows, cap, l->nrows + 1, sizeof *l->rows);
    r = &l->rows[l->nrows++];
    memset(r, 0, sizeof *r);
    r->kind = (uint8_t)kind;
    r->t_us = t;
    r->first_ev = ev;
    return r;
}

/* The arrow of seg_id, searching back from the newest. */
static uint32_t
draw_seq_find_arrow(const struct draw_seq_layout *l, uint32_t seg_id)
{
    for (size_t i = l->narrows; i-- > 0;)
        if (l->arrows[i].seg_id == seg_id)
            return (uint32_t)i;
    return DRAW_NONE;
}

/* The first row at which an arrow sent on row y0 has sloped over span rows,
 * label rows not counted (the line does not move across them). */
static int
draw_seq_span_end(const struct draw_seq_layout *l, int y0, int span)
{
    int y = y0;
    while (span > 0) {
        y++;
        if (y >= (int)l->nrows || l->rows[y].kind != SEQ_ROW_LABEL)
            span--;
    }
    return y;
}

/*
 * Does the packet of send event e, about to get a row after row last, cross
 * one going the other way: one of the same connection sent at most
 * SEQ_MIN_SPAN rows before and still in flight (a simultaneous open or
 * close, both ends sending at once)? That arrow crosses it too. A packet
 * long in flight (held, or wandering) that later ones meet is not crossed
 * this way: its label is where every label goes.
 */
static bool
draw_seq_crossing(struct draw_seq_layout *l, const struct trace *t,
                  const struct trace_event *e, int last)
{
    bool cross = false;

    if (e->seg.from > SIDE_SERVER || (e->seg.tags & SEG_ICMP))
        return false;
    for (size_t k = l->narrows; k-- > 0;) {
        struct draw_seq_arrow *a = &l->arrows[k];
        const struct trace_event *s = trace_at(t, a->send_ev);
        if (last - a->y0 > SEQ_MIN_SPAN)
            break;
        if (a->end_ev == DRAW_NONE && a->from <= SIDE_SERVER &&
            a->from != e->seg.from && s->conn == e->conn &&
            !(s->seg.tags & SEG_ICMP))
            cross = a->crosses = true;
    }
    return cross;
}

/*
 * Is row q (the row above a crossing arrow's start) no place for its label
 * against the sender's lifeline: missing, a folded gap, or a row where a
 * packet arrives at or leaves from the sender?
 */
static bool
draw_seq_no_label_room(const struct draw_seq_layout *l, int q, uint8_t from)
{
    return q < 0 || l->rows[q].kind == SEQ_ROW_BREAK ||
           (l->rows[q].used & SLOT_LANE(from));
}

/* Per connection, the latest ISN seen from each side. */
struct draw_seq_isn {
    bool known[2];
    uint32_t isn[2];
};

static uint16_t
draw_seq_frac(uint32_t num, uint32_t den)
{
    return den ? (uint16_t)(num * 1000u / den) : 500;
}

/* A new arrow for the send event e at row y. */
static void
draw_seq_add_arrow(struct draw_seq_layout *l, size_t *cap,
                   const struct trace_event *e, uint32_t i, int y,
                   struct draw_seq_isn *isn)
{
    struct draw_seq_arrow *a;
    uint8_t from = e->seg.from;

    l->arrows = draw_seq_grow(l->arrows, cap, l->narrows + 1, sizeof *a);
    a = &l->arrows[l->narrows++];
    memset(a, 0, sizeof *a);
    a->send_ev = i;
    a->end_ev = DRAW_NONE;
    a->seg_id = e->seg.id;
    a->from = from;
    a->y0 = a->y1 = y;
    a->cut = 1000;
    if (e->seg.tags & SEG_ICMP) {
        /* From router k back to the sender of the packet it quotes. */
        uint32_t q = draw_seq_find_arrow(l, e->seg.orig_id);
        uint8_t to = q != DRAW_NONE && l->arrows[q].from <= SIDE_SERVER
                         ? l->arrows[q].from
                         : SIDE_CLIENT;
        uint16_t p = draw_seq_frac(e->seg.hops, l->routers + 1);
        a->to = to;
        a->fa = to == SIDE_CLIENT ? p : (uint16_t)(1000 - p);
        a->fb = to == SIDE_CLIENT ? 0 : 1000;
        return;
    }
    if (from > SIDE_SERVER)
        from = SIDE_CLIENT;
    a->from = from;
    a->to = (uint8_t)(1 - from);
    a->fa = from == SIDE_CLIENT ? 0 : 1000;
    a->fb = (uint16_t)(1000 - a->fa);
    if (isn) {
        if (e->seg.flags & TCP_SYN) {
            isn->known[from] = true;
            isn->isn[from] = e->seg.seq;
        }
        a->has_seq = isn->known[from];
        a->base_seq = isn->isn[from];
        a->has_ack = isn->known[1 - from];
        a->base_ack = isn->isn[1 - from];
    }
}

/*
 * One pass over the trace. The first (crossing NULL) finds which arrows cross,
 * as it goes; the second, given them per send event, also gives each of
 * them the row above its start for its label, which an arrow crossed only
 * later could not get in one pass.
 */
static void
draw_seq_layout_pass(struct draw_seq_layout *l, const struct trace *t,
                     uint32_t routers, uint32_t conn, const uint8_t *crossing)
{
    size_t rcap = 0, acap = 0, ncon = 0;
    struct draw_seq_isn *isn = NULL;
    uint64_t last_t = 0;
    bool have_last = false;

    memset(l, 0, sizeof *l);
    l->routers = routers;
    l->nev = t->len;
    l->ev_row = xcalloc(t->len, sizeof *l->ev_row);
    l->ev_arrow = xcalloc(t->len, sizeof *l->ev_arrow);
    l->unit_us = draw_seq_unit(t);
    l->fold_us = l->unit_us * 8 > 500000 ? l->unit_us * 8 : 500000;
    for (size_t i = 0; i < t->len; i++)
        if (trace_at(t, i)->conn >= ncon)
            ncon = trace_at(t, i)->conn + 1;
    isn = xcalloc(ncon, sizeof *isn);

    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        unsigned need = 0;
        int min_row = 0;
        uint32_t ai = DRAW_NONE;
        struct draw_seq_row *last = l->nrows ? &l->rows[l->nrows - 1] : NULL;
        bool cross = false, share;

        l->ev_row[i] = -1;
        l->ev_arrow[i] = DRAW_NONE;
        if ((conn && e->conn != conn) || !draw_seq_needs(e, &need))
            continue;
        if (e->kind == TRACE_ARRIVE || e->kind == TRACE_DROP) {
            ai = draw_seq_find_arrow(l, e->seg.id);
            if (ai != DRAW_NONE)
                min_row = draw_seq_span_end(l, l->arrows[ai].y0, SEQ_MIN_SPAN);
        }
        if (e->kind == TRACE_SEND)
            cross = crossing ? crossing[i] != 0
                             : draw_seq_crossing(l, t, e, (int)l->nrows - 1);
        share = last && last->kind == SEQ_ROW_EVENT && last->t_us == e->t_us &&
                !(last->used & need) && (int)l->nrows - 1 >= min_row;
        if (share && crossing && cross &&
            draw_seq_no_label_room(l, (int)l->nrows - 2, e->seg.from)) {
            /* Its label needs the row above: a label row, then its own. */
            draw_seq_push_row(l, &rcap, SEQ_ROW_LABEL, e->t_us, (uint32_t)i);
            last = draw_seq_push_row(l, &rcap, SEQ_ROW_EVENT, e->t_us,
                                     (uint32_t)i);
        } else if (!share) {
            if (have_last && e->t_us - last_t >= l->fold_us) {
                struct draw_seq_row *b = draw_seq_push_row(
                    l, &rcap, SEQ_ROW_BREAK, e->t_us, (uint32_t)i);
                b->gap_us = e->t_us - last_t;
            } else if (have_last && e->t_us - last_t >= 2 * l->unit_us) {
                draw_seq_push_row(l, &rcap, SEQ_ROW_SPACE, e->t_us,
                                  (uint32_t)i);
            }
            while ((int)l->nrows < min_row)
                draw_seq_push_row(l, &rcap, SEQ_ROW_SPACE, e->t_us,
                                  (uint32_t)i);
            if (crossing && cross &&
                draw_seq_no_label_room(l, (int)l->nrows - 1, e->seg.from))
                draw_seq_push_row(l, &rcap, SEQ_ROW_LABEL, e->t_us,
                                  (uint32_t)i);
            last = draw_seq_push_row(l, &rcap, SEQ_ROW_EVENT, e->t_us,
                                     (uint32_t)i);
            last->show_time = !have_last || last_t != e->t_us;
        }
        last->used |= (uint8_t)need;
        last_t = e->t_us;
        have_last = true;
        l->ev_row[i] = (int)l->nrows - 1;

        if (e->kind == TRACE_SEND) {
            draw_seq_add_arrow(l, &acap, e, (uint32_t)i, l->ev_row[i],
                               e->conn < ncon ? &isn[e->conn] : NULL);
            l->arrows[l->narrows - 1].crosses = cross;
            l->ev_arrow[i] = (uint32_t)(l->narrows - 1);
        } else if (ai != DRAW_NONE) {
            struct draw_seq_arrow *a = &l->arrows[ai];
            a->end_ev = (uint32_t)i;
            a->y1 = l->ev_row[i];
            l->ev_arrow[i] = ai;
            if (e->kind == TRACE_DROP) {
                a->dropped = true;
                a->cut = e->seg.hops && routers
                             ? draw_seq_frac(e->seg.hops, routers + 1)
                             : 500;
                if (a->cut == 0)
                    a->cut = 500;
            } else if (e->side <= SIDE_SERVER) {
                a->to = e->side;
                a->fb = e->side == SIDE_CLIENT ? 0 : 1000;
            }
        }
    }
    free(isn);
}

void
draw_seq_layout_build(struct draw_seq_layout *l, const struct trace *t,
                      uint32_t routers, uint32_t conn)
{
    uint8_t *crossing = NULL;

    draw_seq_layout_pass(l, t, routers, conn, NULL);
    for (size_t i = 0; i < l->narrows; i++)
        if (l->arrows[i].crosses) {
            if (!crossing)
                crossing = xcalloc(t->len, 1);
            crossing[l->arrows[i].send_ev] = 1;
        }
    if (crossing) {
        draw_seq_layout_free(l);
        draw_seq_layout_pass(l, t, routers, conn, crossing);
        free(crossing);
    }
}

void
draw_seq_layout_free(struct draw_seq_layout *l)
{
    free(l->rows);
    free(l->arrows);
    free(l->ev_row);
    free(l->ev_arrow);
    memset(l, 0, sizeof *l);
}

int
draw_seq_row_at(const struct draw_seq_layout *l, uint32_t ev)
{
    if (ev == DRAW_NONE)
        return -1;
    if (ev >= l->nev)
        ev = (uint32_t)l->nev - 1;
    for (size_t i = (size_t)ev + 1; i-- > 0;)
        if (l->ev_row[i] >= 0)
            return l->ev_row[i];
    return -1;
}
