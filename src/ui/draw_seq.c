/* The sequence diagram; see draw_seq.h. */
#include "ui/draw_seq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "ui/narrate.h"

/* Width of the time column. */
#define SEQ_TIME_W 8

void
draw_seq_lifelines(int w, int *xc, int *xs)
{
    int m = (w - SEQ_TIME_W) / 5;
    if (m < 10)
        m = 10;
    if (m > 20)
        m = 20;
    *xc = SEQ_TIME_W + 1 + m;
    *xs = w - 1 - m;
}

/* The diagram's rectangle, its geometry and where it is scrolled to. */
struct seq_ctx {
    struct canvas *c;
    int x, y, w, h;
    int xc, xs; /* lifelines, absolute columns */
    int top;    /* first row shown */
    const struct draw_seq_layout *l;
    const struct draw_view *v;
    bool run;                     /* the whole run: no cursor, no scroll */
    struct draw_seq_marks *marks; /* NULL, or where things are recorded */
};

/* A new mark at the end of s->marks. */
static struct draw_seq_mark *
seq_mark(const struct seq_ctx *s, int kind, int role, int attr)
{
    struct draw_seq_marks *m = s->marks;
    struct draw_seq_mark *k;

    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->m = xreallocarray(m->m, m->cap, sizeof *m->m);
    }
    k = &m->m[m->n++];
    memset(k, 0, sizeof *k);
    k->kind = (uint8_t)kind;
    k->role = (uint8_t)role;
    k->attr = (uint8_t)attr;
    return k;
}

void
draw_seq_marks_free(struct draw_seq_marks *m)
{
    free(m->m);
    memset(m, 0, sizeof *m);
}

/* Put a character if (x, row) is inside the diagram. */
static void
seq_put(const struct seq_ctx *s, int x, int row, uint32_t ch, int role,
        int attr)
{
    int y = s->y + row - s->top;
    if (x < s->x || x >= s->x + s->w || y < s->y || y >= s->y + s->h)
        return;
    canvas_put(s->c, x, y, ch, role, attr);
}

static int
seq_text(const struct seq_ctx *s, int x, int row, int maxw, const char *t,
         int role, int attr)
{
    int y = s->y + row - s->top, n;
    if (y < s->y || y >= s->y + s->h)
        return 0;
    if (x < s->x) {
        maxw -= s->x - x;
        x = s->x;
    }
    if (x + maxw > s->x + s->w)
        maxw = s->x + s->w - x;
    n = maxw > 0 ? canvas_text(s->c, x, y, maxw, t, role, attr) : 0;
    if (n > 0 && s->marks) {
        struct draw_seq_mark *m = seq_mark(s, SEQ_MARK_TEXT, role, attr);
        m->x = x;
        m->y = y;
        m->w = n;
    }
    return n;
}

/* Is the text span free (only blanks) on the canvas? */
static bool
seq_free(const struct seq_ctx *s, int x, int row, int w)
{
    int y = s->y + row - s->top;
    if (y < s->y || y >= s->y + s->h || x < s->xc + 2 || x + w > s->xs - 1)
        return false;
    for (int i = -1; i <= w; i++) {
        const struct canvas_cell *cell = canvas_cell_const(s->c, x + i, y);
        if (cell && cell->ch != ' ' && i >= 0 && i < w)
            return false;
        /* Keep one blank column between a label and a line. */
        if (cell && cell->ch != ' ' && (i == -1 || i == w) &&
            cell->role != ROLE_CLIENT && cell->role != ROLE_SERVER &&
            cell->role != ROLE_DIM)
            return false;
    }
    return true;
}

/* The column at fraction f (0..1000) of the way from client to server. */
static int
seq_col(const struct seq_ctx *s, int f)
{
    int xl = s->xc + 1, xr = s->xs - 1;
    return xl + (xr - xl) * f / 1000;
}

/*
 * A staircase line from (xa, ya) to (xb, yb): row j of the k rows covers
 * the cells from run[j] to run[j + 1] (they share the corner cell).
 */
struct seq_path {
    int xa, ya, xb, yb;
    int n, k, dir;
};

static void
seq_path_init(struct seq_path *p, int xa, int ya, int xb, int yb)
{
    p->xa = xa;
    p->ya = ya;
    p->xb = xb;
    p->yb = yb < ya ? ya : yb;
    p->n = abs(xb - xa);
    p->k = p->yb - p->ya + 1;
    p->dir = xb >= xa ? 1 : -1;
}

static int
seq_path_run(const struct seq_path *p, int j)
{
    return (j * p->n + p->k / 2) / p->k;
}

/* The row of the lowest row that reaches cell i. */
static int
seq_path_row(const struct seq_path *p, int i)
{
    int j = p->k - 1;
    while (j > 0 && seq_path_run(p, j) > i)
        j--;
    return p->ya + j;
}

/* Draw cells 0..lim of the path. */
static void
seq_path_draw(const struct seq_ctx *s, const struct seq_path *p, int lim,
              int role, int attr)
{
    for (int j = 0; j < p->k; j++) {
        int a = seq_path_run(p, j);
        int b = j < p->k - 1 ? seq_path_run(p, j + 1) : p->n;
        for (int i = a; i <= b && i <= lim; i++) {
            uint32_t ch = 0x2500;
            bool enter = i == a && j > 0, leave = i == b && j < p->k - 1;
            if (enter && leave)
                ch = 0x2502;
            else if (enter)
                ch = p->dir > 0 ? 0x2570 : 0x256F;
            else if (leave)
                ch = p->dir > 0 ? 0x256E : 0x256D;
            seq_put(s, p->xa + p->dir * i, p->ya + j, ch, role, attr);
        }
    }
}

/* How far the packet has gone, 0..1000, at v's moment. */
static int
seq_progress(const struct seq_ctx *s, const struct draw_seq_arrow *a)
{
    const struct trace_event *e = &s->v->trace->ev[a->send_ev];
    uint64_t now = s->v->now_us;
    if (e->seg.due_us <= e->t_us || now >= e->seg.due_us)
        return 1000;
    if (now <= e->t_us)
        return 0;
    return (int)((now - e->t_us) * 1000 / (e->seg.due_us - e->t_us));
}

static bool
seq_arrow_done(const struct seq_ctx *s, const struct draw_seq_arrow *a)
{
    return a->end_ev != DRAW_NONE && a->end_ev <= s->v->ev;
}

/* The full path of an arrow (for a drop: where it would have gone). */
static void
seq_arrow_path(const struct seq_ctx *s, const struct draw_seq_arrow *a,
               struct seq_path *p)
{
    int y1 = a->end_ev != DRAW_NONE ? a->y1 : a->y0 + SEQ_MIN_SPAN;
    if (a->dropped && a->cut > 0)
        y1 = a->y0 + (y1 - a->y0) * 1000 / a->cut;
    seq_path_init(p, seq_col(s, a->fa), a->y0, seq_col(s, a->fb), y1);
}

static void
seq_draw_arrow(const struct seq_ctx *s, uint32_t ai, struct draw_seq_hits *hits)
{
    const struct draw_seq_arrow *a = &s->l->arrows[ai];
    const struct trace_event *e = &s->v->trace->ev[a->send_ev];
    struct seq_path p;
    bool done = seq_arrow_done(s, a);
    int role = draw_seg_role(&e->seg), attr = 0, lim, cut;

    seq_arrow_path(s, a, &p);
    cut = a->dropped ? p.n * a->cut / 1000 : p.n;
    lim = done ? cut : cut * seq_progress(s, a) / 1000;
    if (e->seg.tags & (SEG_RETX | SEG_DUP))
        attr |= CANVAS_BOLD;
    if (a->from <= SIDE_SERVER)
        seq_put(s, a->from == SIDE_CLIENT ? s->xc : s->xs, a->y0,
                a->from == SIDE_CLIENT ? 0x251C : 0x2524,
                a->from == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER, 0);
    seq_path_draw(s, &p, lim, role, attr);

    int hx = p.xa + p.dir * lim, hy = seq_path_row(&p, lim);
    if (s->marks) {
        struct draw_seq_mark *m = seq_mark(s, SEQ_MARK_ARROW, role, attr);
        m->xa = p.xa;
        m->ya = s->y + p.ya - s->top;
        m->xb = p.xb;
        m->yb = s->y + p.yb - s->top;
        m->x = hx;
        m->y = s->y + hy - s->top;
        m->head = !done        ? SEQ_HEAD_FLYING
                  : a->dropped ? SEQ_HEAD_DROPPED
                               : SEQ_HEAD_ARRIVED;
        m->arrow = ai;
    }
    if (done && a->dropped) {
        seq_put(s, hx, hy, 0x2717, ROLE_DROP, CANVAS_BOLD);
    } else if (done) {
        seq_put(s, hx, hy, p.dir > 0 ? 0x25B6 : 0x25C0, role, attr);
    } else {
        bool sel = s->v->selected && s->v->selected == a->seg_id;
        seq_put(s, hx, hy, 0x25CF, sel ? ROLE_CURSOR : role,
                sel ? CANVAS_BOLD | CANVAS_REVERSE : CANVAS_BOLD);
        if (hits && hits->n < sizeof hits->hit / sizeof hits->hit[0])
            hits->hit[hits->n++] =
                (struct draw_seq_hit){a->seg_id, hx, s->y + hy - s->top};
    }
}

/* Try to put a label of width lw beside row j of the path. */
static bool
seq_label_try(const struct seq_ctx *s, const struct seq_path *p, int j, int lw,
              int *lx)
{
    int a = seq_path_run(p, j),
        b = j < p->k - 1 ? seq_path_run(p, j + 1) : p->n;
    int row = p->ya + j, x;

    if (p->dir > 0)
        x = p->xa + b + 2;
    else
        x = p->xa - b - 1 - lw;
    (void)a;
    if (seq_free(s, x, row, lw)) {
        *lx = x;
        return true;
    }
    return false;
}

static void
seq_draw_label(const struct seq_ctx *s, uint32_t ai, bool current)
{
    const struct draw_seq_arrow *a = &s->l->arrows[ai];
    const struct trace_event *e = &s->v->trace->ev[a->send_ev];
    struct seq_path p;
    char text[96], extra[48] = "";
    int lw, ew, lx = 0, row = -1, role = draw_seg_role(&e->seg);
    int attr = current ? CANVAS_BOLD | CANVAS_REVERSE : 0;
    bool zh = narrate_is_zh(s->v->lang);

    seq_arrow_path(s, a, &p);
    draw_seg_label(&e->seg, s->v->absolute, a->has_seq, a->base_seq, a->has_ack,
                   a->base_ack, text, sizeof text);
    if (e->seg.tags & SEG_RETX)
        snprintf(extra, sizeof extra,
                 zh ? " \u21bb 第 %u 次重传" : " \u21bb retransmit %u",
                 e->seg.retx ? e->seg.retx : 1);
    else if (e->seg.tags & SEG_DUP)
        snprintf(extra, sizeof extra,
                 zh ? " \u21bb 副本" : " \u21bb duplicate");
    else if (e->seg.tags & SEG_KEEPALIVE)
        snprintf(extra, sizeof extra, zh ? " 保活" : " keepalive");
    lw = canvas_str_width(text);
    ew = canvas_str_width(extra);

    for (int j = 0; j < p.k && j < 3; j++)
        if (seq_label_try(s, &p, j, lw + ew, &lx)) {
            row = p.ya + j;
            break;
        }
    if (row < 0 && ew && (e->seg.tags & (SEG_RETX | SEG_DUP))) {
        /* The short form still says it is a copy. */
        snprintf(extra, sizeof extra, " \u21bb%s",
                 (e->seg.tags & SEG_RETX) ? (zh ? "重传" : "retx")
                 : zh                     ? "副本"
                                          : "dup");
        ew = canvas_str_width(extra);
        for (int j = 0; j < p.k && j < 3 && row < 0; j++)
            if (seq_label_try(s, &p, j, lw + ew, &lx))
                row = p.ya + j;
    }
    if (row < 0 && ew && seq_label_try(s, &p, 0, lw, &lx)) {
        row = p.ya;
        ew = 0;
    }
    if (row < 0) {
        /* Crowded: write it over whatever is there, on the first row. */
        row = p.ya;
        lx = p.dir > 0 ? seq_col(s, 500) - lw / 2 : seq_col(s, 500) - lw / 2;
    }
    lx += seq_text(s, lx, row, lw, text, role, attr);
    if (ew)
        seq_text(s, lx, row, ew, extra, ROLE_RETX, CANVAS_BOLD | attr);
}

/* The cause of a drop, beside its cross. */
static void
seq_draw_drop_cause(const struct seq_ctx *s, uint32_t ai)
{
    const struct draw_seq_arrow *a = &s->l->arrows[ai];
    const struct trace_event *d = &s->v->trace->ev[a->end_ev];
    struct seq_path p;
    char text[300], rule[160];
    const char *why = narrate_why(s->v, d->why, rule, sizeof rule);
    bool zh = narrate_is_zh(s->v->lang);
    int cut, hx, hy, w, room, lw, lx;

    seq_arrow_path(s, a, &p);
    cut = p.n * a->cut / 1000;
    hx = p.xa + p.dir * cut;
    hy = seq_path_row(&p, cut);
    snprintf(text, sizeof text, zh ? "丢失：%s" : "lost: %s",
             why  ? why
             : zh ? "被丢弃"
                  : "dropped");
    canvas_utf8_trim(text);
    w = canvas_str_width(text);
    room = p.dir > 0 ? s->xs - 2 - (hx + 2) : hx - 2 - (s->xc + 2);
    if (w <= room) {
        seq_text(s, p.dir > 0 ? hx + 2 : hx - 1 - w, hy, w, text, ROLE_DROP, 0);
        return;
    }
    /* No room beside the cross: under it, centred, if that row is free. */
    lw = s->xs - s->xc - 4;
    if (w < lw)
        lw = w;
    lx = hx - lw / 2;
    if (lx < s->xc + 2)
        lx = s->xc + 2;
    if (lx + lw > s->xs - 1)
        lx = s->xs - 1 - lw;
    if (seq_free(s, lx, hy + 1, lw)) {
        seq_text(s, lx, hy + 1, lw, text, ROLE_DROP, 0);
        return;
    }
    if (room > 0)
        seq_text(s, p.dir > 0 ? hx + 2 : hx - 1 - room, hy, room, text,
                 ROLE_DROP, 0);
}

/* The short text an event writes beside its lifeline. */
static const char *
seq_margin_text(const struct draw_view *v, uint32_t i, char *buf, size_t size,
                int *role, int *attr)
{
    const struct trace_event *e = &v->trace->ev[i];
    const char *lang = v->lang;
    static const char *const timers[2][TIMER__COUNT] = {
        {
            [TIMER_RTX] = "RTO fires",
            [TIMER_TIME_WAIT] = "2MSL over",
            [TIMER_FIN_WAIT_2] = "FIN-WAIT-2 ends",
            [TIMER_DELACK] = "delayed ACK",
            [TIMER_KEEPALIVE] = "keepalive",
        },
        {
            [TIMER_RTX] = "RTO 到期",
            [TIMER_TIME_WAIT] = "2MSL 结束",
            [TIMER_FIN_WAIT_2] = "FIN-WAIT-2 超时",
            [TIMER_DELACK] = "延迟确认",
            [TIMER_KEEPALIVE] = "保活",
        },
    };
    int zh = narrate_is_zh(lang) ? 1 : 0;
    *role = ROLE_TEXT;
    *attr = 0;
    switch ((enum trace_kind)e->kind) {
    case TRACE_STATE:
        *role = draw_state_role(e->b);
        *attr = CANVAS_BOLD;
        return tcp_state_name((enum tcp_state)e->b);
    case TRACE_CALL:
        if (e->a == CALL_SEND)
            snprintf(buf, size, "send(%lld)", (long long)e->n);
        else
            snprintf(buf, size, "%s()", sock_call_name((enum sock_call)e->a));
        return buf;
    case TRACE_TIMER_FIRE:
        *role = ROLE_TIMER;
        /* Linux's TIME-WAIT has a length of its own, not 2MSL. */
        if (e->a == TIMER_TIME_WAIT && !narrate_time_wait_is_2msl(v, i))
            return zh ? "TIME-WAIT 结束" : "TIME-WAIT over";
        return (unsigned)e->a < TIMER__COUNT ? timers[zh][e->a]
               : zh                          ? "定时器"
                                             : "timer";
    case TRACE_APP: *role = ROLE_DIM; return narrate_app_short(e->a, lang);
    case TRACE_DISCARD:
        /* Say what the side did with it, not the RFC's "unacceptable". */
        switch (narrate_discard_reply(v->trace, i)) {
        case REPLY_ACK_RESTART: return zh ? "再次确认" : "re-ACKed";
        case REPLY_ACK: return zh ? "以 ACK 回应" : "ACK in reply";
        case REPLY_NONE: break;
        }
        *role = ROLE_DROP;
        return zh ? "丢弃" : "discarded";
    default: break;
    }
    return NULL;
}

static void
seq_draw_rows(const struct seq_ctx *s, int cur_row)
{
    const struct draw_seq_layout *l = s->l;
    char buf[32], dur[24];
    int cursor = s->run ? -1 : cur_row; /* a whole run shows no cursor */

    for (int r = s->top; r < s->top + s->h; r++) {
        const struct draw_seq_row *row = r < (int)l->nrows ? &l->rows[r] : NULL;
        bool past = r <= cur_row;
        uint32_t lc = past ? 0x2502 : 0x2506, ls = lc;
        if (past && row && row->kind == SEQ_ROW_BREAK)
            lc = ls = 0x22EE;
        seq_put(s, s->xc, r, lc, past ? ROLE_CLIENT : ROLE_DIM, 0);
        seq_put(s, s->xs, r, ls, past ? ROLE_SERVER : ROLE_DIM, 0);
        if (!past || !row)
            continue;
        if (row->kind == SEQ_ROW_BREAK) {
            snprintf(buf, sizeof buf, "\u22ee %s",
                     draw_duration(row->gap_us, dur, sizeof dur));
            seq_text(s, s->x + SEQ_TIME_W - canvas_str_width(buf), r,
                     SEQ_TIME_W, buf, ROLE_DIM, 0);
        } else if (row->kind == SEQ_ROW_EVENT &&
                   (row->show_time || r == s->top || r == cursor)) {
            draw_time(row->t_us, buf, sizeof buf);
            seq_text(s, s->x + SEQ_TIME_W - 1 - (int)strlen(buf), r, SEQ_TIME_W,
                     buf, r == cursor ? ROLE_CURSOR : ROLE_DIM,
                     r == cursor ? CANVAS_BOLD : 0);
        }
        if (r == cursor)
            seq_put(s, s->x + SEQ_TIME_W - 1, r, 0x25C2, ROLE_CURSOR,
                    CANVAS_BOLD);
    }
}

static void
seq_draw_margins(const struct seq_ctx *s)
{
    const struct draw_seq_layout *l = s->l;
    const struct trace *t = s->v->trace;
    char buf[64];
    uint32_t last = s->v->ev;

    for (uint32_t i = 0; i <= last && i < t->len; i++) {
        const struct trace_event *e = &t->ev[i];
        int row = l->ev_row[i], role, attr, w, room;
        const char *txt;
        if (row < s->top || row >= s->top + s->h || e->side > SIDE_SERVER)
            continue;
        txt = seq_margin_text(s->v, i, buf, sizeof buf, &role, &attr);
        if (!txt)
            continue;
        if (i == last && !s->run)
            attr |= CANVAS_REVERSE;
        w = canvas_str_width(txt);
        if (e->side == SIDE_CLIENT) {
            room = s->xc - 2 - (s->x + SEQ_TIME_W);
            if (w > room)
                w = room;
            seq_text(s, s->xc - 1 - w, row, w, txt, role, attr);
        } else {
            room = s->x + s->w - (s->xs + 2);
            seq_text(s, s->xs + 2, row, room, txt, role, attr);
        }
    }
}

/* Rows, arrows, margins and labels, once s's geometry is set. */
static void
seq_draw_body(const struct seq_ctx *s, int cur_row, struct draw_seq_hits *hits)
{
    const struct draw_seq_layout *l = s->l;
    const struct draw_view *v = s->v;
    uint32_t cur_arrow = DRAW_NONE;

    seq_draw_rows(s, cur_row);
    if (v->ev == DRAW_NONE)
        return;
    if (!s->run && v->ev < l->nev)
        cur_arrow = l->ev_arrow[v->ev];

    for (size_t i = 0; i < l->narrows; i++)
        if (l->arrows[i].send_ev <= v->ev)
            seq_draw_arrow(s, (uint32_t)i, hits);
    seq_draw_margins(s);
    for (size_t i = 0; i < l->narrows; i++) {
        const struct draw_seq_arrow *a = &l->arrows[i];
        if (a->send_ev > v->ev || i == cur_arrow)
            continue;
        seq_draw_label(s, (uint32_t)i, false);
        if (a->dropped && seq_arrow_done(s, a))
            seq_draw_drop_cause(s, (uint32_t)i);
    }
    /* The current packet last, so nothing covers it. */
    if (cur_arrow != DRAW_NONE) {
        seq_draw_label(s, cur_arrow, true);
        if (l->arrows[cur_arrow].dropped &&
            seq_arrow_done(s, &l->arrows[cur_arrow]))
            seq_draw_drop_cause(s, cur_arrow);
    }
}

void
draw_seq_draw(struct canvas *c, int x, int y, int w, int h,
              const struct draw_seq_layout *l, const struct draw_view *v,
              struct draw_seq_hits *hits)
{
    struct seq_ctx s = {c, x, y, w, h, 0, 0, 0, l, v};
    int cur_row = draw_seq_row_at(l, v->ev);

    if (hits)
        hits->n = 0;
    if (w < SEQ_TIME_W + 24 || h < 1)
        return;
    draw_seq_lifelines(w, &s.xc, &s.xs);
    s.xc += x;
    s.xs += x;
    /* Keep the current row in view with two rows to spare below it. */
    s.top = cur_row + 3 - h;
    if (s.top < 0)
        s.top = 0;
    seq_draw_body(&s, cur_row, hits);
}

void
draw_seq_draw_run(struct canvas *c, int x, int y, int w,
                  const struct draw_seq_layout *l, const struct draw_view *v,
                  struct draw_seq_marks *marks)
{
    struct seq_ctx s = {c, x, y, w, (int)l->nrows, 0, 0, 0, l, v};

    if (w < SEQ_TIME_W + 24 || l->nrows == 0)
        return;
    s.run = true;
    s.marks = marks;
    draw_seq_lifelines(w, &s.xc, &s.xs);
    s.xc += x;
    s.xs += x;
    seq_draw_body(&s, draw_seq_row_at(l, v->ev), NULL);
}

size_t
draw_seq_in_flight(const struct draw_seq_layout *l, const struct draw_view *v,
                   uint32_t *out, size_t max)
{
    size_t n = 0;
    if (v->ev == DRAW_NONE)
        return 0;
    for (size_t i = 0; i < l->narrows && n < max; i++) {
        const struct draw_seq_arrow *a = &l->arrows[i];
        if (a->send_ev <= v->ev &&
            (a->end_ev == DRAW_NONE || a->end_ev > v->ev))
            out[n++] = a->seg_id;
    }
    return n;
}
