/*
 * What the parts of the session (session.c, session_edit.c, session_quiz.c)
 * share and nothing else sees.
 */
#ifndef SYNFIN_UI_SESSION_PRIV_H
#define SYNFIN_UI_SESSION_PRIV_H

#include "ui/session.h"

/* Messages are pairs of literals, so both formats stay checked. */
#define ZH(s) narrate_is_zh((s)->lang)

/* Set the line shown once in the narration pane. */
void session_message(struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* L: switch the language, if the terminal can show it. */
int session_lang(struct session *s);

/* Lay the trace out and list its steps again, for s->follow. */
void session_lay_out(struct session *s);

/* session_conns.c: the list of connections, and following one. */

/* f: open the list (or, while following, show them all again). */
int session_follow_act(struct session *s);
/* A key in the list of connections. Returns SESSION_* bits; -1: not the
 * list's, the viewer's binding applies. */
int session_conns_key(struct session *s, int key);

/* session_picker.c: the scenario picker. */

/* A key in the picker. Returns SESSION_* bits. */
int session_picker_key(struct session *s, int key);
/* An action in the picker (the others do nothing there). */
int session_picker_act(struct session *s, enum keys_action a);
/* o: close the scenario and go back to the picker, if there is one. */
int session_to_picker(struct session *s);

/* session_edit.c: the what-if edits. */

/* The loss rate the user set, percent, or -1 if none. */
int session_user_loss(const struct session *s);
/* Apply every edit to run, a clone of the scenario as loaded. */
void session_apply(struct session *s, struct scenario *run);
/* A what-if action (ACT_DROP_NEXT to ACT_UNDO). Returns SESSION_* bits. */
int session_edit_act(struct session *s, enum keys_action a);

/* session_quiz.c: quiz mode. */

/* Place the questions in the run just made (after every run). */
void session_quiz_place(struct session *s);
/* A question at the current step not yet answered, other than skip; -1. */
int session_quiz_due_here(const struct session *s, int skip);
/* Choose the question to show at the current step. */
void session_quiz_sync(struct session *s);
/* Is the question shown waiting for an answer? */
bool session_quiz_pending(const struct session *s);
/* Moving forward from step `from` towards `to`: where a question stops it. */
size_t session_quiz_stop(const struct session *s, size_t from, size_t to);
/* Quiz mode as the frame shows it. */
void session_quiz_view(const struct session *s, struct draw_quiz *q);
/* A move forward that a question stops: say so. */
int session_quiz_wait(struct session *s);
/* z: quiz mode on or off. */
int session_quiz_toggle(struct session *s);
/* A digit, Enter or Backspace for the question shown. */
int session_quiz_key(struct session *s, int key);
/* w: open the demo of the answer shown (SESSION_OPEN with open_path). */
int session_quiz_demo(struct session *s);

#endif
