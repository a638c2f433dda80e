/*
 * What the two halves of the sequence diagram share and nothing else sees:
 * draw_seq.c draws lifelines, arrows and the text beside the lifelines;
 * draw_seq_label.c finds where each packet's label and each drop's cause
 * may go without covering a line or other text.
 */
#ifndef SYNFIN_UI_DRAW_SEQ_PRIV_H
#define SYNFIN_UI_DRAW_SEQ_PRIV_H

#include "ui/draw_seq.h"

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
    uint8_t *owned; /* w x h: the cells some arrow's line takes or will */
};

/*
 * A staircase line from column xa on row ya to column xb on row yb, over k
 * rows that move across: the j-th covers the cells from run(j) to run(j +
 * 1) (they share the corner cell). A label row between them (SEQ_ROW_LABEL)
 * does not count: the line goes straight down through it at its corner.
 */
struct seq_path {
    const struct draw_seq_layout *l;
    int xa, ya, xb, yb;
    int n, k, dir;
};

/* Text at (x, row) of the diagram, at most maxw columns; recorded in marks. */
int draw_seq_text(const struct seq_ctx *s, int x, int row, int maxw,
                  const char *t, int role, int attr);
/* How many arrows' lines take canvas cell (x, y), drawn or still to come. */
int draw_seq_owned(const struct seq_ctx *s, int x, int y);
/*
 * May text of width w go at (x, row): all blanks, on no line, a blank
 * column either side unless a lifeline, and between the lifelines?
 */
bool draw_seq_span_free(const struct seq_ctx *s, int x, int row, int w);
/* The column at fraction f (0..1000) of the way from client to server. */
int draw_seq_col(const struct seq_ctx *s, int f);

/* The first cell of the path's j-th moving row; its row; the row of the
 * lowest row that reaches cell i. */
int draw_seq_path_run(const struct seq_path *p, int j);
int draw_seq_path_y(const struct seq_path *p, int j);
int draw_seq_path_row(const struct seq_path *p, int i);
/* The full path of an arrow (for a drop: where it would have gone). */
void draw_seq_arrow_path(const struct seq_ctx *s,
                         const struct draw_seq_arrow *a, struct seq_path *p);
/* Has the packet arrived, or been dropped, by v's moment? */
bool draw_seq_arrow_done(const struct seq_ctx *s,
                         const struct draw_seq_arrow *a);

/* draw_seq_label.c */

/* Arrow ai's label, where it is free; current: the packet of this step. */
void draw_seq_label(const struct seq_ctx *s, uint32_t ai, bool current);
/* A dropped packet's cause, beside or under its cross, where free. */
void draw_seq_drop_cause(const struct seq_ctx *s, uint32_t ai);

#endif
