/* The help screen, generated from the key table. */
#ifndef SYNFIN_UI_DRAW_HELP_H
#define SYNFIN_UI_DRAW_HELP_H

#include "ui/canvas.h"

void draw_help(struct canvas *c, int x, int y, int w, int h, const char *lang);

#endif
