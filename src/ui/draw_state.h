/*
 * A state box: one endpoint's TCB at the current moment. The state name
 * large and coloured, what it means, SND.UNA, SND.NXT and RCV.NXT (relative
 * to the ISNs unless v->absolute), which directions are still open, and a
 * countdown bar for every running timer.
 */
#ifndef SYNFIN_UI_DRAW_STATE_H
#define SYNFIN_UI_DRAW_STATE_H

#include "ui/canvas.h"
#include "ui/draw.h"

/* Draw side's box (SIDE_CLIENT or SIDE_SERVER) in the w x h rectangle. */
void draw_state_box(struct canvas *c, int x, int y, int w, int h, int side,
                    const struct draw_view *v);

#endif
