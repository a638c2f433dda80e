/* What the text and SVG writers share: the run drawn once. */
#ifndef SYNFIN_PICTURE_PRIVATE_H
#define SYNFIN_PICTURE_PRIVATE_H

#include "picture/picture.h"
#include "ui/canvas.h"
#include "ui/draw_seq.h"

/* Rows of the canvas above the diagram: title, subtitle, blank, names. */
#define PICTURE_HEAD_ROWS 4

struct picture {
    struct draw_seq_layout layout;
    struct draw_seq_marks marks; /* where the diagram's text and arrows are */
    struct canvas c;             /* PICTURE_HEAD_ROWS + layout.nrows tall */
    int xc, xs;                  /* the lifelines' columns */
    const char *title;           /* in the language asked for */
    char sub[160];               /* "four-way-close · rfc · MSL 2 s" */
};

/* Lay out and draw the whole run. */
void picture_build(struct picture *p, const struct trace *t,
                   const struct scenario *s, const struct picture_opts *o);
void picture_free(struct picture *p);

#endif
