/*
 * The RFC 9293 state diagram (Figure 5): every state where the figure puts
 * it, each endpoint's current state marked, the arc each one took last drawn
 * and named, and the moves open to each from where it is now. The arcs come
 * from tcp_arcs(), the same table the engine checks its moves against.
 */
#ifndef SYNFIN_UI_DRAW_DIAGRAM_H
#define SYNFIN_UI_DRAW_DIAGRAM_H

#include "ui/canvas.h"
#include "ui/draw.h"

void draw_diagram(struct canvas *c, int x, int y, int w, int h,
                  const struct draw_view *v);

#endif
