/*
 * What the session tests share: a shipped scenario by name, and the frame
 * a session draws, as text.
 */
#ifndef SYNFIN_TESTS_SESSIONTEST_H
#define SYNFIN_TESTS_SESSIONTEST_H

#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "ui/draw_frame.h"
#include "ui/session.h"

/* A shipped scenario, by name; the test ends if it cannot be loaded. */
static inline struct scenario *
load_named(const char *name)
{
    char path[4096];
    struct synfin_err err;
    struct scenario *s;

    snprintf(path, sizeof path, "%s/scenarios/%s.json",
             getenv("SRCDIR") ? getenv("SRCDIR") : ".", name);
    s = scenario_load(path, NULL, 0, &err);
    if (!s) {
        char msg[1024];
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
        exit(1);
    }
    return s;
}

/* The last frame drawn, as text. */
static char frame_text[64 * 1024];

/* The frame s draws at w x h, as text (in frame_text until the next
 * call). */
static inline const char *
frame(const struct session *s, int w, int h)
{
    struct canvas c;
    struct frame_view fv;
    FILE *f = fmemopen(frame_text, sizeof frame_text, "w");

    session_frame(s, &fv);
    canvas_init(&c, w, h, false);
    draw_frame(&c, &fv, NULL);
    canvas_write_text(&c, f);
    fclose(f);
    canvas_free(&c);
    return frame_text;
}

#endif
