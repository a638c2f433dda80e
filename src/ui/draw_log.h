/*
 * The event log: one line per event of the trace up to the current one, in
 * the trace's own text format (every field), the current event marked.
 */
#ifndef SYNFIN_UI_DRAW_LOG_H
#define SYNFIN_UI_DRAW_LOG_H

#include "ui/canvas.h"
#include "ui/draw.h"

void draw_log(struct canvas *c, int x, int y, int w, int h,
              const struct draw_view *v);

#endif
