/*
 * The crowd view: how many connections each side has in each state over
 * the whole run, the picture `ss -tan state time-wait | wc -l` would give
 * on a real host, as a time series. A row per state a side ever held: one
 * column per slice of the run, as tall (in eighths of a cell) as the most
 * connections in that state during the slice against the state's peak;
 * the slice of the current moment is marked, and the counts now and at
 * the peak are written after it.
 */
#ifndef SYNFIN_UI_DRAW_CROWD_H
#define SYNFIN_UI_DRAW_CROWD_H

#include "ui/canvas.h"
#include "ui/draw.h"

void draw_crowd(struct canvas *c, int x, int y, int w, int h,
                const struct draw_view *v);

#endif
