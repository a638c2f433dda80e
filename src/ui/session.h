/*
 * A session is the front end's state without the terminal: the scenario as
 * loaded, the what-if edits made to it, the trace of the run with those
 * edits, and where the user is in it (the cursor, playback, the view shown).
 * Keys become actions, actions change the session, session_frame()
 * describes what to show and draw_frame() draws that; tui.c only moves keys
 * in and cells out, so all of this is testable with no terminal.
 *
 * Following one connection (f, from the list of connections) lays out and
 * steps through that connection's events only; the others stay in the run
 * and in the counts.
 *
 * The scenario picker is a mode of the session (MODE_PICKER) with no
 * scenario open; opening its choice is the caller's (SESSION_OPEN), which
 * loads the file with the command line's overrides.
 *
 * The cursor counts steps: step 0 is the start, step k shows the trace
 * after its k-th event (TRACE_NOTE events are not steps: a note shows with
 * the event it follows). Stepping back is showing an earlier step. An edit
 * never changes the trace in place: the scenario is rebuilt with every edit
 * and run again from t = 0 with the same seed; the run is deterministic, so
 * everything before the edit is as it was and the cursor keeps its place.
 *
 * Quiz mode (z) asks the scenario's questions as the cursor reaches them:
 * quiz_prepare() places each after a trace event and reads its answer from
 * this run, so after an edit the questions still ahead are asked again with
 * the answers of the new run. Moving forward (a step, playback, End) stops
 * at a question until it is answered.
 */
#ifndef SYNFIN_UI_SESSION_H
#define SYNFIN_UI_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synfin/quiz.h"
#include "synfin/scenario.h"
#include "synfin/trace.h"
#include "synfin/world.h"
#include "ui/catalog.h"
#include "ui/draw.h"
#include "ui/draw_frame.h"
#include "ui/draw_seq.h"
#include "ui/keys.h"

enum session_edit_kind {
    EDIT_DROP,   /* drop one packet, by its id in the run */
    EDIT_LOSS,   /* random loss from a time on */
    EDIT_DELACK, /* delayed ACK off or back on */
    EDIT_MSL,
};

struct session_edit {
    enum session_edit_kind kind;
    uint32_t seg_id; /* DROP */
    uint64_t at_us;  /* LOSS: from when */
    int loss_pct;    /* LOSS */
    bool delack_off; /* DELACK */
    uint64_t msl_us; /* MSL */
};

/* What the student said to one question of the scenario. */
struct session_answer {
    bool answered, right;
    struct quiz_value given;
};

/* What an action asks of the program around the session. */
enum {
    SESSION_REDRAW = 0x01,
    SESSION_QUIT = 0x02,
    SESSION_OPEN = 0x04, /* open the picker's choice: session_open_chosen() */
};

struct session {
    struct scenario *base; /* as loaded (owned) */
    struct scenario *run;  /* base with the edits (owned) */
    struct trace trace;
    bool stopped; /* a limit stopped the run (docs/limits.md) */
    /* The run's limits; NULL: the engine's, with a trace the viewer can
     * lay out (512 MiB). Tests set smaller ones. */
    const struct world_limits *limits;
    struct draw_seq_layout layout;
    uint32_t *steps; /* event index of each step */
    size_t nsteps;
    size_t step; /* 0..nsteps */

    struct session_edit *edits;
    size_t nedits, edits_cap;

    enum frame_mode mode;
    bool playing;
    int speed;        /* index into the speed list */
    uint64_t anim_us; /* playback: wall time spent in this step, scaled */
    bool absolute;
    const char *lang;
    uint32_t selected; /* a packet in flight, 0 = none */
    int help_page;     /* MODE_HELP: the page shown (n and p turn them) */
    bool ascii;        /* the terminal cannot show Chinese */

    /* One connection followed (f): the diagram and the steps are its alone;
     * 0 = all. The list of connections (MODE_CONNS) has one chosen, and
     * digits typed to jump to a number. */
    uint32_t follow;
    uint32_t conn_pick;
    char conn_input[12];

    /* What the views keep between frames of one run (the crowd's slices);
     * runs counts the runs, so that a new one invalidates it. */
    struct draw_cache *cache;
    uint64_t runs;

    /* The scenario picker (MODE_PICKER, and 'o' goes back to it). */
    const struct catalog *cat; /* not owned; NULL or empty: no picker */
    size_t pick;               /* the entry chosen */

    /* Quiz mode. */
    bool quiz_on;
    struct quiz_item *quiz; /* the questions placed in this run's trace */
    size_t nquiz;
    struct session_answer *answers; /* per question of the scenario */
    int quiz_show;                  /* the item shown, -1 none */
    char quiz_input[12];            /* the digits of a number being typed */
    /* SESSION_OPEN of a file rather than the picker's choice: the demo of
     * a quiz answer (w). Empty otherwise. */
    char open_path[4096];
    char message[1024]; /* shown once in the narration pane (or picker) */
};

/*
 * Start a session on scn (the session takes it) and run it. Returns 0.
 * lang is "en" or "zh".
 */
int session_open(struct session *s, struct scenario *scn, const char *lang);
/*
 * Start a session in the picker of cat (not owned: it must outlive s), with
 * no scenario open.
 */
void session_open_picker(struct session *s, const struct catalog *cat,
                         const char *lang);
/*
 * After SESSION_OPEN: show scn, the picker's choice (or open_path) as
 * loaded (the session takes it), keeping the language and the picker; if
 * scn is NULL, stay where it was and show err.
 */
void session_open_chosen(struct session *s, struct scenario *scn,
                         const char *err);
void session_close(struct session *s);

/* Run again with the current edits, keeping the cursor's place. */
void session_rerun(struct session *s);

/* Move to step k (clamped). */
void session_goto(struct session *s, size_t k);
/* The event index of the current step, DRAW_NONE at the start. */
uint32_t session_event(const struct session *s);

/* The moment to draw. */
void session_view(const struct session *s, struct draw_view *v);
/* All a frame draws: the mode and what it shows. */
void session_frame(const struct session *s, struct frame_view *f);

/* Do an action. Returns SESSION_* bits. */
int session_act(struct session *s, enum keys_action a);
/* A key (keys.h code): its action, or a quiz answer. Returns SESSION_* bits. */
int session_key(struct session *s, int key);
/* A mouse click at (x, y) on a frame whose packets in flight were hits. */
int session_click(struct session *s, const struct draw_seq_hits *hits, int x,
                  int y);

/*
 * Playback: let elapsed_ms of wall time pass. Returns SESSION_REDRAW if the
 * frame changed.
 */
int session_tick(struct session *s, int elapsed_ms);
/* How long the terminal may wait for a key: -1 (forever) when paused. */
int session_timeout_ms(const struct session *s);

/* Push an edit and re-run (also used by tests). */
void session_edit(struct session *s, const struct session_edit *e);

#endif
