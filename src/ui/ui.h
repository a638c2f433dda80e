/*
 * The front end's entry points, called by main.c. Everything under src/ui/
 * reads the trace (and the scenario's plain data); only tui.c includes
 * curses. ui_run is there, so it exists only in builds with the terminal
 * (SYNFIN_UI defined); the rest is pure and always built.
 */
#ifndef SYNFIN_UI_H
#define SYNFIN_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct catalog;
struct scenario;
struct scenario_errors;
struct session;

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

/* The interactive program (tui.c). Returns the process exit code. */
int ui_run(const struct ui_options *opt);

/*
 * Render the screen as it is at trace event `step` (0 = the start) at
 * width x height as plain text, with no terminal. With no scenario it is
 * the picker's screen, with entry `step` (0 = the first) chosen. Returns
 * the exit code.
 */
int ui_render(const struct ui_options *opt, long step, int width, int height,
              FILE *out);

/*
 * Load the scenario at path with opt's overrides and seed. On error returns
 * NULL with every error in errs; free errs with scenario_errors_free()
 * either way.
 */
struct scenario *ui_load(const struct ui_options *opt, const char *path,
                         struct scenario_errors *errs);

/*
 * Open in s what opt asks for: the scenario at opt->path, or with no path
 * the picker of every scenario found. cat gets the picker's list, also
 * with a path if with_catalog (for 'o'); free it after closing s. Returns
 * 0, or an exit code after a message on stderr (with nothing to free).
 */
int ui_open(const struct ui_options *opt, bool with_catalog, struct session *s,
            struct catalog *cat);

/* After SESSION_OPEN: load the picker's choice into s, or show why not. */
void ui_open_chosen(const struct ui_options *opt, struct session *s);

#endif
