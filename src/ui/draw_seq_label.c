/*
 * Where a packet's label goes, and a drop's cause: beside the packet's own
 * line, never over a line or other text; see draw_seq_priv.h.
 */
#include <stdio.h>

#include "ui/draw_seq_priv.h"
#include "ui/narrate.h"

/* The least of a drop's cause worth showing when it must be cut short. */
#define SEQ_CAUSE_MIN 9

/*
 * Where a label may go. Beside its line means on the row of one of its
 * runs, one blank column away: in front of the run (the side the packet is
 * heading for) or behind it (the side it came from). Above means on the row
 * above the start, against the sender's lifeline: a caption, where the
 * label of an arrow that crosses another goes (seq_layout.h). Every place
 * must be free (draw_seq_span_free): a label covers no line and no other text.
 */
enum seq_spot {
    SPOT_FRONT,
    SPOT_BEHIND,
    SPOT_ABOVE,
};

static bool
seq_label_try(const struct seq_ctx *s, const struct seq_path *p, int spot,
              int j, int lw, int *lx, int *row)
{
    int a = draw_seq_path_run(p, j),
        b = j < p->k - 1 ? draw_seq_path_run(p, j + 1) : p->n;
    int y = draw_seq_path_y(p, j), x;

    switch (spot) {
    case SPOT_FRONT: x = p->dir > 0 ? p->xa + b + 2 : p->xa - b - 1 - lw; break;
    case SPOT_BEHIND:
        x = p->dir > 0 ? p->xa + a - 1 - lw : p->xa - a + 2;
        break;
    default:
        y = p->ya - 1;
        x = p->dir > 0 ? s->xc + 2 : s->xs - 1 - lw;
        break;
    }
    if (!draw_seq_span_free(s, x, y, lw))
        return false;
    *lx = x;
    *row = y;
    return true;
}

/*
 * The last resort of a crowded row, where labels always went when nothing
 * else was free: centred in the lane on the first row, across the arrow's
 * own first run (tw: the width of the text, lw: with its mark). Only if it
 * covers nothing but that run and blanks.
 */
static bool
seq_label_inline(const struct seq_ctx *s, const struct seq_path *p, int tw,
                 int lw, int *lx, int *row)
{
    int x = draw_seq_col(s, 500) - tw / 2, y = s->y + p->ya - s->top;
    int b = p->k > 1 ? draw_seq_path_run(p, 1) : p->n;

    *lx = x;
    *row = p->ya;
    /* Scrolled out of view, the label is there and out of sight too. */
    if (y < s->y || y >= s->y + s->h)
        return true;
    if (x < s->xc + 2 || x + lw > s->xs - 1)
        return false;
    for (int c = x - 1; c <= x + lw; c++) {
        const struct canvas_cell *cell = canvas_cell_const(s->c, c, y);
        int i = (c - p->xa) * p->dir;
        bool own = i >= 0 && i <= b; /* a cell of its own first run */
        if (draw_seq_owned(s, c, y) > (own ? 1 : 0))
            return false;
        if (!own && cell && cell->ch != ' ' && c >= x && c < x + lw)
            return false;
    }
    return true;
}

/* Which places seq_label_spot tries, in this order. */
enum {
    SPOTS_ABOVE = 1, /* above the start: first for a crossing arrow */
    SPOTS_NEAR = 2,  /* in front of the first three runs */
    SPOTS_FAR = 4,   /* behind a run, in front of a later one, above */
};

static bool
seq_label_spot(const struct seq_ctx *s, const struct seq_path *p, int lw,
               int spots, int *lx, int *row)
{
    if ((spots & SPOTS_ABOVE) &&
        seq_label_try(s, p, SPOT_ABOVE, 0, lw, lx, row))
        return true;
    for (int j = 0; (spots & SPOTS_NEAR) && j < p->k && j < 3; j++)
        if (seq_label_try(s, p, SPOT_FRONT, j, lw, lx, row))
            return true;
    if (!(spots & SPOTS_FAR))
        return false;
    for (int j = 1; j < p->k; j++)
        if (seq_label_try(s, p, SPOT_BEHIND, j, lw, lx, row))
            return true;
    for (int j = 3; j < p->k; j++)
        if (seq_label_try(s, p, SPOT_FRONT, j, lw, lx, row))
            return true;
    return seq_label_try(s, p, SPOT_ABOVE, 0, lw, lx, row);
}

/* Text of arrow ai's label; its mark says whose label it is. */
static int
seq_label_text(const struct seq_ctx *s, uint32_t ai, int x, int row,
               const char *t, int role, int attr)
{
    size_t before = s->marks ? s->marks->n : 0;
    int n = draw_seq_text(s, x, row, canvas_str_width(t), t, role, attr);
    if (s->marks && s->marks->n > before)
        s->marks->m[s->marks->n - 1].arrow = ai;
    return n;
}

void
draw_seq_label(const struct seq_ctx *s, uint32_t ai, bool current)
{
    const struct draw_seq_arrow *a = &s->l->arrows[ai];
    const struct trace_event *e = trace_at(s->v->trace, a->send_ev);
    struct seq_path p;
    char text[96], name[24], extra[3][48] = {"", "", ""};
    int lx = 0, row = -1, role = draw_seg_role(&e->seg);
    int attr = current ? CANVAS_BOLD | CANVAS_REVERSE : 0;
    bool zh = narrate_is_zh(s->v->lang), found = false;
    const char *t = text, *x = "";

    draw_seq_arrow_path(s, a, &p);
    draw_seg_label(&e->seg, s->v->absolute, a->has_seq, a->base_seq, a->has_ack,
                   a->base_ack, text, sizeof text);
    draw_seg_name(&e->seg, name, sizeof name);
    /* The marks, long and short: a crowded row still says it is a copy. */
    if (e->seg.tags & SEG_TLP) {
        snprintf(extra[0], sizeof extra[0],
                 zh ? " \u21bb 尾部丢失探测" : " \u21bb tail-loss probe");
        snprintf(extra[1], sizeof extra[1], zh ? " \u21bb探测" : " \u21bbTLP");
    } else if (e->seg.tags & SEG_INJECTED) {
        snprintf(extra[0], sizeof extra[0],
                 zh ? " \u26a1 注入" : " \u26a1 injected");
        snprintf(extra[1], sizeof extra[1], zh ? " \u26a1注入" : " \u26a1inj");
    } else if (e->seg.tags & SEG_RETX) {
        snprintf(extra[0], sizeof extra[0],
                 zh ? " \u21bb 第 %u 次重传" : " \u21bb retransmit %u",
                 e->seg.retx ? e->seg.retx : 1);
        snprintf(extra[1], sizeof extra[1], zh ? " \u21bb重传" : " \u21bbretx");
    } else if (e->seg.tags & SEG_DUP) {
        snprintf(extra[0], sizeof extra[0],
                 zh ? " \u21bb 副本" : " \u21bb duplicate");
        snprintf(extra[1], sizeof extra[1], zh ? " \u21bb副本" : " \u21bbdup");
    } else if (e->seg.tags & SEG_KEEPALIVE) {
        snprintf(extra[0], sizeof extra[0], zh ? " 保活" : " keepalive");
        snprintf(extra[1], sizeof extra[1], "%s", extra[0]);
    }

    /*
     * The label with its mark, with the short mark, without, in the places
     * beside its first runs, where labels always went; then across its own
     * first run, as crowded labels always were (with the short mark); then
     * the same forms further along its line; only then the segment's name
     * alone (FIN, SYN,ACK). An arrow that crosses another (seq_layout.h)
     * tries every place for each form, its caption above its start first.
     */
    enum { ALL = SPOTS_ABOVE | SPOTS_NEAR | SPOTS_FAR, INLINE = -1 };
    static const struct {
        bool name;    /* the segment's name, not its label */
        int extra;    /* index into extra[] */
        int spots[2]; /* for a crossing arrow, for any other; 0: skip */
    } plan[] = {
        {false, 0, {ALL, SPOTS_NEAR}}, {false, 1, {ALL, SPOTS_NEAR}},
        {false, 2, {ALL, SPOTS_NEAR}}, {false, 1, {INLINE, INLINE}},
        {false, 0, {0, SPOTS_FAR}},    {false, 1, {0, SPOTS_FAR}},
        {false, 2, {0, SPOTS_FAR}},    {true, 2, {ALL, SPOTS_NEAR | SPOTS_FAR}},
    };
    for (size_t f = 0; f < sizeof plan / sizeof *plan && !found; f++) {
        int spots = plan[f].spots[a->crosses ? 0 : 1], lw;
        t = plan[f].name ? name : text;
        x = extra[plan[f].extra];
        lw = canvas_str_width(t) + canvas_str_width(x);
        if (spots == INLINE)
            found = seq_label_inline(s, &p, canvas_str_width(t), lw, &lx, &row);
        else if (spots && !(plan[f].extra && !*extra[0] && !plan[f].name))
            found = seq_label_spot(s, &p, lw, spots, &lx, &row);
    }
    if (!found)
        return; /* nowhere free: better no label than one over a line */
    lx += seq_label_text(s, ai, lx, row, t, role, attr);
    if (*x)
        seq_label_text(s, ai, lx, row, x, ROLE_RETX, CANVAS_BOLD | attr);
}

/* The cause of a drop, beside its cross. */
void
draw_seq_drop_cause(const struct seq_ctx *s, uint32_t ai)
{
    const struct draw_seq_arrow *a = &s->l->arrows[ai];
    const struct trace_event *d = trace_at(s->v->trace, a->end_ev);
    struct seq_path p;
    char text[300], rule[160];
    const char *why = narrate_why(s->v, d->why, rule, sizeof rule);
    bool zh = narrate_is_zh(s->v->lang);
    int cut, hx, hy, w, room, lw, lx;

    draw_seq_arrow_path(s, a, &p);
    cut = p.n * a->cut / 1000;
    hx = p.xa + p.dir * cut;
    hy = draw_seq_path_row(&p, cut);
    snprintf(text, sizeof text, zh ? "丢失：%s" : "lost: %s",
             why  ? why
             : zh ? "被丢弃"
                  : "dropped");
    canvas_utf8_trim(text);
    w = canvas_str_width(text);
    room = p.dir > 0 ? s->xs - 2 - (hx + 2) : hx - 2 - (s->xc + 2);
    if (w <= room &&
        draw_seq_span_free(s, p.dir > 0 ? hx + 2 : hx - 1 - w, hy, w)) {
        draw_seq_text(s, p.dir > 0 ? hx + 2 : hx - 1 - w, hy, w, text,
                      ROLE_DROP, 0);
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
    if (draw_seq_span_free(s, lx, hy + 1, lw)) {
        draw_seq_text(s, lx, hy + 1, lw, text, ROLE_DROP, 0);
        return;
    }
    /*
     * Else beside it, cut short where a line or other text begins, if
     * enough is left to be read ("lost: TTL"); else nothing, rather than
     * a fragment too short to read or text over a line (the narration
     * says why in full).
     */
    if (room > w)
        room = w;
    while (room > 0 &&
           !draw_seq_span_free(s, p.dir > 0 ? hx + 2 : hx - 1 - room, hy, room))
        room--;
    if (room >= (w < SEQ_CAUSE_MIN ? w : SEQ_CAUSE_MIN))
        draw_seq_text(s, p.dir > 0 ? hx + 2 : hx - 1 - room, hy, room, text,
                      ROLE_DROP, 0);
}
