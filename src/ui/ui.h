/*
 * The front end's entry points, called by main.c. Everything under src/ui/
 * reads the trace (and the scenario's plain data); only tui.c includes
 * curses.
 */
#ifndef SYNFIN_UI_H
#define SYNFIN_UI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ui_options {
    const char *path;             /* scenario file; NULL opens the picker */
    const char *const *overrides; /* --set KEY=VALUE, applied on load */
    size_t noverrides;
    int has_seed; /* --seed given */
    uint64_t seed;
    const char *lang; /* "en" or "zh" */
    int ascii;        /* no UTF-8 box drawing */
    int quit_after;   /* --quit-after N frames, 0 = never */
};

/* The interactive program. Returns the process exit code. */
int ui_run(const struct ui_options *opt);

/*
 * Render the screen as it is at trace event `step` (0 = the start) at
 * width x height as plain text, with no terminal. Returns the exit code.
 */
int ui_render(const struct ui_options *opt, long step, int width, int height,
              FILE *out);

struct scenario;
/*
 * Load the scenario at path with opt's overrides and seed. On error returns
 * NULL with "path:line:col: message" in err. (Used by tui.c's picker too.)
 */
struct scenario *ui_load(const struct ui_options *opt, const char *path,
                         char *err, size_t size);

#endif
