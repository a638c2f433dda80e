/*
 * A whole screen: the view the session is in (the main screen, the state
 * diagram, the event log or the help), with the header and the key bar, or
 * a clear message when the terminal is too small.
 */
#ifndef SYNFIN_UI_DRAW_FRAME_H
#define SYNFIN_UI_DRAW_FRAME_H

#include "ui/canvas.h"
#include "ui/draw_seq.h"
#include "ui/session.h"

/* Below this the screen says so instead of drawing garbage. */
#define FRAME_MIN_W 64
#define FRAME_MIN_H 18

/* Draw s into all of c. hits (may be NULL) gets the packets in flight. */
void draw_frame(struct canvas *c, const struct session *s,
                struct draw_seq_hits *hits);

/* The "too small" message, also used by the picker. */
void draw_frame_too_small(struct canvas *c, const char *lang);

/* The header line: title, time, step, playback, profile, edits. */
void draw_frame_header(struct canvas *c, const struct draw_view *v);

#endif
