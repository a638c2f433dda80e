/*
 * The sequence diagram of a whole run, out of the terminal: as text for
 * notes and chat (--diagram) and as a standalone SVG for slides and docs
 * (--svg). There is one diagram engine, the viewer's (src/ui/draw_seq.c):
 * both exports have it draw the run into a canvas as tall as the run, and
 * the SVG then redraws that canvas with vector lines, putting every piece of
 * text in the cell where the viewer put it. Neither touches curses.
 */
#ifndef SYNFIN_PICTURE_H
#define SYNFIN_PICTURE_H

#include <stdbool.h>
#include <stdio.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"

#define PICTURE_WIDTH     100 /* columns, when none are asked for */
#define PICTURE_MIN_WIDTH 60  /* fewer leave no room for the labels */
#define PICTURE_MAX_WIDTH 1000

struct picture_opts {
    int width;        /* columns; 0 = PICTURE_WIDTH */
    bool ascii;       /* text: ASCII instead of box drawing (and English) */
    const char *lang; /* "en" or "zh": the title; NULL = "en" */
};

/*
 * The diagram as text: a title line, the scenario's name and profile, the
 * two lifelines' names, then one line per row of the diagram. Returns 0, or
 * -1 on a write error (errno set).
 */
int picture_write_text(const struct trace *t, const struct scenario *s,
                       const struct picture_opts *o, FILE *out);

/*
 * The same diagram as a standalone SVG 1.1 document (UTF-8, light
 * background, the same output for the same run); for a run of
 * TRACE_CROWD_CONNS connections or more, the chart of how many are in each
 * state over the run instead. Returns 0, or -1 on a write error (errno
 * set).
 */
int picture_write_svg(const struct trace *t, const struct scenario *s,
                      const struct picture_opts *o, FILE *out);

#endif
