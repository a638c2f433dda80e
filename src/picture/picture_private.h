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

/* The title, in the language asked for, and the subtitle of a run. */
const char *picture_title(const struct trace *t, const struct scenario *s,
                          const char *lang);
void picture_subtitle(const struct scenario *s, char *buf, size_t size);

/* Lay out and draw the whole run. */
void picture_build(struct picture *p, const struct trace *t,
                   const struct scenario *s, const struct picture_opts *o);
void picture_free(struct picture *p);

/* The SVG pages: a cell is CW pixels wide; PAD around the page. */
#define CW      8
#define PAD     16
#define TITLE_Y 32
#define SUB_Y   52

/* The document's start: what is "TCP sequence diagram" or the like. */
void svg_prologue(FILE *f, const char *title, const char *what, const char *sub,
                  int w, int h);
/* The title and subtitle at the top of a page w pixels wide. */
void svg_title(FILE *f, const char *title, const char *sub, int w);
void svg_escape(FILE *f, const char *s);
/* The document's end; returns 0, or -1 if it could not be written (errno
 * set). */
int svg_end(FILE *f);
/* A canvas role's colour on a white page. */
const char *svg_colour(int role);

/* --svg of a crowd (TRACE_CROWD_CONNS connections or more): the number of
 * connections in each state over the run, as a chart (svg_counts.c). */
int picture_write_counts_svg(const struct trace *t, const struct scenario *s,
                             const struct picture_opts *o, FILE *out);

#endif
