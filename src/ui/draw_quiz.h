/*
 * The quiz panel: in quiz mode it takes the narration's place at a step
 * where a question is asked (the question, its choices, then right or
 * wrong, the explanation computed from the run, the scenario's own while
 * it holds, and a demo one key away) and at the end of the run (the final
 * score).
 */
#ifndef SYNFIN_UI_DRAW_QUIZ_H
#define SYNFIN_UI_DRAW_QUIZ_H

#include <stdbool.h>

#include "ui/canvas.h"
#include "ui/draw.h"

/* Is there a quiz panel to draw at v's moment? */
bool draw_quiz_shown(const struct draw_view *v);
/* The rows the panel needs at width w, its title rule included. */
int draw_quiz_rows(const struct draw_view *v, int w);
/* Draw the panel into the w x h rectangle at (x, y); row y is its rule. */
void draw_quiz(struct canvas *c, int x, int y, int w, int h,
               const struct draw_view *v);

/* A value of an answer to it as the student reads it, in lang (a choice's
 * own sentence). Returns buf. */
char *draw_quiz_value(const struct quiz_item *it, const struct quiz_value *q,
                      const char *lang, char *buf, size_t size);

#endif
