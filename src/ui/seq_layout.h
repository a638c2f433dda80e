/*
 * The sequence diagram's layout. draw_seq_layout_build() reads the whole
 * trace once and gives every event its row, so that the diagram does not
 * shift as the cursor moves: rows follow the order of events (not a linear
 * time scale, which would be unreadable with a 50 ms round trip and a 60 s
 * TIME-WAIT), arrows get at least a few rows of slope, and long idle gaps
 * become one marked break row. draw_seq.h draws it.
 *
 * Two packets of one connection sent in opposite directions at nearly the
 * same moment (a simultaneous open or close: the second leaves within
 * SEQ_MIN_SPAN rows of the first, which is still in flight) have arrows
 * that cross, with no room beside them for both labels. Each such arrow
 * "crosses": its label goes on the row above its start, against its
 * sender's lifeline, where the other arrow is not. When that row is taken
 * on the sender's side (a packet arrived there or left from there), the
 * layout gives the label a row of its own (SEQ_ROW_LABEL), through which
 * the lines in flight go straight down. It takes two passes: the first
 * finds the crossings, the second makes the label rows.
 */
#ifndef SYNFIN_UI_SEQ_LAYOUT_H
#define SYNFIN_UI_SEQ_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synfin/trace.h"
#include "ui/draw.h"

/*
 * Rows between a packet's departure and its arrival, at least, not
 * counting label rows (SEQ_ROW_LABEL), where a line does not move across.
 */
#define SEQ_MIN_SPAN 2

enum draw_seq_row_kind {
    SEQ_ROW_EVENT, /* events happen on it */
    SEQ_ROW_SPACE, /* room for an arrow's slope, or a short pause */
    SEQ_ROW_BREAK, /* a long gap, folded */
    SEQ_ROW_LABEL, /* the label of a crossing arrow sent on the next row;
                      lines in flight go straight down through it */
};

struct draw_seq_row {
    uint64_t t_us;   /* EVENT: when; BREAK: the end of the gap */
    uint64_t gap_us; /* BREAK: how long nothing happened */
    uint32_t first_ev;
    uint8_t kind;   /* enum draw_seq_row_kind */
    uint8_t used;   /* what of the row is taken (see seq_layout.c) */
    bool show_time; /* EVENT: the first row at its time */
};

struct draw_seq_arrow {
    uint32_t send_ev; /* its TRACE_SEND */
    uint32_t end_ev;  /* its TRACE_ARRIVE or TRACE_DROP, DRAW_NONE if none */
    uint32_t seg_id;
    uint8_t from, to; /* enum trace_side; from is SIDE_NET for ICMP */
    bool dropped;
    bool crosses;          /* in flight with a packet going the other way */
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

/* Lay out a whole trace; with conn not 0, only that connection's events
 * get rows (the others' are left out, as if they had not happened).
 * routers (for ICMP) may be 0. */
void draw_seq_layout_build(struct draw_seq_layout *l, const struct trace *t,
                           uint32_t routers, uint32_t conn);
void draw_seq_layout_free(struct draw_seq_layout *l);

/* The row the diagram is at after event ev (DRAW_NONE: before any), or -1. */
int draw_seq_row_at(const struct draw_seq_layout *l, uint32_t ev);

#endif
