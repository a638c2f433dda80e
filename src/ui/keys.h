/*
 * The key table: one list of every binding, from which the key bars (the
 * viewer's and the picker's), the help screen and docs/keys.md are all
 * generated, so they cannot disagree.
 * Key codes are this module's own (Unicode for printable keys, KEYS_* for
 * the rest); tui.c translates curses keys into them.
 */
#ifndef SYNFIN_UI_KEYS_H
#define SYNFIN_UI_KEYS_H

#include <stdbool.h>
#include <stdio.h>

#include "ui/canvas.h"

enum {
    KEYS_UP = 0x110000,
    KEYS_DOWN,
    KEYS_LEFT,
    KEYS_RIGHT,
    KEYS_HOME,
    KEYS_END,
    KEYS_PGUP,
    KEYS_PGDN,
    KEYS_ENTER,
    KEYS_TAB,
    KEYS_BTAB,
    KEYS_ESC,
    KEYS_BACKSPACE,
};

enum keys_action {
    ACT_NONE,
    ACT_NEXT,
    ACT_PREV,
    ACT_NEXT_SEG,   /* to the next packet sent, arriving or lost */
    ACT_PREV_SEG,   /* to the previous one */
    ACT_NEXT_STATE, /* to the next state change, of either end */
    ACT_PREV_STATE, /* to the previous one */
    ACT_FIRST,
    ACT_LAST,
    ACT_PLAY,
    ACT_FASTER,
    ACT_SLOWER,
    ACT_RESTART,
    ACT_DROP_NEXT,
    ACT_SELECT,
    ACT_DROP_SELECTED,
    ACT_LOSS,
    ACT_DELACK,
    ACT_MSL,
    ACT_UNDO,
    ACT_SAVE, /* the run, edits and all, as a scenario in the teacher's folder
               */
    ACT_QUIZ,
    ACT_ANSWER, /* a digit, Enter or Backspace: see session_key() */
    ACT_DEMO,   /* open the scenario that demonstrates a quiz answer */
    ACT_ABSOLUTE,
    ACT_DIAGRAM,
    ACT_LOG,
    ACT_CROWD,
    ACT_FOLLOW, /* the list of connections; Enter there follows one */
    ACT_HELP,
    ACT_LANG,
    ACT_PICKER,
    ACT_QUIT,
    ACT_BACK,   /* Escape: leave a view; it never quits */
    ACT_CHOOSE, /* the picker: up or down by the key, see session_key() */
    ACT_OPEN,   /* the picker: open the chosen scenario */
    ACT__COUNT
};

enum keys_group {
    KEYS_GROUP_STEP,
    KEYS_GROUP_WHATIF,
    KEYS_GROUP_QUIZ,
    KEYS_GROUP_VIEW,
    KEYS_GROUP_PICKER,
    KEYS_GROUP__COUNT
};

/* Where a binding works: in a scenario's views, or in the scenario picker. */
enum keys_scope {
    KEYS_VIEWER,
    KEYS_PICKER,
};

struct keys_entry {
    enum keys_action action;
    int keys[16];      /* key codes, 0-terminated */
    const char *names; /* as shown: "n  \u2192" */
    const char *bar;   /* its word in the key bar; NULL: help only */
    const char *bar_zh;
    enum keys_group group;
    const char *help;    /* English */
    const char *help_zh; /* Chinese */
    bool bar_spare;      /* in the bar only if all the others fit too */
};

/* The table, in the order the help screen lists it. */
const struct keys_entry *keys_table(size_t *count);
/* The action bound to key in scope, ACT_NONE if none. */
enum keys_action keys_lookup(enum keys_scope scope, int key);
const char *keys_group_name(enum keys_group g, const char *lang);
/* The scope of a group's bindings. */
enum keys_scope keys_group_scope(enum keys_group g);

/* Draw scope's key bar into row y, as many entries as fit in w. */
void keys_draw_bar(struct canvas *c, int x, int y, int w, const char *lang,
                   enum keys_scope scope);
/* Write docs/keys.md. Returns 0 or -1 on I/O error. */
int keys_write_markdown(FILE *out);

#endif
