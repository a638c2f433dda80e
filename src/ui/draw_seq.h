/*
 * The sequence diagram: two lifelines, time flowing down, one sloped arrow
 * per packet from its TRACE_SEND to its TRACE_ARRIVE or TRACE_DROP.
 *
 * Drawing is in two parts. draw_seq_layout_build() (seq_layout.h) gives
 * every event of the run its row once; draw_seq_draw() then draws the rows
 * up to the current event, with packets still in flight drawn part way.
 */
#ifndef SYNFIN_UI_DRAW_SEQ_H
#define SYNFIN_UI_DRAW_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/draw.h"
#include "ui/seq_layout.h"

/* Columns of the two lifelines in a diagram w wide. */
void draw_seq_lifelines(int w, int *xc, int *xs);

/* Where a packet in flight was drawn, for the mouse. */
struct draw_seq_hit {
    uint32_t seg_id;
    int x, y;
};

struct draw_seq_hits {
    size_t n;
    struct draw_seq_hit hit[32];
};

/*
 * Draw the diagram into the w x h rectangle at (x, y). hits (may be NULL)
 * receives where the packets in flight are.
 */
void draw_seq_draw(struct canvas *c, int x, int y, int w, int h,
                   const struct draw_seq_layout *l, const struct draw_view *v,
                   struct draw_seq_hits *hits);

/*
 * The packets in flight at v's moment (sent, not yet arrived or dropped), in
 * the order they were sent: up to max seg ids into out. Returns the count.
 */
size_t draw_seq_in_flight(const struct draw_seq_layout *l,
                          const struct draw_view *v, uint32_t *out, size_t max);

/*
 * What draw_seq_draw_run() put where, for exports that redraw the diagram
 * in another medium (the SVG): every piece of text and every arrow, in the
 * canvas's cells. The canvas holds the characters.
 */
enum draw_seq_mark_kind {
    SEQ_MARK_TEXT,  /* cells x .. x + w - 1 of row y */
    SEQ_MARK_ARROW, /* path (xa, ya) -> (xb, yb); its head at (x, y);
                       lines go straight down across label rows */
};

enum draw_seq_head {
    SEQ_HEAD_ARRIVED,
    SEQ_HEAD_DROPPED, /* the cross: the path is cut there */
    SEQ_HEAD_FLYING,  /* still in flight at the moment shown */
};

struct draw_seq_mark {
    uint8_t kind;       /* enum draw_seq_mark_kind */
    uint8_t role, attr; /* as drawn */
    uint8_t head;       /* ARROW: enum draw_seq_head */
    int x, y, w;
    int xa, ya, xb, yb; /* ARROW: where it starts and where it points */
    uint32_t arrow;     /* ARROW: its index in the layout; TEXT: the arrow
                           whose label it is, or DRAW_NONE */
};

struct draw_seq_marks {
    struct draw_seq_mark *m;
    size_t n, cap;
};

void draw_seq_marks_free(struct draw_seq_marks *m);

/* draw_seq_draw, with what went where into marks (may be NULL). */
void draw_seq_draw_marked(struct canvas *c, int x, int y, int w, int h,
                          const struct draw_seq_layout *l,
                          const struct draw_view *v, struct draw_seq_hits *hits,
                          struct draw_seq_marks *marks);

/*
 * The whole run at once, for the exports (--diagram, --svg): all l->nrows
 * rows into the w-wide rectangle at (x, y), as draw_seq_draw shows them at
 * v's event but with no cursor and nothing scrolled away. marks (may be
 * NULL) receives what went where.
 */
void draw_seq_draw_run(struct canvas *c, int x, int y, int w,
                       const struct draw_seq_layout *l,
                       const struct draw_view *v, struct draw_seq_marks *marks);

#endif
