/* The sequence diagram; see draw_seq.h. */
#include "ui/draw_seq.h"
#include "ui/draw_seq_priv.h"

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
    k->arrow = DRAW_NONE;
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

int
draw_seq_text(const struct seq_ctx *s, int x, int row, int maxw, const char *t,
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

/*
 * How many arrows' lines take the cell, or will before their packets land?
 * (x, y) is a canvas cell.
 */
int
draw_seq_owned(const struct seq_ctx *s, int x, int y)
{
    if (!s->owned || x < s->x || x >= s->x + s->w || y < s->y ||
        y >= s->y + s->h)
        return 0;
    return s->owned[(size_t)(y - s->y) * (size_t)s->w + (size_t)(x - s->x)];
}

/*
 * Is the text span free: only blanks on the canvas, and no cell on the
 * line of an arrow, drawn or still to come (a packet in flight)?
 */
bool
draw_seq_span_free(const struct seq_ctx *s, int x, int row, int w)
{
    int y = s->y + row - s->top;
    if (y < s->y || y >= s->y + s->h || x < s->xc + 2 || x + w > s->xs - 1)
        return false;
    for (int i = -1; i <= w; i++) {
        const struct canvas_cell *cell = canvas_cell_const(s->c, x + i, y);
        if (draw_seq_owned(s, x + i, y))
            return false;
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
int
draw_seq_col(const struct seq_ctx *s, int f)
{
    int xl = s->xc + 1, xr = s->xs - 1;
    return xl + (xr - xl) * f / 1000;
}

/* Is row y a label row, which lines cross straight down? */
static bool
seq_row_still(const struct draw_seq_layout *l, int y)
{
    return y >= 0 && y < (int)l->nrows && l->rows[y].kind == SEQ_ROW_LABEL;
}

/* The row of the path's j-th moving row. */
int
draw_seq_path_y(const struct seq_path *p, int j)
{
    for (int y = p->ya;; y++)
        if (!seq_row_still(p->l, y) && j-- == 0)
            return y;
}

static void
seq_path_init(struct seq_path *p, const struct draw_seq_layout *l, int xa,
              int ya, int xb, int k)
{
    p->l = l;
    p->xa = xa;
    p->ya = ya;
    p->xb = xb;
    p->n = abs(xb - xa);
    p->k = k < 1 ? 1 : k;
    p->dir = xb >= xa ? 1 : -1;
    p->yb = draw_seq_path_y(p, p->k - 1);
}

int
draw_seq_path_run(const struct seq_path *p, int j)
{
    return (j * p->n + p->k / 2) / p->k;
}

/* The row of the lowest row that reaches cell i. */
int
draw_seq_path_row(const struct seq_path *p, int i)
{
    int j = p->k - 1;
    while (j > 0 && draw_seq_path_run(p, j) > i)
        j--;
    return draw_seq_path_y(p, j);
}

/*
 * Visit cells 0..lim of the path, row by row: put(s, x, y, ch, ...) with
 * the character each cell is drawn with.
 */
typedef void seq_cell_fn(const struct seq_ctx *s, int x, int row, uint32_t ch,
                         int role, int attr);

static void
seq_path_walk(const struct seq_ctx *s, const struct seq_path *p, int lim,
              int role, int attr, seq_cell_fn *put)
{
    int j = 0;
    for (int y = p->ya; y <= p->yb; y++) {
        int a = draw_seq_path_run(p, j);
        int b = j < p->k - 1 ? draw_seq_path_run(p, j + 1) : p->n;
        if (seq_row_still(p->l, y)) {
            if (a <= lim)
                put(s, p->xa + p->dir * a, y, 0x2502, role, attr);
            continue;
        }
        for (int i = a; i <= b && i <= lim; i++) {
            uint32_t ch = 0x2500;
            bool enter = i == a && j > 0, leave = i == b && j < p->k - 1;
            if (enter && leave)
                ch = 0x2502;
            else if (enter)
                ch = p->dir > 0 ? 0x2570 : 0x256F;
            else if (leave)
                ch = p->dir > 0 ? 0x256E : 0x256D;
            put(s, p->xa + p->dir * i, y, ch, role, attr);
        }
        j++;
    }
}

/* How far the packet has gone, 0..1000, at v's moment. */
static int
seq_progress(const struct seq_ctx *s, const struct draw_seq_arrow *a)
{
    const struct trace_event *e = trace_at(s->v->trace, a->send_ev);
    uint64_t now = s->v->now_us;
    if (e->seg.due_us <= e->t_us || now >= e->seg.due_us)
        return 1000;
    if (now <= e->t_us)
        return 0;
    return (int)((now - e->t_us) * 1000 / (e->seg.due_us - e->t_us));
}

bool
draw_seq_arrow_done(const struct seq_ctx *s, const struct draw_seq_arrow *a)
{
    return a->end_ev != DRAW_NONE && a->end_ev <= s->v->ev;
}

/* The full path of an arrow (for a drop: where it would have gone). */
void
draw_seq_arrow_path(const struct seq_ctx *s, const struct draw_seq_arrow *a,
                    struct seq_path *p)
{
    int k = SEQ_MIN_SPAN + 1;
    if (a->end_ev != DRAW_NONE) {
        k = 0;
        for (int y = a->y0; y <= a->y1; y++)
            k += !seq_row_still(s->l, y);
    }
    if (a->dropped && a->cut > 0)
        k = 1 + (k - 1) * 1000 / a->cut;
    seq_path_init(p, s->l, draw_seq_col(s, a->fa), a->y0,
                  draw_seq_col(s, a->fb), k);
}

/*
 * Mark the cells of every arrow sent by v's moment, the whole line to its
 * head or its cross even while the packet is still in flight: no label may
 * take them, so a label does not move as its neighbours' packets fly on.
 */
static void
seq_own_cell(const struct seq_ctx *s, int x, int row, uint32_t ch, int role,
             int attr)
{
    int y = s->y + row - s->top;
    (void)ch, (void)role, (void)attr;
    uint8_t *o;
    if (x < s->x || x >= s->x + s->w || y < s->y || y >= s->y + s->h)
        return;
    o = &s->owned[(size_t)(y - s->y) * (size_t)s->w + (size_t)(x - s->x)];
    if (*o < 255)
        (*o)++;
}

static void
seq_own_lines(struct seq_ctx *s)
{
    s->owned = xcalloc((size_t)s->w * (size_t)s->h, 1);
    for (size_t ai = 0; ai < s->l->narrows; ai++) {
        const struct draw_seq_arrow *a = &s->l->arrows[ai];
        struct seq_path p;

        if (a->send_ev > s->v->ev)
            continue;
        draw_seq_arrow_path(s, a, &p);
        if (p.yb < s->top || p.ya >= s->top + s->h)
            continue;
        seq_path_walk(s, &p, a->dropped ? p.n * a->cut / 1000 : p.n, 0, 0,
                      seq_own_cell);
    }
}

static void
seq_draw_arrow(const struct seq_ctx *s, uint32_t ai, struct draw_seq_hits *hits)
{
    const struct draw_seq_arrow *a = &s->l->arrows[ai];
    const struct trace_event *e = trace_at(s->v->trace, a->send_ev);
    struct seq_path p;
    bool done = draw_seq_arrow_done(s, a);
    int role = draw_seg_role(&e->seg), attr = 0, lim, cut;

    draw_seq_arrow_path(s, a, &p);
    cut = a->dropped ? p.n * a->cut / 1000 : p.n;
    lim = done ? cut : cut * seq_progress(s, a) / 1000;
    if (e->seg.tags & (SEG_RETX | SEG_DUP))
        attr |= CANVAS_BOLD;
    if (a->from <= SIDE_SERVER)
        seq_put(s, a->from == SIDE_CLIENT ? s->xc : s->xs, a->y0,
                a->from == SIDE_CLIENT ? 0x251C : 0x2524,
                a->from == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER, 0);
    seq_path_walk(s, &p, lim, role, attr, seq_put);

    int hx = p.xa + p.dir * lim, hy = draw_seq_path_row(&p, lim);
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

/* The short text an event writes beside its lifeline. */
static const char *
seq_margin_text(const struct draw_view *v, uint32_t i, char *buf, size_t size,
                int *role, int *attr)
{
    const struct trace_event *e = trace_at(v->trace, i);
    const char *lang = v->lang;
    static const char *const timers[2][TIMER__COUNT] = {
        {
            [TIMER_RTX] = "RTO fires",
            [TIMER_TIME_WAIT] = "2MSL over",
            [TIMER_FIN_WAIT_2] = "FIN-WAIT-2 ends",
            [TIMER_DELACK] = "delayed ACK",
            [TIMER_KEEPALIVE] = "keepalive",
            [TIMER_LOSS_PROBE] = "tail-loss probe",
        },
        {
            [TIMER_RTX] = "RTO 到期",
            [TIMER_TIME_WAIT] = "2MSL 结束",
            [TIMER_FIN_WAIT_2] = "FIN-WAIT-2 超时",
            [TIMER_DELACK] = "延迟确认",
            [TIMER_KEEPALIVE] = "保活",
            [TIMER_LOSS_PROBE] = "尾部丢失探测",
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
        else if (e->a == CALL_SET && e->why) /* "set syn_retries" */
            snprintf(buf, size, "set %s",
                     strncmp(e->why, "tcp.", 4) ? e->why : e->why + 4);
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
            draw_seq_text(s, s->x + SEQ_TIME_W - canvas_str_width(buf), r,
                          SEQ_TIME_W, buf, ROLE_DIM, 0);
        } else if (row->kind == SEQ_ROW_EVENT &&
                   (row->show_time || r == s->top || r == cursor)) {
            draw_time(row->t_us, buf, sizeof buf);
            draw_seq_text(s, s->x + SEQ_TIME_W - 1 - (int)strlen(buf), r,
                          SEQ_TIME_W, buf, r == cursor ? ROLE_CURSOR : ROLE_DIM,
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
        const struct trace_event *e = trace_at(t, i);
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
            draw_seq_text(s, s->xc - 1 - w, row, w, txt, role, attr);
        } else {
            room = s->x + s->w - (s->xs + 2);
            draw_seq_text(s, s->xs + 2, row, room, txt, role, attr);
        }
    }
}

/* Rows, arrows, margins and labels, once s's geometry is set. */
static void
seq_draw_body(struct seq_ctx *s, int cur_row, struct draw_seq_hits *hits)
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
    seq_own_lines(s);
    seq_draw_margins(s);
    for (size_t i = 0; i < l->narrows; i++) {
        const struct draw_seq_arrow *a = &l->arrows[i];
        if (a->send_ev > v->ev || i == cur_arrow)
            continue;
        draw_seq_label(s, (uint32_t)i, false);
        if (a->dropped && draw_seq_arrow_done(s, a))
            draw_seq_drop_cause(s, (uint32_t)i);
    }
    /* The current packet last, so nothing covers it. */
    if (cur_arrow != DRAW_NONE) {
        draw_seq_label(s, cur_arrow, true);
        if (l->arrows[cur_arrow].dropped &&
            draw_seq_arrow_done(s, &l->arrows[cur_arrow]))
            draw_seq_drop_cause(s, cur_arrow);
    }
    free(s->owned);
    s->owned = NULL;
}

void
draw_seq_draw(struct canvas *c, int x, int y, int w, int h,
              const struct draw_seq_layout *l, const struct draw_view *v,
              struct draw_seq_hits *hits)
{
    draw_seq_draw_marked(c, x, y, w, h, l, v, hits, NULL);
}

void
draw_seq_draw_marked(struct canvas *c, int x, int y, int w, int h,
                     const struct draw_seq_layout *l, const struct draw_view *v,
                     struct draw_seq_hits *hits, struct draw_seq_marks *marks)
{
    struct seq_ctx s = {c, x, y, w, h, 0, 0, 0, l, v};
    int cur_row = draw_seq_row_at(l, v->ev);

    s.marks = marks;
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
