/*
 * The sequence diagram: two lifelines, time flowing down, one sloped arrow
 * per packet from its TRACE_SEND to its TRACE_ARRIVE or TRACE_DROP.
 *
 * Drawing is in two parts. draw_seq_layout_build() reads the whole trace
 * once and gives every event its row, so that the diagram does not shift as
 * the cursor moves: rows follow the order of events (not a linear time
 * scale, which would be unreadable with a 50 ms round trip and a 60 s
 * TIME-WAIT), arrows get at least a few rows of slope, and long idle gaps
 * become one marked break row. draw_seq_draw() then draws the rows up to the
 * current event, with packets still in flight drawn part way.
 */
#ifndef SYNFIN_UI_DRAW_SEQ_H
#define SYNFIN_UI_DRAW_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/draw.h"

enum draw_seq_row_kind {
    SEQ_ROW_EVENT, /* events happen on it */
    SEQ_ROW_SPACE, /* room for an arrow's slope, or a short pause */
    SEQ_ROW_BREAK, /* a long gap, folded */
};

struct draw_seq_row {
    uint64_t t_us;   /* EVENT: when; BREAK: the end of the gap */
    uint64_t gap_us; /* BREAK: how long nothing happened */
    uint32_t first_ev;
    uint8_t kind;   /* enum draw_seq_row_kind */
    uint8_t used;   /* what of the row is taken (see draw_seq.c) */
    bool show_time; /* EVENT: the first row at its time */
};

struct draw_seq_arrow {
    uint32_t send_ev; /* its TRACE_SEND */
    uint32_t end_ev;  /* its TRACE_ARRIVE or TRACE_DROP, DRAW_NONE if none */
    uint32_t seg_id;
    uint8_t from, to; /* enum trace_side; from is SIDE_NET for ICMP */
    bool dropped;
    bool has_seq, has_ack; /* the ISNs below are known */
    uint32_t base_seq, base_ack;
    /* Along the line from the client (0) to the server (1000): where the
     * arrow starts and where it points, and for a drop how far it gets. */
    uint16_t fa, fb, cut;
    int y0, y1; /* rows of the send and of the end */
};

struct draw_seq_layout {
    struct draw_seq_row *rows;
    size_t nrows;
    struct draw_seq_arrow *arrows;
    size_t narrows;
    int *ev_row;        /* per event: its row, or -1 */
    uint32_t *ev_arrow; /* per event: its arrow, or DRAW_NONE */
    size_t nev;
    uint64_t unit_us; /* a typical one-way delay */
    uint64_t fold_us; /* gaps this long or longer are folded */
    uint32_t routers;
};

/* Lay out a whole trace. routers (for ICMP) may be 0. Aborts on OOM. */
void draw_seq_layout_build(struct draw_seq_layout *l, const struct trace *t,
                           uint32_t routers);
void draw_seq_layout_free(struct draw_seq_layout *l);

/* The row the diagram is at after event ev (DRAW_NONE: before any), or -1. */
int draw_seq_row_at(const struct draw_seq_layout *l, uint32_t ev);

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
    SEQ_MARK_ARROW, /* path (xa, ya) -> (xb, yb); its head at (x, y) */
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
    uint32_t arrow;     /* ARROW: its index in the layout */
};

struct draw_seq_marks {
    struct draw_seq_mark *m;
    size_t n, cap;
};

void draw_seq_marks_free(struct draw_seq_marks *m);

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
