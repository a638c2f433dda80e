/* The help screen, generated from the key table. */
#ifndef SYNFIN_UI_DRAW_HELP_H
#define SYNFIN_UI_DRAW_HELP_H

#include "ui/canvas.h"

/*
 * The help in the w x h box at (x, y), in as many columns as it needs; if
 * it does not fit, in pages: page (counted from 0, taken modulo their
 * number) says which.
 */
void draw_help(struct canvas *c, int x, int y, int w, int h, const char *lang,
               int page);

#endif
