/*
 * A whole screen: the mode the session is in (the main screen, the state
 * diagram, the event log, the help or the scenario picker), with the
 * header and the key bar, or a clear message when the terminal is too
 * small. It draws a struct frame_view, which holds all it shows.
 */
#ifndef SYNFIN_UI_DRAW_FRAME_H
#define SYNFIN_UI_DRAW_FRAME_H

#include <stddef.h>

#include "ui/canvas.h"
#include "ui/draw.h"
#include "ui/draw_seq.h"

/* Below this the screen says so instead of drawing garbage. */
#define FRAME_MIN_W 64
#define FRAME_MIN_H 18

/* What the screen shows. */
enum frame_mode {
    MODE_MAIN,    /* boxes, sequence diagram, narration */
    MODE_DIAGRAM, /* the RFC 9293 state diagram */
    MODE_LOG,     /* the event log */
    MODE_CROWD,   /* connections in each state over the run */
    MODE_CONNS,   /* the list of connections, to follow one */
    MODE_HELP,
    MODE_PICKER, /* the scenario picker: no scenario is open */
};

struct catalog;

/* Everything a frame draws. */
struct frame_view {
    enum frame_mode mode;
    struct draw_view v; /* the moment: trace, event, language, message */
    const struct draw_seq_layout *layout; /* MODE_MAIN: the run's rows */
    int help_page;                        /* MODE_HELP */
    const struct catalog *cat;            /* MODE_PICKER: the scenarios */
    size_t pick;                          /* MODE_PICKER: the one chosen */
    uint32_t conn_pick;     /* MODE_CONNS: the connection chosen */
    const char *conn_input; /* MODE_CONNS: digits typed so far */
};

/* Draw f into all of c. hits (may be NULL) gets the packets in flight. */
void draw_frame(struct canvas *c, const struct frame_view *f,
                struct draw_seq_hits *hits);

/* The "too small" message. */
void draw_frame_too_small(struct canvas *c, const char *lang);

/* The header line: title, time, step, playback, profile, edits. */
void draw_frame_header(struct canvas *c, const struct draw_view *v);

#endif
