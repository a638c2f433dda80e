/* The scenario picker: every scenario found (catalog.h), one to open. */
#ifndef SYNFIN_UI_DRAW_PICKER_H
#define SYNFIN_UI_DRAW_PICKER_H

#include <stddef.h>

#include "ui/canvas.h"
#include "ui/catalog.h"

/*
 * Draw the picker with entry sel chosen, and message (may be NULL) below,
 * into all of c but its last row (the key bar's, drawn by draw_frame).
 */
void draw_picker(struct canvas *c, const struct catalog *cat, size_t sel,
                 const char *lang, const char *message);

#endif
